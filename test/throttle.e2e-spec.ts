import { randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio';
import { BridgeTransport } from '../src/client/bridge-transport';
import { AppConfig } from '../src/config/app-config';
import { AuditService } from '../src/safety/audit/audit.service';
import { rawRequest } from './helpers/raw-request';
import { TestApp } from './helpers/test-app';

describe('throttling', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({
      env: { SMS_SEND_RATE_PER_MINUTE: '3', SMS_WEBHOOK_RATE_PER_MINUTE: '2' },
    });
  });
  afterAll(() => t.close());

  /** An inbound text as Caddy forwards it: loopback socket, the client in X-Forwarded-For. */
  function forwardedInbound(client: string) {
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const params = {
      MessageSid: sid,
      AccountSid: t.accountSid,
      From: '+15554440001',
      To: '+15005550006',
      Body: `Hello ${sid}`,
      NumMedia: '0',
    };
    const host = new URL(t.url).host;
    const signature = getExpectedTwilioSignature(t.authToken, `https://${host}/api/sms`, params);
    return t
      .http()
      .post('/api/sms')
      .set('Host', host)
      .set('X-Forwarded-For', client)
      .set('X-Forwarded-Proto', 'https')
      .set('X-Twilio-Signature', signature)
      .type('form')
      .send(params);
  }

  it('refuses the send over the per-minute cap with 429 and Retry-After, before Twilio', async () => {
    const start = new Date().toISOString();
    for (let i = 0; i < 3; i++) {
      await t
        .http()
        .post('/sms/send')
        .send({ to: '+15554440002', body: `n${i}` })
        .expect(201);
    }
    const res = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15554440002', body: 'n4' })
      .expect(429);
    expect(res.body.error).toMatchObject({
      code: 'too_many_requests',
      retryAfter: expect.any(Number),
    });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(t.simulator.requestCount).toBe(3);
    expect(await t.app.get(AuditService).since(start)).toContainEqual(
      expect.objectContaining({ action: 'send', outcome: 'refused', reason: 'too_many_requests' }),
    );
  });

  it('caps webhooks per forwarded client address, not per socket', async () => {
    await forwardedInbound('203.0.113.7').expect(200);
    await forwardedInbound('198.51.100.1, 203.0.113.7').expect(200);
    const refused = await forwardedInbound('203.0.113.7').expect(429);
    expect(refused.body.error.code).toBe('too_many_requests');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another client behind the same proxy is counted on its own.
    await forwardedInbound('203.0.113.8').expect(200);

    const inbox = await t.http().get('/sms/inbox').expect(200);
    expect(inbox.body.messages).toHaveLength(3);
  });

  it('counts IPv6 clients per /64, so one host cannot rotate its way past the cap', async () => {
    await forwardedInbound('2001:db8:1:2::1').expect(200);
    await forwardedInbound('2001:db8:1:2::2').expect(200);
    await forwardedInbound('2001:db8:1:2:ffff::3').expect(429);
    await forwardedInbound('2001:db8:1:3::1').expect(200);
  });
});

describe('the send throttle for callers on this machine', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({ env: { SMS_SEND_RATE_PER_MINUTE: '3' } });
  });
  afterAll(() => t.close());

  const sendFrom = (localAddress: string) =>
    rawRequest(t.url, {
      method: 'POST',
      path: '/sms/send',
      localAddress,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: '+15554440003', body: `from ${localAddress}` }),
    });

  it('counts every loopback address and the Unix socket in one bucket', async () => {
    expect((await sendFrom('127.0.0.2')).status).toBe(201);
    expect((await sendFrom('127.0.0.3')).status).toBe(201);
    const socket = BridgeTransport.overSocket(t.app.get(AppConfig).operatorSocket);
    const overSocket = await socket.request('POST', '/sms/send', {
      body: { to: '+15554440003', body: 'over the socket' },
    });
    expect(overSocket.status).toBe(201);

    const refused = await sendFrom('127.0.0.4');
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text).error.code).toBe('too_many_requests');
    await t.http().post('/sms/send').send({ to: '+15554440003', body: 'x' }).expect(429);
    expect(t.simulator.messages).toHaveLength(3);
  });
});

describe('the webhook throttle under a flood of unsigned posts', () => {
  let t: TestApp;
  const TWILIO_EGRESS = '54.172.60.0';
  const PERSON = '+15554440009';

  beforeAll(async () => {
    t = await TestApp.create({ env: { SMS_WEBHOOK_RATE_PER_MINUTE: '2' } });
  });
  afterAll(() => t.close());

  /** A text as Caddy forwards Twilio's request: the client in X-Forwarded-For, signed for /api/sms. */
  function signedInbound(body: string) {
    const host = new URL(t.url).host;
    return t.simulator.sendInbound({
      from: PERSON,
      body,
      url: `${t.url}/api/sms`,
      signedUrl: `https://${host}/api/sms`,
      headers: { 'X-Forwarded-For': TWILIO_EGRESS, 'X-Forwarded-Proto': 'https' },
    });
  }

  it('spends no capacity on unsigned posts: a signed STOP after them is stored and honoured', async () => {
    for (let i = 0; i < 10; i++) {
      await t
        .http()
        .post('/api/sms')
        .set('X-Forwarded-For', TWILIO_EGRESS)
        .set('X-Forwarded-Proto', 'https')
        .type('form')
        .send({ From: PERSON, Body: `forged ${i}`, AccountSid: t.accountSid })
        .expect(403);
    }

    const stop = await signedInbound('STOP');
    expect(stop.status).toBe(200);
    const inbox = await t.http().get('/sms/inbox').expect(200);
    expect(inbox.body.messages.map((m: { body: string }) => m.body)).toEqual(['STOP']);
    const send = await t.http().post('/sms/send').send({ to: PERSON, body: 'hi' }).expect(403);
    expect(send.body.error.code).toBe('recipient_opted_out');
  });

  it('never throttles a signed STOP or START away, even when signed texts filled the bucket', async () => {
    expect((await signedInbound('first')).status).toBe(200);
    expect((await signedInbound('second')).status).toBe(200);
    expect((await signedInbound('third')).status).toBe(429);

    expect((await signedInbound('START')).status).toBe(200);
    await t.http().post('/sms/send').send({ to: PERSON, body: 'welcome back' }).expect(201);
    expect((await signedInbound('Stop please')).status).toBe(200);
    const send = await t.http().post('/sms/send').send({ to: PERSON, body: 'hi' }).expect(403);
    expect(send.body.error.code).toBe('recipient_opted_out');
  });
});
