import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { INestApplication, ValidationError, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { HttpLogger } from 'pino-http';
import { ApiError } from './common/api-error';
import { ERROR_CODES } from './common/error-codes';
import { validationFailed } from './common/validation-failed';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { peerAddress } from './common/request-origin';
import { HTTP_LOGGER } from './logging/logging.module';
import { QuietBootLogger } from './logging/quiet-boot.logger';
import { setupOpenApi } from './docs/openapi';
import { TWILIO_FORM_PATHS } from './twilio/webhook-paths';
import { MetricsService } from './metrics/metrics.service';
import { AuditService } from './safety/audit/audit.service';
import { answerOnRecord, bodyPolicy } from './common/http/body-policy';
import { MAX_MESSAGE_JSON_BYTES } from './safety/message/message-limits';

/** No route takes more than flat fields; deeper JSON only costs stack (class-transformer recurses). */
const MAX_BODY_DEPTH = 8;
/** Keys JSON.parse keeps as own properties but class-transformer drops without a word. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const NUL = '\u0000';

/**
 * Refuses what the ValidationPipe cannot see or survive: prototype keys, which it silently
 * drops instead of refusing as unknown fields, and nesting deep enough to overflow its stack.
 * And U+0000 in any field or key, JSON or Twilio's form alike: PostgreSQL's text cannot hold
 * it, so a value with one is refused whole on both stores rather than cut on one of them.
 */
type RefusalRecorder = (request: Request, error: ApiError) => Promise<void> | void;

function checkBodyShape(onRefusal: RefusalRecorder) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    const refuse = (error: ApiError) => answerOnRecord(onRefusal(request, error), next, error);
    const pending: [unknown, number, string][] = [[request.body, 0, 'body']];
    for (let item = pending.pop(); item; item = pending.pop()) {
      const [value, depth, field] = item;
      if (typeof value === 'string' && value.includes(NUL)) {
        const constraints = { nul: `${field} must not contain the character U+0000 (NUL)` };
        return refuse(validationError([{ property: field, constraints }]));
      }
      if (typeof value !== 'object' || value === null) continue;
      if (depth >= MAX_BODY_DEPTH) {
        return refuse(
          new ApiError(
            'validation_failed',
            'The request is invalid: the body is nested too deeply.',
          ),
        );
      }
      for (const [key, child] of Object.entries(value)) {
        if (PROTOTYPE_KEYS.has(key)) {
          const constraints = { whitelistValidation: `property ${key} should not exist` };
          return refuse(validationError([{ property: key, constraints }]));
        }
        pending.push([key, depth + 1, 'a field name'], [child, depth + 1, key]);
      }
    }
    next();
  };
}

function validationError(errors: ValidationError[]): ApiError {
  return validationFailed(
    errors.map((error) => ({
      field: error.property,
      problems: Object.values(error.constraints ?? {}).map((problem) =>
        problem.startsWith('property ') ? `${error.property} is not a known field` : problem,
      ),
    })),
  );
}

/**
 * Requests Node's HTTP parser refuses (bytes not allowed in a header, both Content-Length
 * and Transfer-Encoding: the request-smuggling shapes) never reach Express. They get the
 * one error body too, instead of Node's bare 400.
 */
function answerUnparsable(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return void socket.destroy();
  const code = error.code === 'HPE_HEADER_OVERFLOW' ? 'headers_too_large' : 'invalid_http';
  const { status, meaning } = ERROR_CODES[code];
  const body = JSON.stringify({ error: { code, message: meaning } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Everything main.ts and the tests' app must share, so tests run what production runs. */
export function configureApp(app: NestExpressApplication): INestApplication {
  app.useLogger(new QuietBootLogger(app.get(Logger)));
  // First: every request, refused anywhere after this, gets its id and its access-log line.
  app.use(app.get<HttpLogger>(HTTP_LOGGER));
  // Security headers on every answer, errors included. `trust proxy` stays unset on
  // purpose: req.ip must be the socket peer, or a forwarded header could pose as local.
  app.use(helmet());
  app.disable('x-powered-by');
  app.getHttpServer().on('clientError', answerUnparsable);
  // Refused before routing, so before the audit interceptor: a local route's refusal is
  // recorded here (every call of /sms/send leaves a record); public webhook noise is not.
  const audit = app.get(AuditService);
  const recordRefusal = (request: Request, error: ApiError) =>
    audit.appendOrLog({
      requestId: typeof request.id === 'string' ? request.id : randomUUID(),
      action: 'body_refused',
      phase: 'outcome',
      caller: peerAddress(request),
      outcome: 'refused',
      reason: error.code,
      detail: { method: request.method, path: request.path },
    });
  // Form bodies on Twilio's webhook paths, JSON everywhere else; see body-policy.ts.
  app.use(
    bodyPolicy(TWILIO_FORM_PATHS, MAX_MESSAGE_JSON_BYTES, (request, error, form) => {
      if (!form) return recordRefusal(request, error);
    }),
  );
  app.use(
    checkBodyShape((request, error) => {
      // Only JSON gets this far off the webhook paths: see body-policy.ts.
      if (request.is('application/json')) return recordRefusal(request, error);
    }),
  );
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationError,
    }),
  );
  const metrics = app.get(MetricsService);
  app.useGlobalFilters(new ApiExceptionFilter((code) => metrics.refusal(code)));
  setupOpenApi(app);
  return app;
}
