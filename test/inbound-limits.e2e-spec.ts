import { countRows, openDb } from './helpers/db-file';
import { TestApp } from './helpers/test-app';

const FLOODER = '+15550000001';
const NEIGHBOUR = '+15550000002';
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

describe('per-sender inbound limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({ env: { SMS_INBOUND_PER_SENDER_PER_MINUTE: '3' } });
  });
  afterAll(() => t.close());

  function suppressedAudits(): Promise<number> {
    return countRows(t.env.SMS_DATABASE_PATH, 'audit_log', "action = 'inbound_suppressed'");
  }

  it('answers the excess 200 with empty TwiML, keeps it out of the inbox and audits it', async () => {
    const results = [];
    for (let i = 1; i <= 5; i++) {
      results.push(await t.simulator.sendInbound({ from: FLOODER, body: `flood ${i}` }));
    }
    // 200 for all: Twilio must not retry the excess.
    expect(results.map((r) => [r.status, r.body])).toEqual(Array(5).fill([200, EMPTY_TWIML]));

    const inbox = await t.http().get('/sms/inbox').expect(200);
    expect(inbox.body.messages.map((m: { body: string }) => m.body)).toEqual([
      'flood 1',
      'flood 2',
      'flood 3',
    ]);

    const all = await t.http().get('/sms/inbox?includeSuppressed=true').expect(200);
    expect(
      all.body.messages.map((m: { body: string; status: string }) => [m.body, m.status]),
    ).toEqual([
      ['flood 1', 'received'],
      ['flood 2', 'received'],
      ['flood 3', 'received'],
      ['flood 4', 'suppressed'],
      ['flood 5', 'suppressed'],
    ]);

    expect(await countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages', 'suppressed = 1')).toBe(2);
    expect(await suppressedAudits()).toBe(2);
    expect(
      await countRows(
        t.env.SMS_DATABASE_PATH,
        'audit_log',
        "action = 'inbound_suppressed' AND caller = ? AND reason = 'per_sender_limit' AND sid = ?",
        FLOODER,
        results[4].messageSid,
      ),
    ).toBe(1);
    // Nothing went out because of it.
    expect(t.simulator.requestCount).toBe(0);
  });

  it('does not punish other senders (the limit is per From, not per Twilio IP)', async () => {
    const res = await t.simulator.sendInbound({ from: NEIGHBOUR, body: 'hi from next door' });
    expect(res.status).toBe(200);
    const inbox = await t.http().get('/sms/inbox').expect(200);
    expect(inbox.body.messages.at(-1)).toMatchObject({ from: NEIGHBOUR, status: 'received' });
  });

  it('does not count a Twilio retry of a suppressed message twice', async () => {
    const before = await suppressedAudits();
    const first = await t.simulator.sendInbound({ from: FLOODER, body: 'again' });
    const retry = await t.simulator.sendInbound({
      from: FLOODER,
      body: 'again',
      messageSid: first.messageSid,
    });
    expect(retry.status).toBe(200);
    expect(
      await countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages', 'sid = ?', first.messageSid),
    ).toBe(1);
    expect(await suppressedAudits()).toBe(before + 1);
  });

  it('runs after the signature check: forged floods neither count nor get stored', async () => {
    const victim = '+15550000003';
    const stored = await countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages');
    for (let i = 0; i < 5; i++) {
      const forged = await t.simulator.sendInbound({
        from: victim,
        body: `forged ${i}`,
        signedUrl: 'https://attacker.example/sms/webhook',
      });
      expect(forged.status).toBe(403);
    }
    expect(await countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages')).toBe(stored);
    const real = await t.simulator.sendInbound({ from: victim, body: 'the real one' });
    expect(real.status).toBe(200);
    const inbox = await t.http().get('/sms/inbox').expect(200);
    expect(inbox.body.messages.at(-1)).toMatchObject({ from: victim, body: 'the real one' });
  });

  it('pages with `since` without showing suppressed texts unless asked', async () => {
    const all = await t.http().get('/sms/inbox?includeSuppressed=true').expect(200);
    const firstSid = all.body.messages[0].sid;
    const after = await t.http().get(`/sms/inbox?since=${firstSid}`).expect(200);
    expect(after.body.messages.some((m: { status: string }) => m.status === 'suppressed')).toBe(
      false,
    );
    const everything = await t
      .http()
      .get(`/sms/inbox?since=${firstSid}&includeSuppressed=true`)
      .expect(200);
    expect(
      everything.body.messages.filter((m: { status: string }) => m.status === 'suppressed'),
    ).toHaveLength(3);
    await t.http().get('/sms/inbox?includeSuppressed=maybe').expect(400);
  });

  it('delivers again once the sender’s last minute is under the cap', async () => {
    const blocked = await t.simulator.sendInbound({ from: FLOODER, body: 'still flooding' });
    expect(
      await countRows(
        t.env.SMS_DATABASE_PATH,
        'inbound_messages',
        'sid = ? AND suppressed = 1',
        blocked.messageSid,
      ),
    ).toBe(1);
    // Age the sender's texts past the one-minute window instead of waiting a minute.
    const db = openDb(t.env.SMS_DATABASE_PATH);
    const earlier = new Date(Date.now() - 61_000).toISOString();
    await db.run(
      'UPDATE inbound_messages SET received_at = ? WHERE from_number = ?',
      earlier,
      FLOODER,
    );
    await db.close();
    const later = await t.simulator.sendInbound({ from: FLOODER, body: 'a minute later' });
    expect(
      await countRows(
        t.env.SMS_DATABASE_PATH,
        'inbound_messages',
        'sid = ? AND suppressed = 0',
        later.messageSid,
      ),
    ).toBe(1);
  });
});
