import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { isStorageUnavailable } from '../storage/database';
import { ApiError, ErrorBody } from './api-error';

const CODES_BY_STATUS: Record<number, [string, string]> = {
  400: ['bad_request', 'The request is malformed.'],
  403: ['forbidden', 'This caller may not use this route.'],
  404: ['not_found', 'No such route or resource.'],
  405: ['method_not_allowed', 'This route does not accept that method.'],
  413: ['payload_too_large', 'The request body is larger than this route accepts.'],
  415: ['unsupported_media_type', 'This route does not accept that content type.'],
  429: ['too_many_requests', 'Too many requests; wait and retry.'],
};

/**
 * body-parser's failures by their `type` (https://github.com/expressjs/body-parser#errors).
 * Nest turns only some of them into HttpExceptions and drops the type on the way, so
 * configureApp hands them here first.
 */
const BODY_ERRORS: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'invalid_json', 'The body is not valid JSON.'],
  'entity.too.large': [413, 'payload_too_large', CODES_BY_STATUS[413][1]],
  'parameters.too.many': [413, 'payload_too_large', 'The form has too many fields.'],
  'charset.unsupported': [415, 'unsupported_media_type', 'The body must be UTF-8.'],
  'encoding.unsupported': [
    415,
    'unsupported_media_type',
    'Compressed bodies are not accepted; send the body uncompressed.',
  ],
};

/** The ApiError for a body-parser failure, or undefined if `error` is not one. */
export function fromBodyParserError(error: unknown): ApiError | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  if (typeof type !== 'string') return undefined;
  const [status, code, message] = BODY_ERRORS[type] ?? [
    400,
    'bad_request',
    'The request body could not be read.',
  ];
  return new ApiError(status, code, message);
}

/** Turns anything thrown into the one error body; never a stack trace on the wire. */
export function toErrorBody(exception: unknown): { status: number; body: ErrorBody } {
  if (exception instanceof ApiError) return { status: exception.getStatus(), body: exception.body };
  if (isStorageUnavailable(exception)) {
    // Said plainly so Twilio and the agent see "retry later", not a bridge bug.
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      body: {
        error: {
          code: 'storage_unavailable',
          message:
            'The database cannot be written (disk full, read-only or locked), so nothing was stored or done. Retry later.',
        },
      },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const [code, message] = CODES_BY_STATUS[status] ?? [
      status >= 500 ? 'internal_error' : 'bad_request',
      status >= 500 ? 'The bridge failed to handle the request.' : 'The request was refused.',
    ];
    return { status, body: { error: { code, message } } };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: {
      error: { code: 'internal_error', message: 'The bridge failed to handle the request.' },
    },
  };
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, body } = toErrorBody(exception);
    if (status >= 500 && !(exception instanceof ApiError)) {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    // Explicitly: a route's @Header('Content-Type') (the webhook's text/xml) is already set.
    response.status(status).type('application/json').json(body);
  }
}
