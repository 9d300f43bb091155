import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** The bridge did not answer at all: not running, wrong address, or hung. */
export class BridgeDownError extends Error {}

/** The bridge answered with its error body. */
export class BridgeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface BridgeResponse<T = unknown> {
  status: number;
  body: T;
}

type HeaderMap = Record<string, string>;

const TIMEOUT_MS = 15_000;
const BACKUP_TIMEOUT_MS = 10 * 60_000;

/** The operator CLI's view of the bridge: its local HTTP API, nothing else. */
export class BridgeClient {
  constructor(readonly baseUrl: string) {}

  /** `answers`: error statuses whose body is an answer, not a failure (503 from readiness). */
  get<T>(
    path: string,
    query: Record<string, string | undefined> = {},
    answers: number[] = [],
  ): Promise<BridgeResponse<T>> {
    const search = new URLSearchParams(
      Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ).toString();
    return this.json<T>('GET', search ? `${path}?${search}` : path, undefined, answers);
  }

  /** `headers`: the operator's Authorization, for the routes that need it. */
  post<T>(path: string, body?: unknown, headers: HeaderMap = {}): Promise<BridgeResponse<T>> {
    return this.json<T>('POST', path, body, [], headers);
  }

  /** Streams a POST's answer into `file`, whole or not at all; returns its size. */
  async download(path: string, file: string, headers: HeaderMap = {}): Promise<number> {
    const response = await this.fetch('POST', path, undefined, BACKUP_TIMEOUT_MS, headers);
    if (!response.ok || !response.body) await this.fail(path, response);
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

  private async json<T>(
    method: string,
    path: string,
    body?: unknown,
    answers: number[] = [],
    headers: HeaderMap = {},
  ): Promise<BridgeResponse<T>> {
    const response = await this.fetch(method, path, body, TIMEOUT_MS, headers);
    if (!response.ok && !answers.includes(response.status)) await this.fail(path, response);
    return { status: response.status, body: (await response.json()) as T };
  }

  private async fetch(
    method: string,
    path: string,
    body: unknown,
    timeoutMs: number,
    headers: HeaderMap = {},
  ): Promise<Response> {
    try {
      return await fetch(this.baseUrl + path, {
        method,
        headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new BridgeDownError(`The bridge is not answering at ${this.baseUrl} (${why}).`);
    }
  }

  private async fail(path: string, response: Response): Promise<never> {
    const text = await response.text();
    let error: { code?: string; message?: string } | undefined;
    try {
      error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
    } catch {
      // Not the bridge's error body: report the status alone.
    }
    if (response.status === 404 && error?.code === 'not_found') {
      throw new BridgeError(
        404,
        'not_found',
        `This bridge does not serve ${path.split('?')[0]}: it may be older than this CLI, or the id is unknown.`,
      );
    }
    throw new BridgeError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? `The bridge answered ${response.status}.`,
    );
  }
}
