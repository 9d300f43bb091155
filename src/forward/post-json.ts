import { request as httpRequest, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ForwardTarget } from '../config/forward-target';

export interface PostOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** What the hook answered: enough to log its own words without holding a large body. */
export interface PostAnswer {
  status: number;
  retryAfter?: string;
  /** The first ANSWER_TEXT_BYTES of the body. */
  text: string;
}

const ANSWER_TEXT_BYTES = 1024;

/** POSTs a JSON body to the target and resolves with the answer; the rest of the body is drained. */
export function postJson(
  target: ForwardTarget,
  body: string,
  options: PostOptions,
): Promise<PostAnswer> {
  const common: RequestOptions = {
    method: 'POST',
    headers: {
      ...options.headers,
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
    },
    timeout: options.timeoutMs,
    signal: options.signal,
  };
  return new Promise<PostAnswer>((resolve, reject) => {
    const req =
      target.kind === 'unix'
        ? httpRequest({ ...common, socketPath: target.socketPath, path: target.path })
        : (target.url.protocol === 'https:' ? httpsRequest : httpRequest)(target.url, common);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const kept: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < ANSWER_TEXT_BYTES) kept.push(chunk.subarray(0, ANSWER_TEXT_BYTES - size));
        size += chunk.length;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          retryAfter: res.headers['retry-after'],
          text: Buffer.concat(kept).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.end(body);
  });
}
