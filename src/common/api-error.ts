import { HttpException } from '@nestjs/common';

export type ErrorDetails = Record<string, unknown>;

/** The one error body of the bridge: `{ error: { code, message, ...details } }`. */
export interface ErrorBody {
  error: { code: string; message: string } & ErrorDetails;
}

/**
 * A refusal or failure the caller can act on. `code` is stable snake_case:
 * agents branch on it, so renaming one is a breaking change.
 */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super({ error: { code, message, ...details } } satisfies ErrorBody, status);
  }

  get body(): ErrorBody {
    return this.getResponse() as ErrorBody;
  }
}
