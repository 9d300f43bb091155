import { INestApplication, ValidationError, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { Socket } from 'node:net';
import { ApiError } from './common/api-error';
import { ApiExceptionFilter, fromBodyParserError } from './common/api-exception.filter';

/** Twilio's webhooks post forms; every other route that takes a body takes JSON. */
const FORM_ROUTES = new Set(['/sms/webhook', '/api/sms']);

/**
 * 415 for a body of the wrong type, before anything reads it. Without this a form post
 * to /sms/send was parsed and sent: a web page open on this machine could send texts,
 * since browsers post forms cross-origin without asking.
 */
function requireContentType(request: Request, _response: Response, next: NextFunction): void {
  const length = request.headers['content-length'];
  const hasBody =
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  // Express matches routes case-insensitively and ignores a trailing slash.
  const route = request.path.toLowerCase().replace(/\/+$/, '');
  const expected = FORM_ROUTES.has(route)
    ? 'application/x-www-form-urlencoded'
    : 'application/json';
  if (!hasBody || request.is(expected)) return next();
  next(new ApiError(415, 'unsupported_media_type', `This route takes ${expected} bodies.`));
}

/** No route takes more than flat fields; deeper JSON only costs stack (class-transformer recurses). */
const MAX_BODY_DEPTH = 8;
/** Keys JSON.parse keeps as own properties but class-transformer drops without a word. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Refuses what the ValidationPipe cannot see or survive: prototype keys, which it silently
 * drops instead of refusing as unknown fields, and nesting deep enough to overflow its stack.
 */
function checkBodyShape(request: Request, _response: Response, next: NextFunction): void {
  const pending: [unknown, number][] = [[request.body, 0]];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const [value, depth] = item;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) {
      return next(
        new ApiError(
          400,
          'validation_failed',
          'The request is invalid: the body is nested too deeply.',
        ),
      );
    }
    for (const [key, child] of Object.entries(value)) {
      if (PROTOTYPE_KEYS.has(key)) {
        const constraints = { whitelistValidation: `property ${key} should not exist` };
        return next(validationError([{ property: key, constraints } as ValidationError]));
      }
      pending.push([child, depth + 1]);
    }
  }
  next();
}

function validationError(errors: ValidationError[]): ApiError {
  const fields = errors.map((error) => ({
    field: error.property,
    problems: Object.values(error.constraints ?? {}).map((problem) =>
      problem.startsWith('property ') ? `${error.property} is not a known field` : problem,
    ),
  }));
  const summary = fields.map((field) => field.problems.join('; ')).join('; ');
  return new ApiError(400, 'validation_failed', `The request is invalid: ${summary}.`, { fields });
}

/**
 * Requests Node's HTTP parser refuses (bytes not allowed in a header, both Content-Length
 * and Transfer-Encoding: the request-smuggling shapes) never reach Express. They get the
 * one error body too, instead of Node's bare 400.
 */
function answerUnparsable(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return void socket.destroy();
  const [status, reason, code] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'headers_too_large']
      : [400, 'Bad Request', 'invalid_http'];
  const body = JSON.stringify({
    error: { code, message: 'The request is not HTTP this server accepts.' },
  });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Everything main.ts and the tests' app must share, so tests run what production runs. */
export function configureApp(app: NestExpressApplication): INestApplication {
  app.disable('x-powered-by');
  app.getHttpServer().on('clientError', answerUnparsable);
  app.use(requireContentType);
  // inflate: false: Twilio and the agent send plain bodies; zlib need not see hostile input.
  app.useBodyParser('json', { limit: '16kb', inflate: false });
  // extended: false: flat fields only (qs at depth 0); repeats become arrays. A `constructor`
  // field still passes (body-parser 2 allows prototype keys); checkBodyShape refuses it.
  app.useBodyParser('urlencoded', { extended: false, limit: '64kb', inflate: false });
  // Body-parser failures keep their meaning (invalid_json, 413, 415) on their way to the filter.
  app.use((error: unknown, _request: Request, _response: Response, next: NextFunction) =>
    next(fromBodyParserError(error) ?? error),
  );
  app.use(checkBodyShape);
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationError,
    }),
  );
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
  return app;
}
