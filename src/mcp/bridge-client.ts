/** A refusal or failure of the bridge, with its stable code and sentence. */
export class BridgeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

export interface BridgeReply<T = Record<string, unknown>> {
  status: number;
  body: T;
}

interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown } & Record<string, unknown>;
}

// A send waits for Twilio (TWILIO_TIMEOUT_MS, 10 s by default) behind the bridge.
const TIMEOUT_MS = 30_000;

/**
 * The bridge's local HTTP API, as a client on this machine sees it. Going through the
 * API, not the services, is the point: the loopback guard, approvals, limits, opt-outs
 * and audit apply to an agent's tool call exactly as to a curl.
 */
export class BridgeClient {
  constructor(readonly baseUrl: string) {}

  async request<T = Record<string, unknown>>(
    method: 'GET' | 'POST',
    path: string,
    options: RequestOptions = {},
  ): Promise<BridgeReply<T>> {
    // Appended, not resolved: a base URL with a path prefix keeps it.
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          Accept: 'application/json',
          ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...options.headers,
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new BridgeError(
        0,
        'bridge_unreachable',
        `The SMS bridge at ${this.baseUrl} did not answer (${why}). Is it running? (systemctl status sms-bridge)`,
      );
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (response.ok && typeof body === 'object' && body !== null) {
      return { status: response.status, body: body as T };
    }
    const error = (body as ErrorBody | undefined)?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      const { code, message, ...details } = error;
      throw new BridgeError(response.status, code, message, details);
    }
    throw new BridgeError(
      response.status,
      'unexpected_response',
      `The bridge answered HTTP ${response.status} without its usual JSON body.`,
    );
  }
}
