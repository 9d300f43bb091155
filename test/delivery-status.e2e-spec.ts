import { getExpectedTwilioSignature } from 'twilio';
import { TestApp } from './helpers/test-app';

const PUBLIC_BASE = 'https://bridge.example.com';
const CALLBACK_URL = `${PUBLIC_BASE}/api/sms/status`;

describe('delivery status callbacks', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({ env: { SMS_PUBLIC_BASE_URL: PUBLIC_BASE } });
  });
  afterEach(() => {
    t.simulator.knobs.deliveryOutcome = { status: 'delivered' };
  });
  afterAll(() => t.close());

  async function send(to = '+15551234567', body = 'Did this arrive?'): Promise<string> {
    const res = await t.http().post('/sms/send').send({ to, body }).expect(201);
    return res.body.sid as string;
  }

  async function message(sid: string) {
    return (await t.http().get(`/sms/messages/${sid}`).expect(200)).body;
  }

  it('asks Twilio for callbacks and shows the message delivered, with its history', async () => {
    const sid = await send();
    expect(t.simulator.messages.at(-1)).toMatchObject({ sid, statusCallback: CALLBACK_URL });

    await t.simulator.flushCallbacks();

    const results = t.simulator.callbackResults.filter((r) => r.messageSid === sid);
    expect(results.map((r) => [r.messageStatus, r.status])).toEqual([
      ['sent', 204],
      ['delivered', 204],
    ]);
    const outbox = await t.http().get('/sms/outbox').expect(200);
    const shown = outbox.body.messages.find((m: { sid: string }) => m.sid === sid);
    expect(shown).toMatchObject({
      sid,
      direction: 'outbound',
      status: 'delivered',
      errorCode: null,
      history: [
        { status: 'queued', errorCode: null, at: expect.any(String) },
        { status: 'sent', errorCode: null, at: expect.any(String) },
        { status: 'delivered', errorCode: null, at: expect.any(String) },
      ],
    });
    expect(await message(sid)).toEqual(shown);
  });

  it('keeps status and history across a restart', async () => {
    const sid = await send();
    await t.simulator.flushCallbacks();
    const before = await message(sid);
    await t.restart();
    expect(await message(sid)).toEqual(before);
    expect(before.history).toHaveLength(3);
  });

  it('records an undelivered message with its Twilio error code', async () => {
    t.simulator.knobs.deliveryOutcome = { status: 'undelivered', errorCode: 30007 };
    const sid = await send();
    await t.simulator.flushCallbacks();

    const shown = await message(sid);
    expect(shown).toMatchObject({ status: 'undelivered', errorCode: 30007 });
    expect(shown.history.map((h: { status: string }) => h.status)).toEqual([
      'queued',
      'sent',
      'undelivered',
    ]);
    expect(shown.history[2].errorCode).toBe(30007);
  });

  it('records a failed message per recipient, without a sent step', async () => {
    t.simulator.knobs.deliveryOutcome = (m) =>
      m.to === '+15550000030' ? { status: 'failed', errorCode: 30003 } : { status: 'delivered' };
    const failed = await send('+15550000030');
    const delivered = await send('+15550000031');
    await t.simulator.flushCallbacks();

    expect(await message(failed)).toMatchObject({
      status: 'failed',
      errorCode: 30003,
      history: [{ status: 'queued' }, { status: 'failed', errorCode: 30003 }],
    });
    expect(await message(delivered)).toMatchObject({ status: 'delivered', errorCode: null });
    const failedOnly = await t.http().get('/sms/outbox?status=failed').expect(200);
    expect(failedOnly.body.messages.map((m: { sid: string }) => m.sid)).toEqual([failed]);
  });

  it('never moves a message backwards when callbacks come out of order or twice', async () => {
    t.simulator.knobs.deliveryOutcome = null;
    const sid = await send();

    const posted = [];
    for (const status of ['delivered', 'sent', 'delivered', 'queued', 'sending']) {
      posted.push(await t.simulator.sendStatusCallback({ messageSid: sid, status }));
    }
    posted.push(
      await t.simulator.sendStatusCallback({ messageSid: sid, status: 'failed', errorCode: 30008 }),
    );

    // Every one is acknowledged, so Twilio does not retry; only the first delivered counts.
    expect(posted.map((r) => r.status)).toEqual([204, 204, 204, 204, 204, 204]);
    const shown = await message(sid);
    expect(shown).toMatchObject({ status: 'delivered', errorCode: null });
    expect(shown.history.map((h: { status: string }) => h.status)).toEqual(['queued', 'delivered']);
  });

  it('acknowledges a callback for a message it does not know, and stores nothing', async () => {
    const before = (await t.http().get('/sms/outbox?limit=500').expect(200)).body.messages;
    const unknown = `SM${'0'.repeat(32)}`;
    const result = await t.simulator.sendStatusCallback({
      messageSid: unknown,
      status: 'delivered',
      url: CALLBACK_URL,
    });
    expect(result.status).toBe(204);
    await t.http().get(`/sms/messages/${unknown}`).expect(404);
    expect((await t.http().get('/sms/outbox?limit=500').expect(200)).body.messages).toEqual(before);
  });

  it('refuses an unsigned or wrongly signed callback and changes nothing', async () => {
    t.simulator.knobs.deliveryOutcome = null;
    const sid = await send();
    const params = {
      AccountSid: t.accountSid,
      MessageSid: sid,
      MessageStatus: 'delivered',
      ApiVersion: '2010-04-01',
    };

    const unsigned = await t.http().post('/api/sms/status').type('form').send(params).expect(403);
    expect(unsigned.body.error.code).toBe('invalid_signature');

    const forged = await t
      .http()
      .post('/sms/status')
      .type('form')
      .set('X-Twilio-Signature', getExpectedTwilioSignature('not-the-token', CALLBACK_URL, params))
      .send(params)
      .expect(403);
    expect(forged.body.error.code).toBe('invalid_signature');

    expect(await message(sid)).toMatchObject({ status: 'queued', history: [{ status: 'queued' }] });
  });

  it('answers on /sms/status as well as /api/sms/status', async () => {
    t.simulator.knobs.deliveryOutcome = null;
    const sid = await send();
    const result = await t.simulator.sendStatusCallback({
      messageSid: sid,
      status: 'sent',
      url: `${PUBLIC_BASE}/sms/status`,
    });
    expect(result.status).toBe(204);
    expect(await message(sid)).toMatchObject({ status: 'sent' });
  });

  it('refuses a signed callback that is not a message status', async () => {
    const result = await t.simulator.sendStatusCallback({
      messageSid: 'not-a-sid',
      status: 'delivered',
      url: CALLBACK_URL,
    });
    expect(result.status).toBe(400);
    expect(JSON.parse(result.body).error.code).toBe('invalid_status_callback');
  });
});

describe('without SMS_PUBLIC_BASE_URL', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  it('asks Twilio for no status callbacks', async () => {
    await t.http().post('/sms/send').send({ to: '+15551234567', body: 'hi' }).expect(201);
    await t.simulator.flushCallbacks();
    expect(t.simulator.messages[0].statusCallback).toBeNull();
    expect(t.simulator.callbackResults).toEqual([]);
  });
});
