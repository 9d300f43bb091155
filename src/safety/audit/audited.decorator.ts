import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { AUDIT_ATTEMPT_JOINS, AUDITED_ACTION, AuditInterceptor } from './audit.interceptor';

/**
 * Records every call of the route in the audit log under `action`, refusals included.
 * `attemptJoinsFirstCommit`: only for routes whose services commit the attempt through
 * AuditService.commitWithAttempt/commitAttempt before they act (see `recording`).
 */
export const Audited = (action: string, options: { attemptJoinsFirstCommit?: boolean } = {}) =>
  applyDecorators(
    SetMetadata(AUDITED_ACTION, action),
    SetMetadata(AUDIT_ATTEMPT_JOINS, options.attemptJoinsFirstCommit === true),
    UseInterceptors(AuditInterceptor),
  );
