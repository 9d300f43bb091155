import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TwilioSimulator } from '../src/twilio/simulator/twilio-simulator';
import { builtApp, NODE_PATH } from './helpers/build-app';
import { freePort } from './helpers/free-port';
import { queryDb } from './helpers/db-file';
import { dropStoreFor, storeEnvFor } from './helpers/test-database';
import { until } from './helpers/until';

/**
 * The built app as systemd runs it: `node dist/main.js` in its own process, with the
 * simulator as Twilio. What only a real process shows: signals, exit status, the bin.
 */
interface Bridge {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * A test boots the bridge and may spawn the CLI twice: a second each on an idle machine,
 * over 15 s for the boot alone on a loaded 2-core one. The limit only catches a hang.
 */
jest.setTimeout(120_000);

let dir: string;
let dist: string;
let simulator: TwilioSimulator;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sms-bridge-process-'));
  dist = builtApp();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  simulator = new TwilioSimulator({ accountSid, authToken });
  await simulator.listen();
  // In production without SMS_PUBLIC_BASE_URL the bridge checks signatures against the URL
  // Twilio says the number's webhook points at: here, the bridge itself on a known port.
  const port = await freePort();
  const databasePath = join(dir, `db-${randomBytes(4).toString('hex')}`, 'sms-bridge.db');
  simulator.knobs.incomingPhoneNumbers.set('+15005550006', `http://127.0.0.1:${port}/sms/webhook`);
  env = {
    PATH: process.env.PATH ?? '',
    NODE_PATH,
    NODE_ENV: 'production',
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    TWILIO_PHONE_NUMBER: '+15005550006',
    TWILIO_API_BASE_URL: simulator.baseUrl,
    SMS_DATABASE_PATH: databasePath,
    ...(await storeEnvFor(databasePath)),
    SMS_BRIDGE_ENV_FILE: join(dir, 'absent.env'),
    HOST: '127.0.0.1',
    PORT: String(port),
  };
});
afterEach(async () => {
  await simulator.close();
  await dropStoreFor(env.SMS_DATABASE_PATH);
});

function start(extra: Record<string, string> = {}): Promise<Bridge> {
  const child = spawn(process.execPath, [join(dist, 'main.js')], {
    env: { ...env, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match) {
        simulator.webhookUrl = `${match[1]}/sms/webhook`;
        const bridge = { child, url: match[1], output: () => output, exited };
        // Readiness answers once Twilio has said where the webhook points.
        child.stdout.off('data', onData);
        child.stderr.off('data', onData);
        child.stdout.on('data', (more: Buffer) => (output += more.toString()));
        child.stderr.on('data', (more: Buffer) => (output += more.toString()));
        fetch(`${match[1]}/health/ready`).then(() => resolve(bridge), reject);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`The bridge exited (${code}):\n${output}`)));
  });
}

function runCliBin(port: string, ...argv: string[]) {
  const child = spawn(process.execPath, [join(dist, 'cli', 'main.js'), ...argv], {
    env: { ...env, PORT: port, NODE_ENV: 'development' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
}

async function refusesConnections(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/health`);
    return false;
  } catch {
    return true;
  }
}

/** The operator pre-approves the recipient: production never sends to a stranger unasked. */
async function approve(bridge: Bridge, number: string): Promise<void> {
  // The bridge made its operator token at boot, beside the database.
  const token = readFileSync(join(dirname(env.SMS_DATABASE_PATH), 'operator.token'), 'utf8');
  const res = await fetch(`${bridge.url}/sms/contacts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token.trim()}` },
    body: JSON.stringify({ number }),
  });
  expect(res.status).toBe(201);
}

describe('the built bridge as a process', () => {
  it('on SIGTERM stops accepting, answers what is in flight, keeps every webhook it answered, exits 0', async () => {
    const bridge = await start();
    await approve(bridge, '+15551234567');
    const release = simulator.holdResponses();
    const send = fetch(`${bridge.url}/sms/send`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ to: '+15551234567', body: 'in flight' }),
    });
    await until(() => simulator.requestCount === 1, 'the send to reach Twilio');
    // A burst of inbound texts around the signal: some answered, some refused at the door.
    const burst = Array.from({ length: 20 }, (_, i) =>
      simulator.sendInbound({ from: '+15557654321', body: `burst ${i}` }).catch(() => null),
    );
    await Promise.all(burst.slice(0, 5));
    bridge.child.kill('SIGTERM');
    await until(() => refusesConnections(bridge.url), 'the listener to close');
    expect(bridge.output()).toContain('SIGTERM: no new connections');

    release();
    const response = await send;
    expect(response.status).toBe(201);
    const sent = (await response.json()) as { sid: string };
    expect(await bridge.exited).toBe(0);
    // The database was closed: SQLite removes the WAL file on a clean close (and on
    // PostgreSQL never made one).
    expect(existsSync(`${env.SMS_DATABASE_PATH}-wal`)).toBe(false);

    const answered = (await Promise.all(burst)).filter((result) => result?.status === 200);
    expect(answered.length).toBeGreaterThanOrEqual(5);
    const stored = await queryDb<{ sid: string }>(
      env.SMS_DATABASE_PATH,
      'SELECT sid FROM inbound_messages',
    );
    expect(stored.map((row) => row.sid)).toEqual(
      expect.arrayContaining(answered.map((result) => result!.messageSid)),
    );
    const outbound = await queryDb<{ sid: string; status: string }>(
      env.SMS_DATABASE_PATH,
      'SELECT sid, status FROM outbound_messages',
    );
    // Accepted by Twilio; its delivery callbacks may have come in before the bridge stopped.
    expect(outbound).toEqual([
      { sid: sent.sid, status: expect.stringMatching(/^(queued|sent|delivered)$/) },
    ]);
    expect(bridge.output()).toContain('Stopped cleanly');
  });

  it('cuts off a request still running after SMS_SHUTDOWN_TIMEOUT_MS and still exits', async () => {
    const bridge = await start({ SMS_SHUTDOWN_TIMEOUT_MS: '200' });
    await approve(bridge, '+15551234567');
    const release = simulator.holdResponses();
    const send = fetch(`${bridge.url}/sms/send`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ to: '+15551234567', body: 'stuck' }),
    }).catch((error: Error) => error);
    await until(() => simulator.requestCount === 1, 'the send to reach Twilio');
    bridge.child.kill('SIGTERM');
    expect(await bridge.exited).toBe(0);
    // The connection was cut: no answer, rather than a process that never stops.
    expect(await send).toMatchObject({ message: 'fetch failed' });
    expect(bridge.output()).toContain('Requests still running after 200 ms');
    release();
  });

  it('serves the sms-bridge bin, which says so when the bridge is down', async () => {
    const bridge = await start();
    const port = new URL(bridge.url).port;
    const status = await runCliBin(port, 'status', '--json');
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ status: 'ready', mode: 'twilio' });

    bridge.child.kill('SIGTERM');
    expect(await bridge.exited).toBe(0);
    const down = await runCliBin(port, 'inbox');
    expect(down.code).toBe(3);
    expect(down.stderr).toContain(`The bridge is not answering at http://127.0.0.1:${port}`);
  });
});
