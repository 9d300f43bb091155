import { join } from 'node:path';
import { countRows, openDb, queryDb } from './helpers/db-file';
import { AuditRow, readJsonLines } from './helpers/temp-audit';
import { TestApp } from './helpers/test-app';
import { withTestApp } from './helpers/with-test-app';
import { MAX_MESSAGE_JSON_BYTES } from '../src/safety/message/message-limits';

describe('audit of POST /sms/send', () => {
  let t: TestApp;
  let auditFile: string;

  beforeAll(async () => {
    t = await TestApp.create();
    // Default: beside the database.
    auditFile = join(t.dir, 'audit.jsonl');
  });
  afterAll(() => t.close());

  const rows = () =>
    queryDb<AuditRow>(t.env.SMS_DATABASE_PATH, 'SELECT * FROM audit_log ORDER BY id');

  /** The rows and file lines written by the request made in `act`. */
  async function recordsOf(act: () => Promise<unknown>) {
    const seenRows = (await rows()).length;
    const seenLines = readJsonLines(auditFile).length;
    await act();
    return {
      rows: (await rows()).slice(seenRows),
      lines: readJsonLines(auditFile).slice(seenLines),
    };
  }

  function expectAttemptThenOutcome(records: {
    rows: AuditRow[];
    lines: Record<string, unknown>[];
  }) {
    const [attempt, outcome] = records.rows;
    expect(records.rows.map((r) => r.phase)).toEqual(['attempt', 'outcome']);
    expect(outcome.request_id).toBe(attempt.request_id);
    expect(outcome.id).toBeGreaterThan(attempt.id);
    expect(outcome.at >= attempt.at).toBe(true);
    expect(attempt.caller).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    // The file holds the same records, in the same order.
    expect(records.lines).toEqual([
      expect.objectContaining({
        id: attempt.id,
        at: attempt.at,
        phase: 'attempt',
        requestId: attempt.request_id,
      }),
      expect.objectContaining({
        id: outcome.id,
        at: outcome.at,
        phase: 'outcome',
        requestId: attempt.request_id,
      }),
    ]);
    return { attempt, outcome };
  }

  it('records the attempt and the accepted outcome of a send, with its sid', async () => {
    let sid = '';
    const records = await recordsOf(async () => {
      const res = await t
        .http()
        .post('/sms/send')
        .send({ to: '+15551234567', body: 'audited hi' })
        .expect(201);
      sid = res.body.sid;
    });

    const { attempt, outcome } = expectAttemptThenOutcome(records);
    expect(attempt).toMatchObject({
      action: 'send',
      recipient: '+15551234567',
      body: 'audited hi',
      outcome: null,
      sid: null,
    });
    expect(outcome).toMatchObject({ action: 'send', outcome: 'accepted', sid, reason: null });
    expect(records.lines[1]).toMatchObject({
      action: 'send',
      recipient: '+15551234567',
      body: 'audited hi',
      outcome: 'accepted',
      sid,
    });
  });

  it('records a send Twilio refused, with the reason and the Twilio code', async () => {
    const records = await recordsOf(() =>
      t.http().post('/sms/send').send({ to: '+15005550001', body: 'to a bad number' }).expect(400),
    );

    const { attempt, outcome } = expectAttemptThenOutcome(records);
    expect(attempt).toMatchObject({ recipient: '+15005550001', body: 'to a bad number' });
    expect(outcome).toMatchObject({ outcome: 'refused', reason: 'invalid_recipient', sid: null });
    expect(JSON.parse(outcome.detail!)).toEqual({ status: 400, twilioCode: 21211 });
    expect(records.lines[1]).toMatchObject({
      outcome: 'refused',
      reason: 'invalid_recipient',
      detail: { status: 400, twilioCode: 21211 },
    });
  });

  it('records a send that failed at Twilio as failed', () =>
    withTestApp({ env: { TWILIO_API_BASE_URL: 'http://127.0.0.1:1' } }, async (down) => {
      await down.http().post('/sms/send').send({ to: '+15551234567', body: 'x' }).expect(502);
      const records = {
        rows: await queryDb<AuditRow>(
          down.env.SMS_DATABASE_PATH,
          'SELECT * FROM audit_log ORDER BY id',
        ),
        lines: readJsonLines(join(down.dir, 'audit.jsonl')),
      };
      const { outcome } = expectAttemptThenOutcome(records);
      expect(outcome).toMatchObject({ outcome: 'failed', reason: 'twilio_unreachable' });
    }));

  it('records an invalid request as refused', async () => {
    const records = await recordsOf(() =>
      t.http().post('/sms/send').send({ to: 'nobody', body: 'x' }).expect(400),
    );
    const { outcome } = expectAttemptThenOutcome(records);
    expect(outcome).toMatchObject({ outcome: 'refused', reason: 'validation_failed' });
  });

  it('records a send refused for coming through a proxy', async () => {
    const records = await recordsOf(() =>
      t
        .http()
        .post('/sms/send')
        .set('X-Forwarded-For', '203.0.113.7')
        .send({ to: '+15551234567', body: 'x' })
        .expect(403),
    );
    // Refused by a guard, still recorded as every action is: its attempt, then its outcome.
    const refused = [
      expect.objectContaining({ phase: 'attempt', action: 'send', caller: '127.0.0.1' }),
      expect.objectContaining({ phase: 'outcome', outcome: 'refused', reason: 'local_only' }),
    ];
    expect(records.rows).toEqual(refused);
    expect(records.lines).toEqual(refused);
  });

  it.each([
    ['malformed JSON', 'application/json', '{"to": "+1555', 400, 'invalid_json'],
    [
      'a form instead of JSON',
      'application/x-www-form-urlencoded',
      'to=x',
      415,
      'unsupported_media_type',
    ],
    [
      'an oversized body',
      'application/json',
      JSON.stringify({ to: '+15551234567', body: 'x'.repeat(MAX_MESSAGE_JSON_BYTES + 1) }),
      413,
      'payload_too_large',
    ],
  ])('records a send refused before routing (%s)', async (_name, type, body, status, code) => {
    const records = await recordsOf(() =>
      t.http().post('/sms/send').set('Content-Type', type).send(body).expect(status),
    );
    expect(records.rows).toEqual([
      expect.objectContaining({
        action: 'body_refused',
        phase: 'outcome',
        outcome: 'refused',
        reason: code,
        detail: JSON.stringify({ method: 'POST', path: '/sms/send' }),
      }),
    ]);
    expect(records.lines).toEqual([
      expect.objectContaining({ action: 'body_refused', reason: code }),
    ]);
    expect(t.simulator.messages.filter((m) => m.body.startsWith('xxxx'))).toEqual([]);
  });

  it('keeps the audit table append-only', async () => {
    const db = openDb(t.env.SMS_DATABASE_PATH);
    try {
      await expect(db.run("UPDATE audit_log SET outcome = 'accepted'")).rejects.toThrow(
        /append-only/,
      );
      await expect(db.run('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    } finally {
      await db.close();
    }
  });
});

describe('audit that cannot be written', () => {
  let t: TestApp;

  // /dev/full (Linux) accepts the open and fails every write with ENOSPC, as a full disk does.
  beforeAll(async () => {
    t = await TestApp.create({ env: { SMS_AUDIT_LOG_PATH: '/dev/full' } });
  });
  afterAll(() => t.close());

  it('refuses to send with 503 audit_unavailable and sends nothing', async () => {
    const res = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15551234567', body: 'must not go out' })
      .expect(503);
    expect(res.body.error.code).toBe('audit_unavailable');
    expect(t.simulator.requestCount).toBe(0);
    expect(await countRows(t.env.SMS_DATABASE_PATH, 'outbound_messages')).toBe(0);
    // The row is rolled back with its line: no record the file does not also hold.
    expect(await countRows(t.env.SMS_DATABASE_PATH, 'audit_log')).toBe(0);
  });

  it('still refuses a proxied send with 403 local_only', async () => {
    const res = await t
      .http()
      .post('/sms/send')
      .set('X-Forwarded-For', '203.0.113.7')
      .send({ to: '+15551234567', body: 'x' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('local_only');
    expect(t.simulator.requestCount).toBe(0);
  });
});
