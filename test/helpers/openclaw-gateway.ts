import { randomUUID } from 'node:crypto';
import {
  createServer,
  IncomingHttpHeaders,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestApp } from './test-app';

/** One agent run the gateway admitted. */
export interface HookRun {
  runId: string;
  payload: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

export interface GatewayPolicy {
  token: string;
  agents: string[];
  allowRequestSessionKey: boolean;
  allowedSessionKeyPrefixes: string[];
}

const BODY_LIMIT = 256 * 1024;

/**
 * A stand-in for OpenClaw's Gateway hooks (POST <hooks.path>/agent), enforcing what its docs
 * promise a caller (docs/gateway/config-hooks.md, "Hook HTTP contract" and "Hook agent
 * payload", in the openclaw package): the bearer (or x-openclaw-token) token, a `token` query
 * refused with 400, a JSON body within 256 KiB, a nonempty `message`, a configured
 * `agentId`, the caller-session-key policy, and Idempotency-Key replay of an admitted run.
 * Early refusals are plain text as OpenClaw's are; admission refusals `{ ok: false, error }`.
 */
export class OpenClawGateway {
  readonly runs: HookRun[] = [];
  /** Every request, admitted or not: what the bridge tried. */
  readonly requests: { status: number; at: number; headers: IncomingHttpHeaders }[] = [];
  /** Statuses to answer before looking at the request (503 while restarting, 429 throttled...). */
  plan: { status: number; headers?: Record<string, string> }[] = [];
  readonly policy: GatewayPolicy;
  /** Admits the next run but answers this much later: an answer the caller gives up on. */
  delayNextAnswerMs = 0;
  url = '';
  private readonly replay = new Map<string, string>();
  private server?: Server;

  constructor(policy: Partial<GatewayPolicy> = {}) {
    this.policy = {
      token: 'openclaw-hooks-token-0123456789',
      agents: ['main'],
      allowRequestSessionKey: false,
      allowedSessionKeyPrefixes: [],
      ...policy,
    };
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/agent`;
    return this.url;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const delayMs = this.delayNextAnswerMs;
    this.delayNextAnswerMs = 0;
    const answer = async (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (res.destroyed) return;
      this.requests.push({ status, at: Date.now(), headers: req.headers });
      const json = typeof body !== 'string';
      res
        .writeHead(status, {
          'Content-Type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
          ...headers,
        })
        .end(json ? JSON.stringify(body) : body);
    };
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size <= BODY_LIMIT) chunks.push(chunk as Buffer);
    }
    const planned = this.plan.shift();
    if (planned) return answer(planned.status, 'planned', planned.headers);

    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.searchParams.has('token')) {
      return answer(
        400,
        'Hook token must be provided via Authorization: Bearer <token> or X-OpenClaw-Token header (query parameters are not allowed).',
      );
    }
    if (req.method !== 'POST') return answer(405, 'Method Not Allowed', { Allow: 'POST' });
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if ((bearer ?? req.headers['x-openclaw-token']) !== this.policy.token) {
      return answer(401, 'Unauthorized');
    }
    if (url.pathname !== '/hooks/agent') return answer(404, 'Not Found');
    if (size > BODY_LIMIT) return answer(413, { ok: false, error: 'payload too large' });

    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      return answer(400, { ok: false, error: 'invalid JSON' });
    }
    const refuse = (error: string) => answer(400, { ok: false, error });
    if (typeof payload.message !== 'string' || payload.message.trim() === '') {
      return refuse('message required');
    }
    const agentId = payload.agentId ?? 'main';
    if (typeof agentId !== 'string' || !this.policy.agents.includes(agentId)) {
      return refuse(`unknown agentId ${JSON.stringify(agentId)}`);
    }
    const mode = payload.sessionMode ?? 'isolated';
    if (mode !== 'isolated' && mode !== 'persistent') {
      return refuse('sessionMode must be isolated or persistent');
    }
    if (payload.sessionKey !== undefined) {
      if (!this.policy.allowRequestSessionKey) {
        return refuse(
          'sessionKey is disabled for external /hooks/agent payloads; set hooks.allowRequestSessionKey=true to enable',
        );
      }
      const key = JSON.stringify(payload.sessionKey).slice(1, -1).toLowerCase();
      if (!this.policy.allowedSessionKeyPrefixes.some((p) => key.startsWith(p.toLowerCase()))) {
        return refuse(
          `sessionKey must start with one of: ${this.policy.allowedSessionKeyPrefixes.join(', ')}`,
        );
      }
    } else if (mode === 'persistent') {
      return refuse('persistent sessionMode requires an explicit sessionKey');
    }

    const key = String(req.headers['idempotency-key'] ?? '').trim();
    // A replay is the same key with the same dispatch: it answers the run it started.
    const identity = key && `${key}\n${JSON.stringify(payload)}`;
    const replayed = identity ? this.replay.get(identity) : undefined;
    if (replayed) return answer(200, { ok: true, runId: replayed });
    const runId = randomUUID();
    if (identity) this.replay.set(identity, runId);
    this.runs.push({ runId, payload, headers: req.headers });
    return answer(200, { ok: true, runId });
  }
}

/** The bridge's settings for pushing to this gateway, polling fast enough for a test. */
export function openClawEnv(
  gateway: OpenClawGateway,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    SMS_FORWARD_FORMAT: 'openclaw',
    SMS_FORWARD_URL: gateway.url,
    SMS_FORWARD_SECRET: gateway.policy.token,
    SMS_FORWARD_POLL_MS: '20',
    SMS_FORWARD_RETRY_BASE_MS: '20',
    ...extra,
  };
}

/** Enough poll cycles (20 ms each) for a push that should not happen to have happened. */
/**
 * A fresh gateway before each test, given to `use`; after each, the app the test booted
 * against it (`app()`) is closed, then the gateway.
 */
export function gatewayForEachTest(
  use: (gateway: OpenClawGateway) => void,
  app: () => TestApp | undefined,
): void {
  let gateway: OpenClawGateway;
  beforeEach(async () => {
    gateway = new OpenClawGateway();
    await gateway.listen();
    use(gateway);
  });
  afterEach(async () => {
    await app()?.close();
    await gateway.close();
  });
}

export const settle = () => new Promise((resolve) => setTimeout(resolve, 250));
