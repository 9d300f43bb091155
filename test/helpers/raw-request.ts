import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

export type RawHeaders = Record<string, string | string[]>;

export interface RawRequest {
  method: string;
  path: string;
  headers?: RawHeaders;
  body?: string | Buffer;
  /** The loopback address to connect from (127.0.0.2, ...): another local process's. */
  localAddress?: string;
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
    const req = httpRequest(new URL(input.path, baseUrl), {
      method: input.method,
      headers,
      localAddress: input.localAddress,
    });
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

/**
 * Bytes straight onto a socket, for requests no HTTP client will send (bad header bytes,
 * smuggling shapes); the server's answer is read until it closes the connection.
 */
export function wireRequest(baseUrl: string, wire: string): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(wire, 'latin1'));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = raw.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => {
          const at = line.indexOf(':');
          return [line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim()];
        }),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, text: rest.join('\r\n\r\n') });
    });
  });
}
