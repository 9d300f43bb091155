import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getExpectedTwilioSignature } from 'twilio';
import { countRows } from './helpers/db-file';
import { BRIDGE_NUMBER, TestApp } from './helpers/test-app';
import { MAX_MESSAGE_JSON_BYTES } from '../src/safety/message/message-limits';

/** A secret some operators put in the webhook URL itself; a signed URL must not leak either. */
const URL_SECRET = `q${randomBytes(12).toString('hex')}`;

describe('no secrets or signed URLs in logs or errors', () => {
  const answers: string[] = [];
  const signatures: string[] = [];
  let t: TestApp;
  let wrongToken: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({
      env: {
        SMS_PUBLIC_BASE_URL: 'https://example.com',
        SMS_INBOUND_PER_SENDER_PER_MINUTE: '2',
      },
    });
    // Twilio refuses this bridge's credentials: its own token differs from the simulator's.
    wrongToken = await TestApp.create({
      env: { TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex') },
    });
  });
  afterAll(async () => {
    await t.close();
    await wrongToken.close();
  });

  /** Everything an attacker, the agent or the operator could read back. */
  function keep(res: { status: number; text?: string; body?: unknown }): void {
    answers.push(res.text ?? JSON.stringify(res.body));
  }

  async function runTraffic(): Promise<void> {
    // Sends: accepted, refused by policy, refused by Twilio, invalid, oversized.
    for (const [to, status] of [
      ['+15551234567', 201],
      ['+447911123456', 403],
      ['+15005550001', 400],
      ['+15005550004', 403],
      ['nobody', 400],
    ] as const) {
      keep(await t.http().post('/sms/send').send({ to, body: 'hello' }).expect(status));
    }
    keep(
      await t
        .http()
        .post('/sms/send')
        .set('Content-Type', 'application/json')
        .send('{')
        .expect(400),
    );
    keep(
      await t
        .http()
        .post('/sms/send')
        .send({ to: '+15551234567', body: 'x'.repeat(MAX_MESSAGE_JSON_BYTES + 1) })
        .expect(413),
    );
    keep(
      await t.http().post('/sms/send').set('X-Forwarded-For', '198.51.100.1').send({}).expect(403),
    );

    // Webhooks: good, over the per-sender limit, wrong URL, wrong account, forged, tampered.
    const signedUrl = `https://example.com/api/sms?key=${URL_SECRET}`;
    const url = `${t.url}/api/sms?key=${URL_SECRET}`;
    const caddy = { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https' };
    for (let i = 0; i < 4; i++) {
      const res = await t.simulator.sendInbound({
        from: '+15557654321',
        body: `hi ${i}`,
        url,
        signedUrl,
        headers: caddy,
      });
      expect(res.status).toBe(200);
      signatures.push(res.signature);
      answers.push(res.body);
    }
    for (const inbound of [
      { signedUrl: `https://example.com/api/sms?key=other` },
      { signedUrl, params: { AccountSid: `AC${'1'.repeat(32)}` } },
    ]) {
      const res = await t.simulator.sendInbound({
        from: '+15557654321',
        body: 'bad',
        url,
        headers: caddy,
        ...inbound,
      });
      expect(res.status).toBe(403);
      signatures.push(res.signature);
      answers.push(res.body);
    }
    const params = {
      MessageSid: `SM${randomBytes(16).toString('hex')}`,
      AccountSid: t.accountSid,
      From: '+15557654321',
      To: BRIDGE_NUMBER,
      Body: 'tampered',
    };
    const signature = getExpectedTwilioSignature(t.authToken, signedUrl, { ...params, Body: 'x' });
    signatures.push(signature);
    keep(
      await t
        .http()
        .post(`/api/sms?key=${URL_SECRET}`)
        .type('form')
        .set(caddy)
        .set('X-Twilio-Signature', signature)
        .send(new URLSearchParams(params).toString())
        .expect(403),
    );
    keep(await t.http().get('/sms/inbox?includeSuppressed=true').expect(200));
    keep(await t.http().get('/health').expect(200));

    // Twilio refuses the credentials of the other bridge.
    keep(
      await wrongToken
        .http()
        .post('/sms/send')
        .send({ to: '+15551234567', body: 'hello' })
        .expect(502),
    );
    const refused = await wrongToken.simulator.sendInbound({ from: '+15557654321', body: 'x' });
    expect(refused.status).toBe(403);
    signatures.push(refused.signature);
    answers.push(refused.body);
  }

  it('never writes the auth token, a signature or the signed URL’s secret anywhere readable', async () => {
    await runTraffic();

    const audit = [t, wrongToken].map((app) => readFileSync(join(app.dir, 'audit.jsonl'), 'utf8'));
    const secrets = [t.authToken, wrongToken.authToken, URL_SECRET, ...signatures];
    const logs = t.logs() + wrongToken.logs();
    const places = {
      logs,
      answers: answers.join('\n'),
      audit: audit.join('\n'),
    };

    // The capture works and the traffic ran: refusals were logged and answered.
    expect(logs).toContain('Refused an unsigned or wrongly signed webhook');
    expect(places.answers).toContain('twilio_auth_failed');
    expect(places.answers).toContain('invalid_signature');
    expect(places.audit).toContain('destination_not_allowed');
    expect(signatures.length).toBeGreaterThanOrEqual(8);

    for (const [where, text] of Object.entries(places)) {
      for (const secret of secrets) {
        if (text.includes(secret))
          throw new Error(`a secret (${secret.slice(0, 4)}…) leaked into ${where}`);
      }
    }
    // The traffic's refusals reached neither the inbox nor Twilio.
    expect(await countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages')).toBe(4);
    expect(await countRows(wrongToken.env.SMS_DATABASE_PATH, 'inbound_messages')).toBe(0);
    expect(wrongToken.simulator.messages).toHaveLength(0);
  });
});
