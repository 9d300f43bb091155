import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';

export const OPERATOR_ONLY = 'smsBridge:operatorOnly';
/** The OpenAPI security scheme of the operator token. */
export const OPERATOR_AUTH = 'operator';

/**
 * The operator's decisions: the caller must present the operator token (OperatorGuard).
 * Local-only is not enough for these, since the agent is local too.
 */
export const OperatorOnly = () =>
  applyDecorators(SetMetadata(OPERATOR_ONLY, true), ApiBearerAuth(OPERATOR_AUTH));
