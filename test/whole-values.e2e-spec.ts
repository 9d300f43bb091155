import { countRows, queryDb } from './helpers/db-file';
import { TestApp } from './helpers/test-app';

/**
 * A value is stored whole or refused whole, on SQLite and PostgreSQL alike. PostgreSQL's
 * text cannot hold U+0000, so the bridge refuses it at the door on both stores; every other
 * code point goes in and comes back out as it was sent.
 */
describe('values arrive whole', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  const db = () => t.env.SMS_DATABASE_PATH;

  it('stores and returns an inbound text of awkward code points exactly as sent', async () => {
    const body = 'a\u0001b\u007f c\u00a0d \ufeff\uffff \u{1f600}\u{10ffff} \u0627\u0644 end';
    const result = await t.simulator.sendInbound({
      from: '+15551234567',
      body,
      url: `${t.url}/sms/webhook`,
    });

    expect(result.status).toBe(200);
    const rows = await queryDb<{ body: string }>(
      db(),
      'SELECT body FROM inbound_messages WHERE sid = ?',
      result.messageSid,
    );
    expect(rows).toEqual([{ body }]);
    const inbox = (await t.http().get('/sms/inbox').expect(200)).body as {
      messages: { body: string }[];
    };
    expect(inbox.messages.map((message) => message.body)).toContain(body);
  });

  it('refuses an inbound text with U+0000 instead of storing part of it', async () => {
    const before = await countRows(db(), 'inbound_messages');
    const result = await t.simulator.sendInbound({
      from: '+15551234567',
      body: 'before\u0000after',
      url: `${t.url}/sms/webhook`,
    });

    expect(result.status).toBe(400);
    expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'validation_failed' } });
    expect(await countRows(db(), 'inbound_messages')).toBe(before);
  });

  it('refuses an approval request whose reason holds U+0000: no approval, no contact, Twilio not called', async () => {
    const texts = t.simulator.messages.length;
    const answer = await t
      .http()
      .post('/sms/approvals')
      .send({ to: '+15557654321', reason: 'my boss\u0000 said so' })
      .expect(400);

    expect(answer.body.error).toMatchObject({
      code: 'validation_failed',
      fields: [
        { field: 'reason', problems: ['reason must not contain the character U+0000 (NUL)'] },
      ],
    });
    expect(await countRows(db(), 'approvals')).toBe(0);
    expect(await countRows(db(), 'contacts', 'number = ?', '+15557654321')).toBe(0);
    expect(t.simulator.messages.length).toBe(texts);
    expect(
      await queryDb<{ reason: string }>(
        db(),
        "SELECT reason FROM audit_log WHERE action = 'body_refused'",
      ),
    ).toEqual([{ reason: 'validation_failed' }]);
  });

  it('refuses a field name holding U+0000', async () => {
    await t
      .http()
      .post('/sms/approvals')
      .send(JSON.parse('{"to":"+15557654321","reason":"ok","re\\u0000ason":"x"}'))
      .expect(400);

    expect(await countRows(db(), 'approvals')).toBe(0);
  });
});
