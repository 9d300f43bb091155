import { randomUUID } from 'node:crypto';
import { ExecutionContext, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AUDITED_ACTION } from '../audit/audit.interceptor';
import { AuditService } from '../audit/audit.service';
import { AuditedAction } from '../audit/audited-action';

const logger = new Logger('Audit');

/**
 * Records a guard's refusal of an audited route, its attempt and its outcome as every
 * audited action has: guards run before AuditInterceptor, so it never sees them. Under the access log's request id (pino-http's `request.id`), as the
 * interceptor's rows are. Nothing was done either way, so an audit that cannot be written
 * is logged and must not turn the refusal into a 500.
 */
export async function auditGuardRefusal(
  audit: AuditService,
  reflector: Reflector,
  context: ExecutionContext,
  refusal: { caller: string; reason: string; detail: Record<string, unknown>; recipient?: string },
): Promise<void> {
  const action = reflector.getAllAndOverride<string | undefined>(AUDITED_ACTION, [
    context.getHandler(),
    context.getClass(),
  ]);
  if (!action) return;
  const request = context.switchToHttp().getRequest<Request>();
  const { reason, detail, ...who } = refusal;
  const refused = new AuditedAction({
    requestId: typeof request.id === 'string' ? request.id : randomUUID(),
    action,
    ...who,
  });
  try {
    await audit.appendAll([refused.attempt(), refused.outcome('refused', { reason, detail })]);
  } catch (error) {
    logger.error(`Audit of a refusal not recorded: ${(error as Error).message}`);
  }
}
