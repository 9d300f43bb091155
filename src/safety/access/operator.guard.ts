import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiError } from '../../common/api-error';
import { peerAddress } from '../../common/request-origin';
import { auditGuardRefusal } from './guard-refusal';
import { recipientOf } from '../audit/audit.interceptor';
import { AuditService } from '../audit/audit.service';
import { OPERATOR_ONLY } from './operator-only.decorator';
import { OperatorToken } from './operator-token';

/** The token of `Authorization: Bearer <token>` (scheme case-insensitive, RFC 9110 11.1). */
function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Routes marked @OperatorOnly answer only a caller that presents the operator token. Runs
 * after LoopbackGuard, so these routes stay local-only as well: the token is what tells the
 * operator from the agent, which is local too and may otherwise approve its own messages.
 */
@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(OperatorToken) private readonly token: OperatorToken,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (!this.reflector.getAllAndOverride<boolean>(OPERATOR_ONLY, targets)) return true;

    const request = context.switchToHttp().getRequest<Request>();
    const presented = bearerToken(request.headers.authorization);
    if (presented !== undefined && (await this.token.matches(presented))) return true;

    const params = Object.keys(request.params ?? {}).length ? request.params : undefined;
    await auditGuardRefusal(this.audit, this.reflector, context, {
      caller: peerAddress(request),
      recipient: recipientOf(request.body),
      reason: 'operator_only',
      detail: { token: presented === undefined ? 'missing' : 'wrong', params },
    });
    throw new ApiError(
      'operator_only',
      `Only the operator may do this: send the token in ${this.token.file} as "Authorization: Bearer <token>", or run the sms-bridge CLI as the service user or root (sudo sms-bridge ...).`,
    );
  }
}
