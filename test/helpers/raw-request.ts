import { request as httpRequest } from 'node:http';

export type RawHeaders = Record<string, string | string[]>;

export interface RawRequest {
  method: string;
  path: string;
  headers?: RawHeaders;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One HTTP request exactly as written: repeated headers stay repeated, bytes are not
 * re-encoded, nothing is added but Content-Length. supertest cannot send either.
 */
export function rawRequest(baseUrl: string, input: RawRequest): Promise<RawResponse> {
  const body = input.body === undefined ? undefined : Buffer.from(input.body);
  const headers: RawHeaders = { ...input.headers };
  if (
    body &&
    !Object.keys(headers).some((name) => /^(content-length|transfer-encoding)$/i.test(name))
  ) {
    headers['content-length'] = String(body.length);
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(input.path, baseUrl), { method: input.method, headers });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    // A server may answer (413, 415) and close before a large body is all written; the
    // answer is what counts, so a write error after it is not a failure.
    req.on('error', reject);
    req.end(body);
  });
}
