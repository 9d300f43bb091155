import { randomBytes } from 'node:crypto';
import { BRIDGE_NUMBER, TestApp } from './helpers/test-app';

const PUBLIC = 'https://bridge.example.com';
/** Production without SMS_PUBLIC_BASE_URL: the seed's three-variable setup. */
const PRODUCTION = { NODE_ENV: 'production', SMS_REQUIRE_APPROVAL: 'true' };

describe('the URL Twilio signs, learned from Twilio in production', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({ env: PRODUCTION });
  });
  afterAll(() => t.close());

  /** A text Twilio signed for `signedUrl`, arriving through Caddy at /api/sms. */
  const inbound = (signedUrl: string, body = 'hello') =>
    t.simulator.sendInbound({
      from: '+15551234567',
      body,
      url: `${t.url}/api/sms`,
      signedUrl,
      headers: { 'X-Forwarded-For': '54.172.60.0', 'X-Forwarded-Proto': 'https' },
    });

  const ready = () => t.http().get('/health/ready');

  it('refuses every webhook while Twilio has not said where the number’s webhook points, and says why', async () => {
    const res = await ready().expect(503);
    expect(res.body.checks.webhook).toMatchObject({
      ok: false,
      url: null,
      problem: expect.stringContaining('TWILIO_PHONE_NUMBER is not a phone number'),
    });
    const refused = await inbound(`${PUBLIC}/api/sms`);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error.code).toBe('invalid_signature');
    expect(t.logs()).toContain('Twilio has not said which URL it signs');
    const inbox = await t.http().get('/sms/inbox').expect(200);
    expect(inbox.body.messages).toEqual([]);
  });

  it('says when the number’s webhook is unset', async () => {
    t.simulator.knobs.incomingPhoneNumbers.set(BRIDGE_NUMBER, null);
    await t.restart();
    const res = await ready().expect(503);
    expect(res.body.checks.webhook.problem).toMatch(/inbound webhook is not set/);
    expect((await inbound(`${PUBLIC}/api/sms`)).status).toBe(403);
  });

  it('checks signatures against exactly the URL Twilio calls, and its /status sibling', async () => {
    t.simulator.knobs.incomingPhoneNumbers.set(BRIDGE_NUMBER, `${PUBLIC}/api/sms`);
    await t.restart();
    const res = await ready().expect(200);
    expect(res.body.checks.webhook).toMatchObject({ ok: true, url: `${PUBLIC}/api/sms` });

    expect((await inbound(`${PUBLIC}/api/sms`, 'signed for us')).status).toBe(200);
    // Signed by Twilio for another endpoint of the account, replayed here with a Host to match.
    const host = new URL(t.url).host;
    expect((await inbound(`https://${host}/api/sms`, 'replayed')).status).toBe(403);
    expect((await inbound(`${PUBLIC}/other/sms`, 'replayed')).status).toBe(403);

    const status = await t.simulator.sendStatusCallback({
      messageSid: `SM${randomBytes(16).toString('hex')}`,
      status: 'delivered',
      url: `${PUBLIC}/api/sms/status`,
    });
    expect(status.status).toBe(204);
    const wrongSibling = await t.simulator.sendStatusCallback({
      messageSid: `SM${randomBytes(16).toString('hex')}`,
      status: 'delivered',
      url: `${PUBLIC}/sms/status`,
    });
    expect(wrongSibling.status).toBe(403);

    const inbox = await t.http().get('/sms/inbox').expect(200);
    expect(inbox.body.messages.map((m: { body: string }) => m.body)).toEqual(['signed for us']);
  });

  it('asks Twilio for delivery callbacks at the learned URL’s /status sibling, and applies them', async () => {
    t.simulator.knobs.incomingPhoneNumbers.set(BRIDGE_NUMBER, `${PUBLIC}/api/sms`);
    await t.restart();
    await ready().expect(200);
    const to = '+15551230042';
    await t.approve(to);
    const sent = await t.http().post('/sms/send').send({ to, body: 'Did it arrive?' }).expect(201);
    expect(t.simulator.messages.at(-1)?.statusCallback).toBe(`${PUBLIC}/api/sms/status`);
    await t.simulator.flushCallbacks();
    const message = await t.http().get(`/sms/messages/${sent.body.sid}`).expect(200);
    expect(message.body.status).toBe('delivered');
  });

  it('keeps the last answer across a restart when Twilio cannot be asked', async () => {
    t.simulator.knobs.fault = 'error500';
    try {
      await t.restart();
      expect((await ready()).body.checks.webhook).toMatchObject({ url: `${PUBLIC}/api/sms` });
      expect((await inbound(`${PUBLIC}/api/sms`, 'after restart')).status).toBe(200);
    } finally {
      t.simulator.knobs.fault = null;
    }
  });

  it('says when the number’s webhook points somewhere that is not this bridge', async () => {
    t.simulator.knobs.incomingPhoneNumbers.set(BRIDGE_NUMBER, 'https://other.example.com/voice');
    await t.restart();
    const res = await ready().expect(503);
    expect(res.body.checks.webhook.problem).toContain(
      'points at https://other.example.com/voice, not at this bridge',
    );
  });
});

describe('the URL Twilio signs for a Messaging Service', () => {
  const SERVICE = `MG${'1'.repeat(32)}`;
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({
      env: { ...PRODUCTION, TWILIO_MESSAGING_SERVICE_SID: SERVICE },
    });
    t.simulator.knobs.messagingServices.set(SERVICE, {
      inboundRequestUrl: `${PUBLIC}/api/sms`,
      useInboundWebhookOnNumber: false,
    });
    await t.restart();
  });
  afterAll(() => t.close());

  it('is the service’s inbound request URL', async () => {
    const res = await t.http().get('/health/ready').expect(200);
    expect(res.body.checks.webhook).toMatchObject({ ok: true, url: `${PUBLIC}/api/sms` });
    const result = await t.simulator.sendInbound({
      from: '+15551234567',
      body: 'via the service',
      url: `${t.url}/api/sms`,
      signedUrl: `${PUBLIC}/api/sms`,
    });
    expect(result.status).toBe(200);
  });
});

describe('outside production, or with SMS_PUBLIC_BASE_URL', () => {
  it('does not ask Twilio and keeps the URL from the request for development', async () => {
    const t = await TestApp.create();
    try {
      const res = await t.http().get('/health/ready').expect(200);
      expect(res.body.checks.webhook).toBeUndefined();
      expect((await t.simulator.sendInbound({ from: '+15551234567', body: 'dev' })).status).toBe(
        200,
      );
    } finally {
      await t.close();
    }
  });
});
