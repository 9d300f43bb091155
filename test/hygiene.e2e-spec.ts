import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { getExpectedTwilioSignature } from 'twilio';
import { countRows } from './helpers/db-file';
import { BRIDGE_NUMBER, TestApp } from './helpers/test-app';
import { MAX_MESSAGE_JSON_BYTES } from '../src/safety/message/message-limits';

/** Sends a body in chunks with no Content-Length, as a streaming client would. */
function postChunked(
  url: string,
  contentType: string,
  chunks: string[],
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { 'Content-Type': contentType, 'Transfer-Encoding': 'chunked' } },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    // The bridge may answer and close before the whole body is written.
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('body and header hygiene', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  async function nothingHappened(): Promise<void> {
    expect(t.simulator.requestCount).toBe(0);
    expect(await countRows(t.env.SMS_DATABASE_PATH, 'outbound_messages')).toBe(0);
    expect(await countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages')).toBe(0);
  }

  describe('size caps per route', () => {
    it('refuses a send body over the JSON cap with 413 payload_too_large', async () => {
      const res = await t
        .http()
        .post('/sms/send')
        .send({ to: '+15551234567', body: 'x'.repeat(MAX_MESSAGE_JSON_BYTES + 1) })
        .expect(413);
      expect(res.body.error.code).toBe('payload_too_large');
      await nothingHappened();
    });

    it('refuses a streamed (chunked) send body over the JSON cap', async () => {
      const chunk = 'x'.repeat(4096);
      const res = await postChunked(`${t.url}/sms/send`, 'application/json', [
        '{"to":"+15551234567","body":"',
        ...Array(Math.ceil(MAX_MESSAGE_JSON_BYTES / chunk.length) + 1).fill(chunk),
        '"}',
      ]);
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body).error.code).toBe('payload_too_large');
      await nothingHappened();
    });

    it('refuses a webhook body over 64 KB before checking anything else', async () => {
      const res = await t
        .http()
        .post('/api/sms')
        .type('form')
        .set('X-Twilio-Signature', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=')
        .send(`Body=${'x'.repeat(65 * 1024)}`)
        .expect(413);
      expect(res.body.error.code).toBe('payload_too_large');
      await nothingHappened();
    });

    it('takes a signed webhook larger than the send cap (up to 64 KB)', async () => {
      const res = await t.simulator.sendInbound({
        from: '+15557654321',
        body: 'hello',
        params: { AddOns: 'x'.repeat(40 * 1024) },
      });
      expect(res.status).toBe(200);
      expect(
        await countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages', 'sid = ?', res.messageSid),
      ).toBe(1);
    });
  });

  describe('content types per route', () => {
    it.each([
      ['a form', 'application/x-www-form-urlencoded', 'to=%2B15551234567&body=hi'],
      ['plain text', 'text/plain', '{"to":"+15551234567","body":"hi"}'],
      ['XML', 'application/xml', '<to>+15551234567</to>'],
      ['multipart', 'multipart/form-data; boundary=x', '--x--'],
    ])('refuses %s on POST /sms/send with 415 unsupported_media_type', async (_, type, body) => {
      const before = await countRows(t.env.SMS_DATABASE_PATH, 'outbound_messages');
      const requests = t.simulator.requestCount;
      const res = await t.http().post('/sms/send').set('Content-Type', type).send(body).expect(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
      expect(await countRows(t.env.SMS_DATABASE_PATH, 'outbound_messages')).toBe(before);
      expect(t.simulator.requestCount).toBe(requests);
    });

    it('refuses JSON on the webhook with 415, even when signed', async () => {
      const before = await countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages');
      const params = {
        MessageSid: `SM${'0'.repeat(32)}`,
        AccountSid: t.accountSid,
        From: '+15557654321',
        To: BRIDGE_NUMBER,
        Body: 'hi',
      };
      const res = await t
        .http()
        .post('/sms/webhook')
        .set(
          'X-Twilio-Signature',
          getExpectedTwilioSignature(t.authToken, `${t.url}/sms/webhook`, params),
        )
        .send(params)
        .expect(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
      expect(await countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages')).toBe(before);
    });

    it('refuses compressed bodies instead of inflating them', async () => {
      const requests = t.simulator.requestCount;
      const res = await t
        .http()
        .post('/sms/send')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .send(gzipSync(JSON.stringify({ to: '+15551234567', body: 'hi' })))
        .expect(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
      expect(t.simulator.requestCount).toBe(requests);
    });

    it('answers malformed JSON with 400 invalid_json and an invalid send with 400 validation_failed', async () => {
      const requests = t.simulator.requestCount;
      const before = await countRows(t.env.SMS_DATABASE_PATH, 'outbound_messages');
      const malformed = await t
        .http()
        .post('/sms/send')
        .set('Content-Type', 'application/json')
        .send('{"to": "+15551234567", "body": ')
        .expect(400);
      expect(malformed.body.error.code).toBe('invalid_json');
      const invalid = await t.http().post('/sms/send').send({ to: 'nobody' }).expect(400);
      expect(invalid.body.error.code).toBe('validation_failed');
      const empty = await t.http().post('/sms/send').expect(400);
      expect(empty.body.error.code).toBe('validation_failed');
      expect(t.simulator.requestCount).toBe(requests);
      expect(await countRows(t.env.SMS_DATABASE_PATH, 'outbound_messages')).toBe(before);
    });
  });

  describe('headers', () => {
    it.each([
      ['GET', '/health', 200],
      ['GET', '/sms/inbox', 200],
      ['GET', '/nowhere', 404],
      ['POST', '/sms/webhook', 403],
      ['POST', '/sms/send', 400],
    ])('puts security headers and no X-Powered-By on %s %s (%i)', async (method, path, status) => {
      const res = await (method === 'GET' ? t.http().get(path) : t.http().post(path)).expect(
        status,
      );
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    });

    it('puts security headers on a 413 and a 415 too', async () => {
      const res = await t
        .http()
        .post('/sms/send')
        .set('Content-Type', 'text/plain')
        .send('hi')
        .expect(415);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it('never sets Express `trust proxy`, so a forwarded local caller stays refused', async () => {
      const express = t.app.getHttpAdapter().getInstance() as { get(name: string): unknown };
      expect(express.get('trust proxy')).toBe(false);
      const requests = t.simulator.requestCount;
      const res = await t
        .http()
        .post('/sms/send')
        .set('X-Forwarded-For', '127.0.0.1')
        .send({ to: '+15551234567', body: 'hi' })
        .expect(403);
      expect(res.body.error.code).toBe('local_only');
      expect(t.simulator.requestCount).toBe(requests);
    });
  });
});
