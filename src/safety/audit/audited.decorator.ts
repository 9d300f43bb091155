import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { AUDITED_ACTION, AuditInterceptor } from './audit.interceptor';

/** Records every call of the route in the audit log under `action`, refusals included. */
export const Audited = (action: string) =>
  applyDecorators(SetMetadata(AUDITED_ACTION, action), UseInterceptors(AuditInterceptor));
