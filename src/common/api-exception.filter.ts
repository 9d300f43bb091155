import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { isStorageUnavailable } from './storage-unavailable';
import { ApiError, ErrorBody } from './api-error';
import { ERROR_CODES, ErrorCode } from './error-codes';

/** The catalogue's code for a status Nest or Express raised without one of ours. */
const GENERIC_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

function errorBody(code: ErrorCode, message: string = ERROR_CODES[code].meaning) {
  return { status: ERROR_CODES[code].status, body: { error: { code, message } } };
}

/**
 * The status of a client error raised by Express middleware (body-parser: 413 too large,
 * 415 bad charset...). It uses http-errors, which marks errors safe to show with `expose`.
 */
function middlewareClientStatus(exception: unknown): number | undefined {
  const { status, expose } = (exception ?? {}) as { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500
    ? status
    : undefined;
}

/** Turns anything thrown into the one error body; never a stack trace on the wire. */
export function toErrorBody(exception: unknown): { status: number; body: ErrorBody } {
  if (exception instanceof ApiError) return { status: exception.getStatus(), body: exception.body };
  if (isStorageUnavailable(exception)) {
    // Said plainly so Twilio and the agent see "retry later", not a bridge bug.
    return errorBody(
      'storage_unavailable',
      'The database cannot be written (disk full, read-only or locked), so nothing was stored or done. Retry later.',
    );
  }
  const clientStatus = middlewareClientStatus(exception);
  if (exception instanceof HttpException || clientStatus !== undefined) {
    const status = clientStatus ?? (exception as HttpException).getStatus();
    const code = GENERIC_CODES[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
    return { status, body: errorBody(code).body };
  }
  return errorBody('internal_error');
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /** `onRefusal` hears the code of every 4xx answer (the refusals metric). */
  constructor(private readonly onRefusal: (code: string) => void = () => {}) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, body } = toErrorBody(exception);
    if (status >= 500 && !(exception instanceof ApiError)) {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    if (status < 500) this.onRefusal(body.error.code);
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    // The access log line names the code (logging.module.ts).
    response.locals.errorCode = body.error.code;
    // Explicit: a route's @Header('Content-Type', ...) is already set when its handler throws,
    // and res.json() keeps a Content-Type it finds (the webhook's text/xml).
    response.status(status).type('application/json').json(body);
  }
}
