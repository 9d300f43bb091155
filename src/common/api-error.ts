import { HttpException } from '@nestjs/common';
import { ERROR_CODES, ErrorCode } from './error-codes';

export type ErrorDetails = Record<string, unknown>;

/** The one error body of the bridge: `{ error: { code, message, ...details } }`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string } & ErrorDetails;
}

/**
 * A refusal or failure the caller can act on. Its status comes from the error catalogue,
 * so one code always answers with one status.
 */
export class ApiError extends HttpException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super({ error: { code, message, ...details } } satisfies ErrorBody, ERROR_CODES[code].status);
  }

  get body(): ErrorBody {
    return this.getResponse() as ErrorBody;
  }
}
