import { request as httpRequest, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ForwardTarget } from '../config/forward-target';

export interface PostOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** POSTs a JSON body to the target and resolves with the response status; the body is drained. */
export function postJson(
  target: ForwardTarget,
  body: string,
  options: PostOptions,
): Promise<number> {
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
  return new Promise<number>((resolve, reject) => {
    const req =
      target.kind === 'unix'
        ? httpRequest({ ...common, socketPath: target.socketPath, path: target.path })
        : (target.url.protocol === 'https:' ? httpsRequest : httpRequest)(target.url, common);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.end(body);
  });
}
