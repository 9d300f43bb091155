import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream } from 'pino';
import { pinoHttp, type HttpLogger, type Options } from 'pino-http';
import { AppConfig } from '../config/app-config';
import { scrubSecrets } from './secret-scrubber';

/** Headers that carry credentials or can be replayed; never written as they came. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-twilio-signature"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.authToken',
  'authToken',
];

export interface LoggingOptions {
  /** Where log lines go instead of stdout (the tests capture them). */
  logDestination?: DestinationStream;
}

/**
 * pino-pretty in-process and synchronous, so that lines keep their order with what main.ts
 * writes itself (the simulator banner comes last, not before the boot logs); null where it
 * is not installed: it is a dev dependency.
 */
function prettyStdout(): DestinationStream | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as typeof import('pino-pretty');
    return pretty.build({
      destination: 1,
      sync: true,
      colorize: process.stdout.isTTY === true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
    });
  } catch {
    return null;
  }
}

/** JSON lines on stdout in production (journald); lines for people in development. */
function stdoutDestination(config: AppConfig): DestinationStream {
  return (!config.production && prettyStdout()) || pino.destination({ fd: 1, sync: true });
}

function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?')[0];
}

function summary(req: IncomingMessage, res: ServerResponse): string {
  return `${req.method} ${pathOf(req.url)} ${res.statusCode}`;
}

/** The error code the exception filter answered with, if any. */
function withErrorCode(res: ServerResponse, line: object): object {
  const errorCode = (res as ServerResponse & { locals?: { errorCode?: string } }).locals?.errorCode;
  return errorCode ? { ...line, errorCode } : line;
}

function isMadeUp(error: Error, res: ServerResponse): boolean {
  return error.message === `failed with status code ${res.statusCode}`;
}

/**
 * One JSON line per request: request id (also sent back as X-Request-Id and used as the
 * audit request id), method, path without the query, status and time. Bodies are not
 * logged: message text belongs to the audit log, not to the journal.
 */
export function httpLoggerOptions(config: AppConfig): Options<IncomingMessage, ServerResponse> {
  return {
    level: config.logLevel,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
    genReqId: (_req, res) => {
      const id = randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Logs made while handling a request carry its id, not a copy of its headers.
    quietReqLogger: true,
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    customSuccessMessage: summary,
    customErrorMessage: summary,
    customSuccessObject: (_req, res, line: object) => withErrorCode(res, line),
    // pino-http makes up an Error for every 5xx answer ("failed with status code 503" with
    // its own stack): a failed readiness probe or a 502 from Twilio is not a crash. The
    // exception filter logs the stack when the bridge itself threw.
    customErrorObject: (_req, res, error, line: { err?: unknown }) => {
      const { err, ...rest } = line;
      return withErrorCode(res, isMadeUp(error, res) ? rest : { err, ...rest });
    },
    serializers: {
      // No headers: what identifies a request is its id; headers are where credentials and
      // signatures travel, and serializing them was a good part of each request's cost.
      req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        path: pathOf(req.url),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/**
 * The access log as Express middleware, which configureApp mounts before everything else:
 * nestjs-pino would mount it with the modules' middleware, after what configureApp adds
 * (the body rules, the docs), whose refusals would then have no request id and no line.
 */
export const HTTP_LOGGER = Symbol('HTTP_LOGGER');

@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions = {}): DynamicModule {
    const httpLogger = {
      provide: HTTP_LOGGER,
      inject: [AppConfig],
      useFactory: (config: AppConfig): HttpLogger => {
        const { accountSid, authToken } = config.twilio;
        const basic = Buffer.from(`${accountSid}:${authToken}`).toString('base64');
        const destination = options.logDestination ?? stdoutDestination(config);
        return pinoHttp(httpLoggerOptions(config), scrubSecrets(destination, [authToken, basic]));
      },
    };
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          providers: [httpLogger],
          inject: [HTTP_LOGGER],
          // useExisting: nestjs-pino only binds the request's logger that HTTP_LOGGER made.
          useFactory: (http: HttpLogger) => ({
            pinoHttp: { logger: http.logger },
            useExisting: true,
          }),
        }),
      ],
    };
  }
}
