import { randomUUID } from 'node:crypto';
import { ExecutionContext, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AUDITED_ACTION } from './audit.interceptor';
import { AuditEntry, AuditRepository } from './audit.repository';

/**
 * Guards run before interceptors, so a guard that refuses an audited route records the
 * refusal itself (an outcome row with no attempt: the handler was never reached).
 */
export function auditGuardRefusal(
  reflector: Reflector,
  audit: AuditRepository,
  logger: Logger,
  context: ExecutionContext,
  entry: Pick<AuditEntry, 'caller' | 'recipient' | 'reason' | 'detail'>,
): void {
  const action = reflector.getAllAndOverride<string | undefined>(AUDITED_ACTION, [
    context.getHandler(),
    context.getClass(),
  ]);
  if (!action) return;
  const request = context.switchToHttp().getRequest<Request>();
  try {
    audit.append({
      // The access log's request id when there is one, so the 403 line and the row join.
      requestId: typeof request.id === 'string' ? request.id : randomUUID(),
      action,
      phase: 'outcome',
      outcome: 'refused',
      ...entry,
    });
  } catch (error) {
    // Nothing is done either way; an unwritable audit must not turn the 403 into a 500.
    logger.error(`Audit of a refusal not recorded: ${(error as Error).message}`);
  }
}
