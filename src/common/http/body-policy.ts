import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json, urlencoded } from 'express';
import { ApiError } from '../api-error';

/** Twilio's webhooks are small forms; 64 KB leaves room for its longest (MMS, 10 media). */
export const FORM_LIMIT = '64kb';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/**
 * One rule for every request body, applied before routing: webhook paths take only
 * forms up to 64 KB, every other route only JSON up to `jsonLimitBytes` (the caller derives
 * it from the largest request its rules accept). A body is refused before a
 * byte of it is parsed (413 payload_too_large, 415 unsupported_media_type, 400
 * invalid_json); compressed bodies are refused rather than inflated.
 */
export function bodyPolicy(
  formPaths: readonly string[],
  jsonLimitBytes: number,
  onRefusal: (request: Request, error: ApiError, form: boolean) => Promise<void> | void,
): RequestHandler {
  const forms = new Set(formPaths.map(normalize));
  // extended: false uses querystring: no nested objects, no prototype keys; repeats become arrays.
  const parseForm = urlencoded({ extended: false, limit: FORM_LIMIT, inflate: false, type: FORM });
  const jsonLimit = `${Math.ceil(jsonLimitBytes / 1024)}kb`;
  const parseJson = json({ limit: jsonLimitBytes, inflate: false, strict: true, type: JSON_TYPE });
  return (request: Request, response: Response, next: NextFunction) => {
    if (!hasBody(request)) return next();
    const form = forms.has(normalize(request.path));
    const [type, parse, limit] = form
      ? [FORM, parseForm, FORM_LIMIT]
      : [JSON_TYPE, parseJson, jsonLimit];
    // Passed on to Nest's error handler, so the one exception filter answers (and counts) it.
    const reject = (error: ApiError) => {
      // The body may be partly unread: close the connection rather than reuse it.
      response.setHeader('Connection', 'close');
      answerOnRecord(onRefusal(request, error, form), next, error);
    };
    if (!request.is(type)) {
      return reject(
        new ApiError(
          'unsupported_media_type',
          `This route accepts only ${type} bodies (Content-Type: ${type}).`,
        ),
      );
    }
    parse(request, response, (error?: unknown) =>
      error ? reject(parserError(error, limit)) : next(),
    );
  };
}

/** Express matches routes case-insensitively and ignores a trailing slash; so does this. */
/** Hands `error` on once the refusal is recorded, so that what was answered is on record. */
export function answerOnRecord(
  recorded: Promise<void> | void,
  next: NextFunction,
  error: ApiError,
): void {
  void Promise.resolve(recorded).then(() => next(error));
}

function normalize(path: string): string {
  return path.toLowerCase().replace(/\/+$/, '') || '/';
}

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (!!length && length !== '0');
}

function parserError(error: unknown, limit: string): ApiError {
  const { type } = error as { type?: string };
  switch (type) {
    case 'entity.too.large':
    case 'parameters.too.many':
      return new ApiError(
        'payload_too_large',
        `The request body is larger than this route accepts (${limit}).`,
      );
    case 'entity.parse.failed':
      return new ApiError('invalid_json', 'The request body is not a JSON object or array.');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new ApiError(
        'unsupported_media_type',
        'Send the body as uncompressed UTF-8 (no Content-Encoding, charset utf-8).',
      );
    default:
      return new ApiError('bad_request', 'The request body could not be read.');
  }
}
