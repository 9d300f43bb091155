import { SetMetadata } from '@nestjs/common';

export const OPERATOR_ONLY = 'smsBridge:operatorOnly';

/**
 * The operator's decisions: the caller must present the operator token (OperatorGuard).
 * Local-only is not enough for these, since the agent is local too.
 */
export const OperatorOnly = () => SetMetadata(OPERATOR_ONLY, true);
