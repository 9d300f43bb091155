import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ErrorBody } from './api-error';
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

/**
 * The bridge's local HTTP API, as a client on this machine (the operator CLI, the MCP
 * server) sees it. Going through the API, not the services, is the point: the loopback
 * guard, approvals, limits, opt-outs and audit apply to these calls exactly as to a curl.
 */
export class BridgeClient {
  constructor(readonly baseUrl: string) {}

  async request<T = Record<string, unknown>>(
    method: 'GET' | 'POST',
    path: string,
    options: BridgeRequest = {},
  ): Promise<BridgeReply<T>> {
    const headers = { Accept: 'application/json', ...options.headers };
    const response = await this.fetch(method, path, { ...options, headers }, TIMEOUT_MS);
    const body = parseJson(await response.text());
    const answered = response.ok || (options.answers ?? []).includes(response.status);
    if (answered && typeof body === 'object' && body !== null) {
      return { status: response.status, body: body as T };
    }
    throw refusal(path, response.status, body);
  }

  /** Streams a POST's answer into `file`, whole or not at all; returns its size. */
  async download(path: string, file: string, headers: Headers = {}): Promise<number> {
    const response = await this.fetch('POST', path, { headers }, DOWNLOAD_TIMEOUT_MS);
    if (!response.ok || !response.body) {
      throw refusal(path, response.status, parseJson(await response.text()));
    }
    const partial = `${file}.partial`;
    let bytes = 0;
    try {
      const source = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      source.on('data', (chunk: Buffer) => (bytes += chunk.length));
      await pipeline(source, createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return bytes;
  }

  private async fetch(
    method: 'GET' | 'POST',
    path: string,
    { query = {}, body, headers = {} }: BridgeRequest,
    timeoutMs: number,
  ): Promise<Response> {
    // Appended, not resolved: a base URL with a path prefix keeps it.
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    try {
      return await fetch(url, {
        method,
        headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new BridgeUnreachableError(
        this.baseUrl,
        cause?.code ?? cause?.message ?? (error as Error).message,
      );
    }
  }
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
  const { code, message, ...details } = error;
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
