import type { ErrorCode } from '../common/error-codes';

/** Codes the client itself gives: the bridge did not answer, or not in its own words. */
export type ClientErrorCode = 'bridge_unreachable' | 'unexpected_response';

/** Every code a call to the bridge can fail with: the catalogue's, or the client's own. */
export type BridgeErrorCode = ErrorCode | ClientErrorCode;

/** A refusal or failure of the bridge's local API, with its stable code and sentence. */
export class BridgeError extends Error {
  constructor(
    readonly status: number,
    readonly code: BridgeErrorCode,
    message: string,
    /** The rest of the bridge's error body (limit, resetsAt, ...): an agent acts on them. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}
