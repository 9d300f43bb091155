import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { frameSms } from '../src/common/untrusted-text';
import { TestApp } from './helpers/test-app';

const SCRIPT = resolve(__dirname, '..', 'skills', 'sms-bridge', 'scripts', 'sms.mjs');
const FRIEND = '+15551230001';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [SCRIPT, ...args], { env }, (error, stdout, stderr) => {
      done({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

describe('the skill helper script (skills/sms-bridge/scripts/sms.mjs)', () => {
  let t: TestApp;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await TestApp.create();
    env = { SMS_BRIDGE_URL: t.url, SMS_BRIDGE_CURSOR_FILE: join(t.dir, 'cursor') };
  });
  afterAll(() => t.close());

  it("'new' shows only the replies since its last call", async () => {
    const first = await t.simulator.sendInbound({ from: FRIEND, body: 'first' });
    const all = await run(env, 'new');
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout).messages.map((m: { sid: string }) => m.sid)).toEqual([
      first.messageSid,
    ]);

    expect(JSON.parse((await run(env, 'new')).stdout).messages).toEqual([]);
    await t.simulator.sendInbound({ from: FRIEND, body: 'second' });
    const next = JSON.parse((await run(env, 'new')).stdout);
    expect(next.messages.map((m: { body: string }) => m.body)).toEqual([
      frameSms({ from: FRIEND, body: 'second' }),
    ]);
  });

  it('sends with an idempotency key and prints the bridge answer', async () => {
    const sent = await run(env, 'send', FRIEND, 'On my way', '--key', 'script-test-1');
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ to: FRIEND, status: 'queued' });
    expect(t.simulator.messages.map((m) => m.body)).toEqual(['On my way']);
  });

  it('exits 1 with the error body when the bridge refuses, 2 when it is down', async () => {
    const before = t.simulator.requestCount;
    const refused = await run(env, 'send', 'not-a-number', 'hi');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe('validation_failed');
    expect(t.simulator.requestCount).toBe(before);

    const down = await run({ ...env, SMS_BRIDGE_URL: 'http://127.0.0.1:1' }, 'contacts');
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('is not answering');
  });
});
