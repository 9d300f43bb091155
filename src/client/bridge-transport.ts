import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ErrorBody } from '../common/api-error';
import { isErrorCode } from '../common/error-codes';
import { BridgeError } from './bridge-error';
import { BridgeUnreachableError } from './bridge-unreachable-error';

export interface BridgeReply<T = Record<string, unknown>> {
  status: number;
  body: T;
}

type Headers = Record<string, string>;

export interface BridgeRequest {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** The operator's Authorization, an Idempotency-Key: for the routes that take them. */
  headers?: Headers;
  /** Error statuses whose body is an answer, not a refusal (503 from readiness). */
  answers?: number[];
}

// A send waits for Twilio (TWILIO_TIMEOUT_MS, 10 s by default) behind the bridge.
const TIMEOUT_MS = 30_000;
// A backup copies the whole database before the first byte can be trusted.
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;
const UNIX = 'unix:';

/**
 * HTTP to the bridge's local API: JSON in and out, its error body as a BridgeError.
 * `baseUrl` is http(s)://host:port, or unix:/path for the bridge's operator socket.
 */
export class BridgeTransport {
  constructor(readonly baseUrl: string) {}

  static overSocket(socketPath: string): BridgeTransport {
    return new BridgeTransport(`${UNIX}${socketPath}`);
  }

  async request<T = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    options: BridgeRequest = {},
  ): Promise<BridgeReply<T>> {
    const headers = { Accept: 'application/json', ...options.headers };
    const response = await this.send(method, path, { ...options, headers }, TIMEOUT_MS);
    const status = response.statusCode ?? 0;
    const body = parseJson(await textOf(response));
    const answered = isOk(status) || (options.answers ?? []).includes(status);
    if (answered && typeof body === 'object' && body !== null) {
      return { status, body: body as T };
    }
    throw refusal(path, status, body);
  }

  /**
   * Streams a POST's answer into `file`, whole or not at all; returns its size. The partial
   * copy has a random name beside `file` and is created exclusively: a file or symlink
   * planted where it would go makes the backup fail instead of being written through.
   */
  async download(path: string, file: string, headers: Headers = {}): Promise<number> {
    const response = await this.send('POST', path, { headers }, DOWNLOAD_TIMEOUT_MS);
    const status = response.statusCode ?? 0;
    if (!isOk(status)) throw refusal(path, status, parseJson(await textOf(response)));
    const partial = join(
      dirname(file),
      `.${basename(file)}.${randomBytes(8).toString('hex')}.partial`,
    );
    let bytes = 0;
    response.on('data', (chunk: Buffer) => (bytes += chunk.length));
    try {
      await pipeline(response, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
      await rename(partial, file);
    } catch (error) {
      // Only a file this call created: EEXIST means the name was someone else's.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await rm(partial, { force: true });
      throw error;
    }
    return bytes;
  }

  private send(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    { query = {}, body, headers = {} }: BridgeRequest,
    timeoutMs: number,
  ): Promise<IncomingMessage> {
    const socketPath = this.baseUrl.startsWith(UNIX) ? this.baseUrl.slice(UNIX.length) : undefined;
    // Appended, not resolved: a base URL with a path prefix keeps it.
    const url = new URL((socketPath ? 'http://localhost' : this.baseUrl) + path);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const signal = AbortSignal.timeout(timeoutMs);
    return new Promise((resolve, reject) => {
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        {
          method,
          socketPath,
          // One request per connection: a kept-alive socket would hold the bridge's close open.
          agent: false,
          signal,
          headers: payload
            ? {
                ...headers,
                'Content-Type': 'application/json',
                'Content-Length': Buffer.byteLength(payload),
              }
            : headers,
        },
        resolve,
      );
      request.on('error', (error: NodeJS.ErrnoException) =>
        reject(
          new BridgeUnreachableError(
            this.baseUrl,
            signal.aborted ? `no answer in ${timeoutMs} ms` : (error.code ?? error.message),
          ),
        ),
      );
      request.end(payload);
    });
  }
}

const isOk = (status: number) => status >= 200 && status < 300;

async function textOf(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML page, a cut-off answer): the caller reports the status alone.
    return undefined;
  }
}

/** The bridge's error body as a BridgeError, or what was wrong with the answer. */
function refusal(path: string, status: number, body: unknown): BridgeError {
  const error = (body as Partial<ErrorBody> | undefined)?.error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
    return new BridgeError(
      status,
      'unexpected_response',
      `The bridge answered HTTP ${status} without its usual JSON body.`,
    );
  }
  // What came over the wire, whatever ErrorBody promises.
  const { code, message, ...details } = error as { code: string; message: string };
  // Bridge and client ship together; a code outside the catalogue is not the bridge's own.
  if (!isErrorCode(code)) {
    return new BridgeError(status, 'unexpected_response', `${message} (${code})`, details);
  }
  // The bridge's 404 for a route it does not have: likely a bridge older than its client.
  if (status === 404 && code === 'not_found') {
    return new BridgeError(
      status,
      code,
      `This bridge does not serve ${path}: it may be older than this client, or the id is unknown.`,
      details,
    );
  }
  return new BridgeError(status, code, message, details);
}
