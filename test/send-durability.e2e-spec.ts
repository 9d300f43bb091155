import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TwilioSimulator } from '../src/twilio/simulator/twilio-simulator';
import { NODE_PATH } from './helpers/build-app';
import { BridgeProcess } from './helpers/bridge-process';
import { freePort } from './helpers/free-port';

const SENDS = 5;

function hasStrace(): boolean {
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const straced = hasStrace();
if (!straced) {
  process.stdout.write('send-durability: skipped, strace is not installed (apt package strace)\n');
}

/**
 * Every commit with synchronous=FULL is an fsync, and a sequential send waits for each of
 * them. A send makes two: the attempt, its daily slot and its row before Twilio is called,
 * then its outcome, settlement and audit outcome. Counted on the real process by strace.
 */
(straced ? describe : describe.skip)('durable commits of a send', () => {
  let dir: string;
  let simulator: TwilioSimulator;
  let bridge: BridgeProcess;
  let trace: string;
  let strace: ChildProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sms-bridge-durability-'));
    const accountSid = `AC${randomBytes(16).toString('hex')}`;
    const authToken = randomBytes(16).toString('hex');
    simulator = new TwilioSimulator({ accountSid, authToken });
    await simulator.listen();
    trace = join(dir, 'fsync.trace');
    bridge = new BridgeProcess({
      NODE_PATH,
      NODE_ENV: 'production',
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_PHONE_NUMBER: '+15005550006',
      TWILIO_API_BASE_URL: simulator.baseUrl,
      SMS_DATABASE_PATH: join(dir, 'data', 'sms-bridge.db'),
      SMS_BRIDGE_ENV_FILE: join(dir, 'absent.env'),
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
    });
    await bridge.start();
    // Attached to the running bridge (every thread): the bridge's own signals stay its own.
    strace = spawn(
      'strace',
      ['-f', '-e', 'trace=fsync,fdatasync', '-o', trace, '-p', String(bridge.pid)],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      strace.stderr?.on(
        'data',
        (chunk: Buffer) => chunk.toString().includes('attached') && resolve(),
      );
      strace.once('exit', (code) => reject(new Error(`strace exited (${code})`)));
    });
    const token = readFileSync(join(dir, 'data', 'operator.token'), 'utf8').trim();
    const approved = await fetch(`${bridge.url}/sms/contacts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ number: '+15551234567' }),
    });
    expect(approved.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await bridge?.kill();
    strace?.kill();
    await simulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const fsyncs = () =>
    existsSync(trace)
      ? readFileSync(trace, 'utf8')
          .split('\n')
          .filter((line) => /\b(fsync|fdatasync)\(/.test(line)).length
      : 0;

  const send = () =>
    fetch(`${bridge.url}/sms/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: '+15551234567', body: 'durable' }),
    });

  it('makes at most two fsyncs per accepted send', async () => {
    expect((await send()).status).toBe(201);
    const before = fsyncs();
    for (let i = 0; i < SENDS; i++) expect((await send()).status).toBe(201);
    expect(simulator.requestCount).toBe(SENDS + 1);
    expect(fsyncs() - before).toBeLessThanOrEqual(2 * SENDS);
    // Not zero either: each send is on disk before and after Twilio is called.
    expect(fsyncs() - before).toBeGreaterThanOrEqual(2 * SENDS);
  });

  it('keeps the attempt and the outcome of each send in the audit log', async () => {
    const res = await fetch(`${bridge.url}/sms/audit?since=2000-01-01T00:00:00Z`);
    const body = (await res.json()) as { entries?: { action: string; phase: string }[] };
    const sends = (body.entries ?? []).filter((entry) => entry.action === 'send');
    expect(sends.filter((entry) => entry.phase === 'attempt')).toHaveLength(SENDS + 1);
    expect(sends.filter((entry) => entry.phase === 'outcome')).toHaveLength(SENDS + 1);
  });
});
