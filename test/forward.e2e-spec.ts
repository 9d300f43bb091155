import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { countRows } from './helpers/db-file';
import { TestApp } from './helpers/test-app';
import { until } from './helpers/until';

const SECRET = 'a-test-secret-of-some-length';
const SENDER = '+15551230001';

interface HookCall {
  headers: IncomingHttpHeaders;
  rawBody: string;
  path: string;
}

/** A local agent hook: records every call and answers with the next planned status (200 after). */
class Hook {
  readonly calls: HookCall[] = [];
  plan: number[] = [];
  url = '';
  private server?: Server;

  async listen(where: number | string = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.calls.push({
          headers: req.headers,
          rawBody: Buffer.concat(chunks).toString('utf8'),
          path: req.url ?? '',
        });
        res.writeHead(this.plan.shift() ?? 200).end();
      });
    });
    const server = this.server;
    await new Promise<void>((resolve) =>
      typeof where === 'string'
        ? server.listen(where, resolve)
        : server.listen(where, '127.0.0.1', resolve),
    );
    this.url =
      typeof where === 'string'
        ? `unix:${where}:/hooks/sms`
        : `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/sms`;
    return this.url;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  async waitForCalls(count: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.calls.length < count) {
      if (Date.now() > deadline) {
        throw new Error(`the hook got ${this.calls.length} calls, expected ${count}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** The documented recipe, written out independently of the bridge's code. */
function verify(call: HookCall, secret: string): boolean {
  const timestamp = call.headers['x-sms-bridge-timestamp'] as string;
  const expected =
    'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${call.rawBody}`).digest('hex');
  const given = Buffer.from(String(call.headers['x-sms-bridge-signature']));
  return given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
}

/** The message sid of each call, in the order the hook got them. */
function deliveries(hook: Hook): string[] {
  return hook.calls.map((c) => String(c.headers['x-sms-bridge-delivery']));
}

/**
 * Proof that the forwarder had its chance to push again what came before: a text stored
 * after it is pushed, and the bridge records the hook's 200. Returns that text's sid.
 */
async function laterTextPushed(t: TestApp): Promise<string> {
  const { messageSid } = await t.simulator.sendInbound({ from: SENDER, body: 'a later text' });
  await until(
    async () => (await t.forwards()).some((f) => f.sid === messageSid && f.state === 'delivered'),
    'the later text pushed',
  );
  return messageSid;
}

function forwardEnv(url: string): Record<string, string> {
  return {
    SMS_FORWARD_URL: url,
    SMS_FORWARD_SECRET: SECRET,
    SMS_FORWARD_POLL_MS: '20',
    SMS_FORWARD_RETRY_BASE_MS: '20',
  };
}

describe('Inbound push to SMS_FORWARD_URL', () => {
  let hook: Hook;
  let t: TestApp;

  beforeEach(async () => {
    hook = new Hook();
    t = await TestApp.create({ env: forwardEnv(await hook.listen()) });
  });
  afterEach(async () => {
    await t.close();
    await hook.close();
  });

  it('pushes a new inbound message once, signed as documented', async () => {
    const before = Math.floor(Date.now() / 1000);
    const inbound = await t.simulator.sendInbound({ from: SENDER, body: 'Are we still on?' });
    expect(inbound.status).toBe(200);
    await hook.waitForCalls(1);

    const [call] = hook.calls;
    expect(call.path).toBe('/hooks/sms');
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers['x-sms-bridge-delivery']).toBe(inbound.messageSid);
    expect(Number(call.headers['x-sms-bridge-timestamp'])).toBeGreaterThanOrEqual(before);
    expect(verify(call, SECRET)).toBe(true);
    expect(verify(call, 'another-secret-of-some-length')).toBe(false);
    const stored = await t.http().get('/sms/inbox').expect(200);
    expect(JSON.parse(call.rawBody)).toEqual({
      event: 'sms.received',
      message: stored.body.messages[0],
    });
    expect(stored.body.messages[0]).toMatchObject({
      sid: inbound.messageSid,
      body: 'Are we still on?',
    });

    // A Twilio retry of the same MessageSid is stored once and pushed once.
    const retried = await t.simulator.sendInbound({
      from: SENDER,
      body: 'Are we still on?',
      messageSid: inbound.messageSid,
    });
    expect(retried.status).toBe(200);
    const later = await laterTextPushed(t);
    expect(deliveries(hook)).toEqual([inbound.messageSid, later]);
    expect(await t.forwards()).toEqual([
      expect.objectContaining({ sid: inbound.messageSid, state: 'delivered', attempts: 1 }),
      expect.objectContaining({ sid: later, state: 'delivered', attempts: 1 }),
    ]);
  });

  it('retries a failing hook with backoff until it accepts, then stops', async () => {
    hook.plan = [500, 503];
    const inbound = await t.simulator.sendInbound({ from: SENDER, body: 'ping' });
    await hook.waitForCalls(3);
    const later = await laterTextPushed(t);

    expect(deliveries(hook)).toEqual([...Array(3).fill(inbound.messageSid), later]);
    const retries = hook.calls.slice(0, 3);
    expect(retries.every((c) => verify(c, SECRET))).toBe(true);
    expect(new Set(retries.map((c) => c.rawBody)).size).toBe(1);
    expect(await t.forwards()).toEqual([
      expect.objectContaining({ state: 'delivered', attempts: 3, lastError: null }),
      expect.objectContaining({ sid: later, state: 'delivered', attempts: 1 }),
    ]);
  });

  it('gives up after SMS_FORWARD_MAX_ATTEMPTS and keeps the message in the inbox', async () => {
    await t.close();
    t = await TestApp.create({
      env: { ...forwardEnv(hook.url), SMS_FORWARD_MAX_ATTEMPTS: '2' },
    });
    hook.plan = [500, 500];
    const inbound = await t.simulator.sendInbound({ from: SENDER, body: 'ping' });
    await until(async () => (await t.forwards())[0]?.state === 'failed', 'the push given up');
    const later = await laterTextPushed(t);

    expect(deliveries(hook)).toEqual([inbound.messageSid, inbound.messageSid, later]);
    expect(await t.forwards()).toEqual([
      expect.objectContaining({
        state: 'failed',
        attempts: 2,
        lastError: 'the hook answered HTTP 500',
      }),
      expect.objectContaining({ sid: later, state: 'delivered' }),
    ]);
    const inbox = await t.http().get('/sms/inbox').expect(200);
    expect(inbox.body.messages.map((m: { sid: string }) => m.sid)).toEqual([
      inbound.messageSid,
      later,
    ]);
  });

  it('retries pending pushes at boot and never repeats a delivered one', async () => {
    // A slow backoff: only the boot retry can deliver within the test.
    t.env.SMS_FORWARD_RETRY_BASE_MS = '600000';
    await t.restart();
    const delivered = await t.simulator.sendInbound({ from: SENDER, body: 'first' });
    await hook.waitForCalls(1);
    hook.plan = [500];
    const pending = await t.simulator.sendInbound({ from: SENDER, body: 'second' });
    await hook.waitForCalls(2);
    const beforeRestart = await laterTextPushed(t);
    expect(deliveries(hook)).toEqual([delivered.messageSid, pending.messageSid, beforeRestart]);

    await t.restart();
    await hook.waitForCalls(4);
    const afterRestart = await laterTextPushed(t);
    expect(deliveries(hook)).toEqual([
      delivered.messageSid,
      pending.messageSid,
      beforeRestart,
      pending.messageSid,
      afterRestart,
    ]);
    await until(
      async () => (await t.forwards()).every((f) => f.state === 'delivered'),
      'every push recorded as delivered',
    );
  });

  it('pushes to an HTTP server on a unix socket', async () => {
    await t.close();
    const socketHook = new Hook();
    const socketPath = join(t.dir, '..', `hook-${process.pid}-${Date.now()}.sock`);
    await socketHook.listen(socketPath);
    try {
      t = await TestApp.create({ env: forwardEnv(socketHook.url) });
      const inbound = await t.simulator.sendInbound({ from: SENDER, body: 'over a socket' });
      await socketHook.waitForCalls(1);
      expect(socketHook.calls[0].path).toBe('/hooks/sms');
      expect(socketHook.calls[0].headers['x-sms-bridge-delivery']).toBe(inbound.messageSid);
      expect(verify(socketHook.calls[0], SECRET)).toBe(true);
    } finally {
      await socketHook.close();
    }
  });
});

describe('Inbound push without SMS_FORWARD_URL', () => {
  it('queues nothing, and pushes none of it once forwarding is on again', async () => {
    const hook = new Hook();
    const url = await hook.listen();
    // Forwarding on for one boot, then turned off: what arrives after must not be queued.
    const t = await TestApp.create({ env: forwardEnv(url) });
    try {
      delete t.env.SMS_FORWARD_URL;
      delete t.env.SMS_FORWARD_SECRET;
      await t.restart();
      await t.simulator.sendInbound({ from: SENDER, body: 'not pushed' });
      // Queued, or not, in the statement that stored it, before the webhook's 200.
      expect(await t.forwards()).toEqual([]);
      expect(await countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages')).toBe(1);

      // Forwarding on again: the next text is pushed, the one that came while it was off never.
      Object.assign(t.env, forwardEnv(url));
      await t.restart();
      const later = await laterTextPushed(t);
      expect(deliveries(hook)).toEqual([later]);
    } finally {
      await t.close();
      await hook.close();
    }
  });
});
