import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import {
  isLocalCaller,
  localOnlyError,
  peerAddress,
  wasProxied,
} from '../../common/request-origin';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { auditGuardRefusal } from './guard-refusal';
import { PUBLIC_ROUTE } from './public-route.decorator';

/**
 * Local routes answer only processes on this machine that did not come through a proxy.
 * Caddy connects from loopback too, so a loopback socket alone proves nothing: the
 * forwarding headers it adds are what give an outside caller away. A browser tricked into
 * calling loopback (DNS rebinding) is given away by its Host.
 */
@Injectable()
export class LoopbackGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(AppConfig) private readonly config: Pick<AppConfig, 'allowedHosts'>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<Request>();
    if (isLocalCaller(request, this.config.allowedHosts)) return true;

    await auditGuardRefusal(this.audit, this.reflector, context, {
      caller: peerAddress(request),
      reason: 'local_only',
      detail: {
        proxied: wasProxied(request.headers),
        // Cut short: whoever sent it chose it.
        host: request.headers.host?.slice(0, 255) ?? null,
      },
    });
    throw localOnlyError();
  }
}
