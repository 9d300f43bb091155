import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { EXIT } from '../src/cli/cli';
import { freePort } from './helpers/free-port';
import { cli, cliWith } from './helpers/run-cli';
import { TestApp } from './helpers/test-app';
import { itOnSqlite } from './helpers/test-database';

describe('sms-bridge CLI', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await TestApp.create();
    port = Number(new URL(t.url).port);
  });
  afterAll(() => t.close());

  it('reports readiness as a table and as JSON', async () => {
    const table = await cli(t, 'status');
    expect(table).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect(table.stdout).toContain(`sms-bridge at http://127.0.0.1:${port}: ready (twilio)`);
    expect(table.stdout).toMatch(/twilio\.account\.type\s+Full/);

    const json = await cli(t, 'status', '--json');
    expect(json.code).toBe(EXIT.ok);
    expect(JSON.parse(json.stdout)).toMatchObject({
      status: 'ready',
      checks: { database: { ok: true }, twilio: { ok: true } },
    });
  });

  it('sends, then shows the message in the audit log as a table and as JSON', async () => {
    const sent = await cli(t, 'send', '+15551234567', 'hello', 'from', 'the', 'cli', '--json');
    expect(sent.code).toBe(EXIT.ok);
    const message = JSON.parse(sent.stdout) as { sid: string; to: string };
    expect(message.to).toBe('+15551234567');
    expect(t.simulator.messages).toEqual([
      expect.objectContaining({ sid: message.sid, body: 'hello from the cli' }),
    ]);

    const audit = await cli(t, 'audit', '--since', '2020-01-01T00:00:00Z', '--json');
    expect(audit.code).toBe(EXIT.ok);
    const entries = (JSON.parse(audit.stdout) as { entries: Record<string, unknown>[] }).entries;
    expect(entries.filter((entry) => entry.action === 'send')).toEqual([
      expect.objectContaining({ phase: 'attempt', body: 'hello from the cli' }),
      expect.objectContaining({ phase: 'outcome', outcome: 'accepted', sid: message.sid }),
    ]);

    const table = await cli(t, 'audit');
    expect(table.stdout.split('\n')[0]).toMatch(
      /^time \(UTC\)\s+action\s+phase\s+outcome\s+recipient\s+reason$/,
    );
    expect(table.stdout).toMatch(/send\s+outcome\s+accepted\s+\+15551234567/);
  });

  it('lists the inbox', async () => {
    await t.simulator.sendInbound({ from: '+15557654321', body: 'a reply' });
    const table = await cli(t, 'inbox');
    expect(table.code).toBe(EXIT.ok);
    expect(table.stdout).toMatch(
      /^time \(UTC\)\s+from\s+body\n\d{4}-\d\d-\d\d \d\d:\d\d\s+\+15557654321\s+a reply\n$/,
    );
    const json = JSON.parse((await cli(t, 'inbox', '--json')).stdout);
    expect(json.messages).toEqual([expect.objectContaining({ body: 'a reply' })]);
  });

  it('lists texts scheduled for later and cancels one', async () => {
    const sendAt = new Date(Date.now() + 7_200_000).toISOString();
    const scheduled = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15551234599', body: 'Call me back', sendAt })
      .expect(202);
    const table = await cli(t, 'scheduled');
    expect(table.code).toBe(EXIT.ok);
    expect(table.stdout).toContain(scheduled.body.id);
    expect(table.stdout).toContain('    body: Call me back');

    const cancelled = await cli(t, 'cancel', scheduled.body.id, '--json');
    expect(cancelled.code).toBe(EXIT.ok);
    expect(JSON.parse(cancelled.stdout).scheduled).toMatchObject({ status: 'cancelled' });
    const listed = JSON.parse(
      (await cli(t, 'scheduled', '--status', 'cancelled', '--json')).stdout,
    );
    expect(listed.scheduled.map((row: { id: string }) => row.id)).toContain(scheduled.body.id);

    const missing = await cli(t, 'cancel', 'no-such-id');
    expect(missing.code).toBe(EXIT.refused);
    expect(missing.stderr + missing.stdout).toContain('scheduled_send_not_found');
  });

  it('schedules a text with --send-at, as the API does with sendAt, sending nothing now', async () => {
    const requests = t.simulator.requestCount;
    const sendAt = new Date(Date.now() + 3 * 3_600_000).toISOString();
    const sent = await cli(
      t,
      'send',
      '+15551234588',
      'see',
      'you',
      'later',
      '--send-at',
      sendAt,
      '--json',
    );
    expect(sent.code).toBe(EXIT.ok);
    const answer = JSON.parse(sent.stdout) as { status: string; id: string; sendAt: string };
    expect(answer).toMatchObject({ status: 'scheduled', sendAt });
    expect(t.simulator.requestCount).toBe(requests);

    const listed = JSON.parse((await cli(t, 'scheduled', '--json')).stdout);
    expect(listed.scheduled).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: answer.id, body: 'see you later', status: 'scheduled' }),
      ]),
    );
    expect((await cli(t, 'cancel', answer.id)).code).toBe(EXIT.ok);
  });

  it('refuses a --send-at in the past or without an offset, storing and sending nothing', async () => {
    const requests = t.simulator.requestCount;
    const before = JSON.parse((await cli(t, 'scheduled', '--json')).stdout).scheduled.length;
    for (const when of ['2001-01-01T09:00:00Z', '2099-01-01T09:00:00', 'tomorrow']) {
      const refused = await cli(t, 'send', '+15551234589', 'now?', '--send-at', when);
      expect(refused).toMatchObject({ code: EXIT.refused, stdout: '' });
      expect(refused.stderr).toMatch(/sendAt must .*\(validation_failed\)/);
    }
    expect(JSON.parse((await cli(t, 'scheduled', '--json')).stdout).scheduled).toHaveLength(before);
    expect(t.simulator.requestCount).toBe(requests);
  });

  it('says what the bridge refused, with its code, and exits 1', async () => {
    const refused = await cli(t, 'send', '+15005550001', 'hi');
    expect(refused.code).toBe(EXIT.refused);
    expect(refused.stderr).toMatch(/not a valid phone number.*\(invalid_recipient\)/);
    expect(refused.stdout).toBe('');
  });

  it('explains usage mistakes and exits 2 without calling the bridge', async () => {
    const before = t.simulator.requestCount;
    expect(await cli(t, 'send', '+15551234567')).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringContaining('Usage: sms-bridge send TO BODY... [--send-at TIME]'),
    });
    expect((await cli(t, 'frobnicate')).code).toBe(EXIT.usage);
    expect(t.simulator.requestCount).toBe(before);
  });

  itOnSqlite('the online backup copies the SQLite file; PostgreSQL is backed up with pg_dump')(
    'writes a backup that opens and holds the messages, while the bridge keeps writing',
    async () => {
      const file = join(t.dir, 'backup.db');
      // Webhooks land while the backup runs: the copy must still be consistent.
      const burst = Array.from({ length: 10 }, (_, i) =>
        t.simulator.sendInbound({ from: '+15557654321', body: `burst ${i}` }),
      );
      const [backup] = await Promise.all([cli(t, 'backup', file), ...burst]);
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

      const again = await cli(t, 'backup', file);
      expect(again).toMatchObject({ code: EXIT.usage, stderr: expect.stringContaining('--force') });
      rmSync(file);
    },
  );

  it('takes the operator through the approval of a held first send', async () => {
    const guarded = await TestApp.create({ env: { SMS_REQUIRE_APPROVAL: 'true' } });
    try {
      const held = await cli(guarded, 'send', '+15550001111', 'first', 'hello', '--json');
      expect(held.code).toBe(EXIT.ok);
      const { approvalId } = JSON.parse(held.stdout) as { approvalId: string };
      expect(JSON.parse(held.stdout)).toMatchObject({ status: 'awaiting_approval' });
      expect(guarded.simulator.messages).toHaveLength(0);

      const listed = await cli(guarded, 'approvals');
      expect(listed.code).toBe(EXIT.ok);
      expect(listed.stdout).toContain(approvalId);

      // Without the token file (an agent's user cannot read it) nothing is even asked.
      const unreadable = await cliWith(
        guarded,
        { SMS_OPERATOR_TOKEN_FILE: join(guarded.dir, 'no-such.token') },
        'approve',
        approvalId,
      );
      expect(unreadable.code).toBe(EXIT.usage);
      expect(unreadable.stderr).toContain('needs the operator token');
      expect(unreadable.stderr).toContain(
        `Run as the service user or root: sudo sms-bridge approve ${approvalId}`,
      );
      const pending = await guarded.http().get('/sms/approvals?status=pending').expect(200);
      expect(pending.body.approvals).toEqual([expect.objectContaining({ id: approvalId })]);
      expect(guarded.simulator.requestCount).toBe(0);

      const approved = await cli(guarded, 'approve', approvalId, '--json');
      expect(approved.code).toBe(EXIT.ok);
      expect(JSON.parse(approved.stdout)).toMatchObject({
        approval: { id: approvalId, status: 'approved' },
        message: { sid: expect.stringMatching(/^SM/) },
      });
      expect(guarded.simulator.messages.map((m) => m.body)).toEqual(['first hello']);

      const again = await cli(guarded, 'deny', approvalId);
      expect(again.code).toBe(EXIT.refused);
      expect(again.stderr).toContain('approval_already_decided');

      // The operator pre-approves a number: the next send to it goes straight out.
      const added = await cli(guarded, 'approve-number', '+15550002222', '--json');
      expect(added.stderr).toBe('');
      expect(JSON.parse(added.stdout)).toMatchObject({
        contact: { number: '+15550002222', state: 'approved', source: 'operator' },
      });
      const sent = await cli(guarded, 'send', '+15550002222', 'pre-approved', '--json');
      expect(JSON.parse(sent.stdout)).toMatchObject({ sid: expect.stringMatching(/^SM/) });
      expect(guarded.simulator.messages.map((m) => m.body)).toEqual([
        'first hello',
        'pre-approved',
      ]);
    } finally {
      await guarded.close();
    }
  });

  it('finds the bridge at SMS_BRIDGE_URL before HOST and PORT', async () => {
    const found = await cliWith(await freePort(), { SMS_BRIDGE_URL: t.url }, 'status');
    expect(found).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect(found.stdout).toContain(`sms-bridge at ${t.url}: ready`);
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
