import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  normalizeIp,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { ApiError } from '../../common/api-error';
import { isLoopbackAddress, peerAddress, UNIX_SOCKET_PEER } from '../../common/request-origin';
import { AuditService } from '../audit/audit.service';
import { auditGuardRefusal } from './guard-refusal';
import {
  CountsAgainstCap,
  RATE_LIMIT_BUCKET,
  RATE_LIMIT_COUNTS,
  RateLimitBucket,
} from './rate-limited.decorator';

/** The one bucket of every caller on this machine, per route. */
const LOCAL_TRACKER = 'local';

/**
 * @nestjs/throttler for the routes marked @RateLimited. Webhooks are counted per client:
 * behind Caddy every socket is loopback, so the address Caddy appends to
 * X-Forwarded-For is used, and only when the direct peer is loopback (a remote caller
 * could write any X-Forwarded-For it likes). Callers on this machine share one bucket:
 * a process may connect from any of 127.0.0.0/8 or the Unix socket, and would get a fresh
 * bucket from each.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    @Inject(Reflector) reflector: Reflector,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (this.bucket(context) === undefined) return true;
    const counts = this.reflector.getAllAndOverride<CountsAgainstCap | undefined>(
      RATE_LIMIT_COUNTS,
      [context.getHandler(), context.getClass()],
    );
    return counts !== undefined && !counts(context.switchToHttp().getRequest<Request>());
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as Request;
    const peer = peerAddress(request);
    if (peer === UNIX_SOCKET_PEER) return LOCAL_TRACKER;
    // IPv6 clients are counted per /64, as the library does: one host holds a whole /64.
    if (!isLoopbackAddress(peer)) return normalizeIp(peer, this.ipv6SubnetPrefix);
    const forwarded = request.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean)
      .at(-1);
    return last ? normalizeIp(last, this.ipv6SubnetPrefix) : LOCAL_TRACKER;
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfter = Math.max(1, detail.timeToBlockExpire);
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    await auditGuardRefusal(this.audit, this.reflector, context, {
      caller: detail.tracker,
      reason: 'too_many_requests',
      detail: { limit: detail.limit, retryAfter },
    });
    throw new ApiError(
      'too_many_requests',
      `More than ${detail.limit} requests a minute; nothing was done. Retry after ${retryAfter} seconds.`,
      { retryAfter },
    );
  }

  private bucket(context: ExecutionContext): RateLimitBucket | undefined {
    return this.reflector.getAllAndOverride<RateLimitBucket | undefined>(RATE_LIMIT_BUCKET, [
      context.getHandler(),
      context.getClass(),
    ]);
  }
}
