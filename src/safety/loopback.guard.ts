import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';
import { isLoopbackAddress, peerAddress, wasProxied } from '../common/request-origin';
import { auditGuardRefusal } from './audit-guard-refusal';
import { AuditRepository } from './audit.repository';
import { PUBLIC_ROUTE } from './public-route.decorator';

/**
 * Local routes answer only processes on this machine that did not come through a proxy.
 * Caddy connects from loopback too, so a loopback socket alone proves nothing: the
 * forwarding headers it adds are what give an outside caller away.
 */
@Injectable()
export class LoopbackGuard implements CanActivate {
  private readonly logger = new Logger('LoopbackGuard');

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<Request>();
    const peer = peerAddress(request);
    const proxied = wasProxied(request.headers);
    if (isLoopbackAddress(peer) && !proxied) return true;

    auditGuardRefusal(this.reflector, this.audit, this.logger, context, {
      caller: peer,
      reason: 'local_only',
      detail: { proxied },
    });
    throw new ApiError(
      403,
      'local_only',
      'This route only answers callers on this machine, not through a proxy.',
    );
  }
}
