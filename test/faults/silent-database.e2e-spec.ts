import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TcpProxy } from '../../bench/tcp-proxy';
import { TwilioSimulator } from '../../src/twilio/simulator/twilio-simulator';
import { BridgeProcess, simulatedBridge } from '../helpers/bridge-process';
import { queryDb } from '../helpers/db-file';
import { freePort } from '../helpers/free-port';
import { expectPrompt, timed } from '../helpers/latency';
import { RELAXED_SAFETY_ENV } from '../helpers/test-app';
import { dropStoreFor, ON_POSTGRES, storeEnvFor } from '../helpers/test-database';

const STATEMENT_TIMEOUT_MS = 1000;
/** store.ts gives up on its own clock this long after the server's statement_timeout. */
const CLIENT_GRACE_MS = 1000;
/** What a loaded 2-core machine adds to a bound before the test calls it broken. */
const SLACK_MS = 1500;
const SHUTDOWN_TIMEOUT_MS = 3000;
/** /health's promise to a load balancer, whatever the database does. */
const HEALTH_MS = 100;
/** Far less than the statement bound a /health that waited on the database would take. */
const WORST_MS = 500;

/**
 * The network between the bridge and PostgreSQL stops passing bytes without a reset (a
 * dropped route, a frozen server): the bridge as its own process, its database behind a
 * proxy the test stalls.
 */
if (!ON_POSTGRES) console.info('Skipped on SQLite: a network between the bridge and its database');
const describeOnPostgres = ON_POSTGRES ? describe : describe.skip;

describeOnPostgres('the database going silent behind the network', () => {
  let dir: string;
  let path: string;
  let simulator: TwilioSimulator;
  let proxy: TcpProxy;
  let bridge: BridgeProcess;

  const send = (body: string) =>
    fetch(`${bridge.url}/sms/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: '+15551234567', body }),
    });

  const health = () => fetch(`${bridge.url}/health`);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sms-bridge-silent-'));
    path = join(dir, 'sms-bridge.db');
    const simulated = await simulatedBridge(path);
    simulator = simulated.simulator;
    // The test reads the database directly; the bridge reaches it through the proxy.
    const { SMS_DATABASE_URL: direct } = await storeEnvFor(path);
    const url = new URL(direct);
    proxy = new TcpProxy({ host: url.hostname, port: Number(url.port) });
    url.port = String(await proxy.listen());
    bridge = new BridgeProcess({
      ...simulated.env,
      SMS_DATABASE_URL: url.toString(),
      SMS_DATABASE_CONNECT_TIMEOUT_MS: '1000',
      SMS_DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      SMS_DATABASE_LOCK_TIMEOUT_MS: '500',
      SMS_DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '2000',
      SMS_DATABASE_KEEPALIVE_MS: '1000',
      SMS_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      ...RELAXED_SAFETY_ENV,
    });
    await bridge.start();
  }, 90_000);

  afterEach(async () => {
    proxy.resume();
    await bridge.kill();
    await proxy.close();
    await simulator.close();
    await dropStoreFor(path);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a send 503 storage_unavailable within the statement bound, and calls Twilio for none', async () => {
    expect((await send('before the stall')).status).toBe(201);
    proxy.stall();

    const { ms, value: res } = await timed(() => send('during the stall'));
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'storage_unavailable',
    );
    expect(ms).toBeLessThan(STATEMENT_TIMEOUT_MS + CLIENT_GRACE_MS + SLACK_MS);
    expect(simulator.messages.map((m) => m.body)).toEqual(['before the stall']);
  }, 30_000);

  it('answers /health in under 100 ms while a statement hangs', async () => {
    proxy.stall();
    const pending = send('hangs on the silent database');
    const times: number[] = [];
    const statuses: number[] = [];
    // Over the whole wait of the hanging send, and past the point where /health gives up
    // on the database.
    for (let i = 0; i < 15; i++) {
      const { ms, value: res } = await timed(health);
      times.push(ms);
      statuses.push(res.status);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expectPrompt(times, HEALTH_MS, WORST_MS);
    // Within a second of silence /health stops calling the database ok.
    expect(statuses.at(-1)).toBe(503);
    expect((await pending).status).toBe(503);
  }, 30_000);

  it('exits on SIGTERM within its shutdown timeout while the database is silent', async () => {
    proxy.stall();
    const pending = send('hangs on the silent database').catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { ms } = await timed(() => bridge.kill('SIGTERM'));
    expect(ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS + SLACK_MS);
    await pending;
  }, 30_000);

  it('keeps what it acknowledged before the stall, once bytes pass again and after a restart', async () => {
    const inbound = await simulator.sendInbound({ from: '+15557654321', body: 'before' });
    expect(inbound.status).toBe(200);
    expect((await send('sent before')).status).toBe(201);
    proxy.stall();
    const refused = await simulator.sendInbound({ from: '+15557654321', body: 'during' });
    expect(refused.status).toBe(503);
    proxy.resume();

    const stored = async () =>
      (await queryDb<{ body: string }>(path, 'SELECT body FROM inbound_messages')).map(
        (row) => row.body,
      );
    const inbox = async () =>
      (
        (await (await fetch(`${bridge.url}/sms/inbox`)).json()) as { messages: { sid: string }[] }
      ).messages.map((m) => m.sid);
    expect(await inbox()).toEqual([inbound.messageSid]);
    expect(await stored()).toEqual(['before']);

    await bridge.kill('SIGTERM');
    await bridge.start(await freePort());
    simulator.webhookUrl = `${bridge.url}/sms/webhook`;
    expect(await inbox()).toEqual([inbound.messageSid]);
    const outbound = await queryDb<{ body: string }>(path, 'SELECT body FROM outbound_messages');
    expect(outbound.map((row) => row.body)).toEqual(['sent before']);
  }, 90_000);
});
