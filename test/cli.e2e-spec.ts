import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { EXIT, runCli } from '../src/cli/cli';
import { freePort } from './helpers/free-port';
import { TestApp } from './helpers/test-app';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as the operator would, against the bridge at `port`, over real HTTP. */
async function cli(port: number, ...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { HOST: '127.0.0.1', PORT: String(port), SMS_BRIDGE_ENV_FILE: '/nonexistent/env' },
  });
  return { code, stdout, stderr };
}

describe('sms-bridge CLI', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await TestApp.create();
    port = Number(new URL(t.url).port);
  });
  afterAll(() => t.close());

  it('reports readiness as a table and as JSON', async () => {
    const table = await cli(port, 'status');
    expect(table).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect(table.stdout).toContain(`sms-bridge at http://127.0.0.1:${port}: ready (twilio)`);
    expect(table.stdout).toMatch(/twilio\.account\.type\s+Full/);

    const json = await cli(port, 'status', '--json');
    expect(json.code).toBe(EXIT.ok);
    expect(JSON.parse(json.stdout)).toMatchObject({
      status: 'ready',
      checks: { database: { ok: true }, twilio: { ok: true } },
    });
  });

  it('sends, then shows the message in the audit log as a table and as JSON', async () => {
    const sent = await cli(port, 'send', '+15551234567', 'hello', 'from', 'the', 'cli', '--json');
    expect(sent.code).toBe(EXIT.ok);
    const message = JSON.parse(sent.stdout) as { sid: string; to: string };
    expect(message.to).toBe('+15551234567');
    expect(t.simulator.messages).toEqual([
      expect.objectContaining({ sid: message.sid, body: 'hello from the cli' }),
    ]);

    const audit = await cli(port, 'audit', '--since', '2020-01-01T00:00:00Z', '--json');
    expect(audit.code).toBe(EXIT.ok);
    const entries = (JSON.parse(audit.stdout) as { entries: Record<string, unknown>[] }).entries;
    expect(entries.filter((entry) => entry.action === 'send')).toEqual([
      expect.objectContaining({ phase: 'attempt', body: 'hello from the cli' }),
      expect.objectContaining({ phase: 'outcome', outcome: 'accepted', sid: message.sid }),
    ]);

    const table = await cli(port, 'audit');
    expect(table.stdout.split('\n')[0]).toMatch(/^at\s+action\s+phase\s+outcome/);
    expect(table.stdout).toContain('hello from the cli');
  });

  it('lists the inbox', async () => {
    await t.simulator.sendInbound({ from: '+15557654321', body: 'a reply' });
    const table = await cli(port, 'inbox');
    expect(table.code).toBe(EXIT.ok);
    expect(table.stdout).toMatch(/\+15557654321\s+\+15005550006\s+received\s+a reply/);
    const json = JSON.parse((await cli(port, 'inbox', '--json')).stdout);
    expect(json.messages).toEqual([expect.objectContaining({ body: 'a reply' })]);
  });

  it('says what the bridge refused, with its code, and exits 1', async () => {
    const refused = await cli(port, 'send', '+15005550001', 'hi');
    expect(refused.code).toBe(EXIT.refused);
    expect(refused.stderr).toMatch(/not a valid phone number.*\(invalid_recipient\)/);
    expect(refused.stdout).toBe('');
  });

  it('explains usage mistakes and exits 2 without calling the bridge', async () => {
    const before = t.simulator.requestCount;
    expect(await cli(port, 'send', '+15551234567')).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringContaining('Usage: sms-bridge send TO BODY...'),
    });
    expect((await cli(port, 'frobnicate')).code).toBe(EXIT.usage);
    expect(t.simulator.requestCount).toBe(before);
  });

  it('writes a backup that opens and holds the messages, while the bridge keeps writing', async () => {
    const file = join(t.dir, 'backup.db');
    // Webhooks land while the backup runs: the copy must still be consistent.
    const burst = Array.from({ length: 10 }, (_, i) =>
      t.simulator.sendInbound({ from: '+15557654321', body: `burst ${i}` }),
    );
    const [backup] = await Promise.all([cli(port, 'backup', file), ...burst]);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(EXIT.ok);
    expect(backup.stdout).toMatch(/Backup written to .*backup\.db \(\d+ bytes\): integrity ok/);

    const copy = new BetterSqlite3(file, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const bodies = copy
        .prepare<[], { body: string }>('SELECT body FROM outbound_messages')
        .all()
        .map((row) => row.body);
      expect(bodies).toContain('hello from the cli');
      const inbound = copy
        .prepare<[], { body: string }>('SELECT body FROM inbound_messages')
        .all()
        .map((row) => row.body);
      expect(inbound).toContain('a reply');
    } finally {
      copy.close();
    }
    // Nothing left behind in the state directory.
    expect(existsSync(join(t.dir, 'backup.db.partial'))).toBe(false);

    const again = await cli(port, 'backup', file);
    expect(again).toMatchObject({ code: EXIT.usage, stderr: expect.stringContaining('--force') });
    rmSync(file);
  });

  it('takes the operator through the approval of a held first send', async () => {
    const guarded = await TestApp.create({ env: { SMS_REQUIRE_APPROVAL: 'true' } });
    try {
      const guardedPort = new URL(guarded.url).port;
      const held = await cli(
        Number(guardedPort),
        'send',
        '+15550001111',
        'first',
        'hello',
        '--json',
      );
      expect(held.code).toBe(EXIT.ok);
      const { approvalId } = JSON.parse(held.stdout) as { approvalId: string };
      expect(JSON.parse(held.stdout)).toMatchObject({ status: 'awaiting_approval' });
      expect(guarded.simulator.messages).toHaveLength(0);

      const listed = await cli(Number(guardedPort), 'approvals');
      expect(listed.code).toBe(EXIT.ok);
      expect(listed.stdout).toContain(approvalId);

      const approved = await cli(Number(guardedPort), 'approve', approvalId, '--json');
      expect(approved.code).toBe(EXIT.ok);
      expect(JSON.parse(approved.stdout)).toMatchObject({
        approval: { id: approvalId, status: 'approved' },
        message: { sid: expect.stringMatching(/^SM/) },
      });
      expect(guarded.simulator.messages.map((m) => m.body)).toEqual(['first hello']);

      const again = await cli(Number(guardedPort), 'deny', approvalId);
      expect(again.code).toBe(EXIT.refused);
      expect(again.stderr).toContain('approval_already_decided');
    } finally {
      await guarded.close();
    }
  });

  it('exits 3 with a clear message when the bridge is down', async () => {
    const down = await cli(await freePort(), 'status');
    expect(down.code).toBe(EXIT.down);
    expect(down.stderr).toMatch(
      /The bridge is not answering at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
    expect(down.stderr).toContain('systemctl status sms-bridge');
    expect(down.stdout).toBe('');
  });
});
