import type { Selectable } from 'kysely';
import type { Tables } from '../src/storage/tables';
import { BRIDGE_NUMBER, TestApp } from './helpers/test-app';
import { countRows, queryDb } from './helpers/db-file';
import { MAX_MESSAGE_JSON_BYTES } from '../src/safety/message/message-limits';

type OutboundRow = Selectable<Tables['outbound_messages']>;

describe('POST /sms/send', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  const outbound = () =>
    queryDb<OutboundRow>(t.env.SMS_DATABASE_PATH, 'SELECT * FROM outbound_messages ORDER BY seq');

  it('sends through Twilio, answers 201 with the message, and stores it', async () => {
    const before = await countRows(t.env.SMS_DATABASE_PATH, 'outbound_messages');
    const res = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15551234567', body: 'Test from the SMS bridge' })
      .expect(201)
      .expect('Content-Type', /application\/json/);

    expect(res.body).toEqual({
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      status: 'queued',
      to: '+15551234567',
      from: BRIDGE_NUMBER,
      segments: 1,
      encoding: 'GSM-7',
      messagingServiceSid: null,
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    expect(t.simulator.messages.at(-1)).toMatchObject({
      sid: res.body.sid,
      to: '+15551234567',
      from: BRIDGE_NUMBER,
      body: 'Test from the SMS bridge',
    });
    const rows = await outbound();
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({
      sid: res.body.sid,
      status: 'queued',
      from_number: BRIDGE_NUMBER,
      to_number: '+15551234567',
      body: 'Test from the SMS bridge',
      segments: 1,
      error_code: null,
    });
  });

  it('sends the longest body that fits in 10 segments (1530 GSM-7 characters)', async () => {
    const res = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15551234567', body: 'x'.repeat(1530) })
      .expect(201);
    expect(res.body.segments).toBe(10);
    expect(t.simulator.messages.at(-1)?.body).toHaveLength(1530);
  });

  describe('refuses an invalid request with a stable code and sends nothing', () => {
    async function expectRefused(
      send: () => Promise<{ status: number; body: { error: { code: string } } }>,
      status: number,
      code: string,
    ) {
      const requests = t.simulator.requestCount;
      const stored = await countRows(t.env.SMS_DATABASE_PATH, 'outbound_messages');
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(t.simulator.requestCount).toBe(requests);
      expect(await countRows(t.env.SMS_DATABASE_PATH, 'outbound_messages')).toBe(stored);
      return res.body;
    }

    it.each<[string, unknown, string]>([
      ['a missing to', { body: 'hi' }, 'to'],
      ['a to without a plus', { to: '15551234567', body: 'hi' }, 'to'],
      ['a to with spaces', { to: '+1 555 123 4567', body: 'hi' }, 'to'],
      ['a to starting with 0', { to: '+0155512345', body: 'hi' }, 'to'],
      ['a to longer than 15 digits', { to: '+1234567890123456', body: 'hi' }, 'to'],
      ['a to that is a number', { to: 15551234567, body: 'hi' }, 'to'],
      ['a to that is null', { to: null, body: 'hi' }, 'to'],
      ['a missing body', { to: '+15551234567' }, 'body'],
      ['an empty body', { to: '+15551234567', body: '' }, 'body'],
      ['a whitespace-only body', { to: '+15551234567', body: ' \n\t  ' }, 'body'],
      ['a body over 1600 characters', { to: '+15551234567', body: 'x'.repeat(1601) }, 'body'],
      ['a body that is a number', { to: '+15551234567', body: 42 }, 'body'],
      ['a body that is an array', { to: '+15551234567', body: ['hi'] }, 'body'],
      ['an unknown field', { to: '+15551234567', body: 'hi', from: '+15550000000' }, 'from'],
    ])('%s', async (_name, payload, field) => {
      const body = await expectRefused(
        () =>
          t
            .http()
            .post('/sms/send')
            .send(payload as object),
        400,
        'validation_failed',
      );
      expect(body).toMatchObject({
        error: { message: expect.stringMatching(/^The request is invalid: /) },
      });
      const fields = (body as unknown as { error: { fields: { field: string }[] } }).error.fields;
      expect(fields.map((f) => f.field)).toContain(field);
    });

    it('names an unknown field as such', async () => {
      const body = await expectRefused(
        () => t.http().post('/sms/send').send({ to: '+15551234567', body: 'hi', callbackUrl: 'x' }),
        400,
        'validation_failed',
      );
      expect(JSON.stringify(body)).toContain('callbackUrl is not a known field');
    });

    it('malformed JSON', async () => {
      await expectRefused(
        () =>
          t
            .http()
            .post('/sms/send')
            .set('Content-Type', 'application/json')
            .send('{"to": "+15551234567", "body": '),
        400,
        'invalid_json',
      );
    });

    it('a JSON array instead of an object', async () => {
      await expectRefused(
        () => t.http().post('/sms/send').set('Content-Type', 'application/json').send('[]'),
        400,
        'validation_failed',
      );
    });

    it('a body that is not JSON at all', async () => {
      await expectRefused(
        () => t.http().post('/sms/send').set('Content-Type', 'text/plain').send('hello'),
        415,
        'unsupported_media_type',
      );
    });

    it('a request larger than the route accepts (413)', async () => {
      await expectRefused(
        () =>
          t
            .http()
            .post('/sms/send')
            .send({ to: '+15551234567', body: 'x'.repeat(MAX_MESSAGE_JSON_BYTES + 1) }),
        413,
        'payload_too_large',
      );
    });
  });
});
