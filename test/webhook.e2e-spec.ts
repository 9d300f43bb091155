import { randomBytes } from 'node:crypto';
import { countRows, queryDb } from './helpers/db-file';
import { TestApp } from './helpers/test-app';
import { inboundParams, messageSid, sign } from './helpers/webhook-signer';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

interface InboundRow {
  sid: string;
  account_sid: string;
  from_number: string;
  to_number: string;
  body: string;
  media: string;
  received_at: string;
}

describe('inbound webhook', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  const stored = () => countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages');
  const inbox = async () => (await t.http().get('/sms/inbox').expect(200)).body;

  /** Posts a form to the webhook with the given signature, as a caller other than Twilio might. */
  function post(path: string, params: Record<string, string>, signature?: string) {
    const req = t.http().post(path).type('form');
    if (signature !== undefined) req.set('X-Twilio-Signature', signature);
    return req.send(params);
  }

  it.each(['/sms/webhook', '/api/sms'])(
    'stores a signed text posted to %s and answers 200 with empty TwiML',
    async (path) => {
      const before = await stored();
      const body = `Hi from ${path} & co ✓`;
      const result = await t.simulator.sendInbound({
        from: '+15551234567',
        body,
        url: `${t.url}${path}`,
      });

      expect(result.status).toBe(200);
      expect(result.body).toBe(EMPTY_TWIML);
      expect(await stored()).toBe(before + 1);
      const [row] = await queryDb<InboundRow>(
        t.env.SMS_DATABASE_PATH,
        'SELECT * FROM inbound_messages WHERE sid = ?',
        result.messageSid,
      );
      expect(row).toMatchObject({
        account_sid: t.accountSid,
        from_number: '+15551234567',
        to_number: '+15005550006',
        body,
        media: '[]',
      });
      const listed = (await inbox()).messages.find(
        (m: { sid: string }) => m.sid === result.messageSid,
      );
      expect(listed).toEqual({
        sid: result.messageSid,
        direction: 'inbound',
        from: '+15551234567',
        to: '+15005550006',
        body,
        media: [],
        status: 'received',
        createdAt: row.received_at,
      });
    },
  );

  it('answers text/xml', async () => {
    const params = inboundParams(t.accountSid);
    const url = `${t.url}/sms/webhook`;
    await post('/sms/webhook', params, sign(t.authToken, url, params))
      .expect(200)
      .expect('Content-Type', /^text\/xml/)
      .expect(EMPTY_TWIML);
  });

  it('stores the media of an MMS', async () => {
    const sid = 'MM' + randomBytes(16).toString('hex');
    const result = await t.simulator.sendInbound({
      from: '+15551234567',
      body: '',
      messageSid: sid,
      params: {
        NumMedia: '1',
        MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1',
        MediaContentType0: 'image/png',
      },
    });
    expect(result.status).toBe(200);
    const listed = (await inbox()).messages.find((m: { sid: string }) => m.sid === sid);
    expect(listed.media).toEqual([
      {
        url: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1',
        contentType: 'image/png',
      },
    ]);
  });

  it('stores a retried MessageSid once and answers every retry 200 with empty TwiML', async () => {
    const before = await stored();
    const sid = messageSid();
    const first = await t.simulator.sendInbound({
      from: '+15551234567',
      body: 'once',
      messageSid: sid,
    });
    const retry = await t.simulator.sendInbound({
      from: '+15551234567',
      body: 'once',
      messageSid: sid,
    });
    const viaApi = await t.simulator.sendInbound({
      from: '+15551234567',
      body: 'once',
      messageSid: sid,
      url: `${t.url}/api/sms`,
    });

    for (const answer of [first, retry, viaApi]) {
      expect(answer).toEqual({
        status: 200,
        body: EMPTY_TWIML,
        messageSid: sid,
        signature: expect.any(String),
      });
    }
    expect(await stored()).toBe(before + 1);
    expect((await inbox()).messages.filter((m: { sid: string }) => m.sid === sid)).toHaveLength(1);
  });

  describe('refuses with 403 and stores nothing', () => {
    /** Takes a supertest answer (body parsed) or the simulator's (body as text). */
    async function expectRefused(
      send: () => PromiseLike<{ status: number; body: unknown }>,
      code = 'invalid_signature',
      status = 403,
    ) {
      const before = await stored();
      const res = await send();
      const body = (typeof res.body === 'string' ? JSON.parse(res.body) : res.body) as {
        error: { code: string };
      };
      expect(res.status).toBe(status);
      expect(body.error.code).toBe(code);
      expect(await stored()).toBe(before);
    }

    it('a missing signature', async () => {
      await expectRefused(() => post('/sms/webhook', inboundParams(t.accountSid)));
    });

    it('an empty signature', async () => {
      await expectRefused(() => post('/sms/webhook', inboundParams(t.accountSid), ''));
    });

    it('a signature made with another auth token', async () => {
      const params = inboundParams(t.accountSid);
      const otherToken = randomBytes(16).toString('hex');
      await expectRefused(() =>
        post('/sms/webhook', params, sign(otherToken, `${t.url}/sms/webhook`, params)),
      );
    });

    it('a signature for another URL', async () => {
      await expectRefused(() =>
        t.simulator.sendInbound({
          from: '+15551234567',
          body: 'x',
          signedUrl: 'https://elsewhere.example/sms/webhook',
        }),
      );
    });

    it('a signature for the other webhook path', async () => {
      await expectRefused(() =>
        t.simulator.sendInbound({
          from: '+15551234567',
          body: 'x',
          url: `${t.url}/api/sms`,
          signedUrl: `${t.url}/sms/webhook`,
        }),
      );
    });

    it('a signed form whose body was changed afterwards', async () => {
      const params = inboundParams(t.accountSid, { Body: 'original' });
      const signature = sign(t.authToken, `${t.url}/sms/webhook`, params);
      await expectRefused(() => post('/sms/webhook', { ...params, Body: 'tampered' }, signature));
    });

    it('a JSON body, which Twilio never sends (415, before any parsing)', async () => {
      const params = inboundParams(t.accountSid);
      const signature = sign(t.authToken, `${t.url}/sms/webhook`, params);
      await expectRefused(
        () => t.http().post('/sms/webhook').set('X-Twilio-Signature', signature).send(params),
        'unsupported_media_type',
        415,
      );
    });

    it('a webhook for another Twilio account, even correctly signed', async () => {
      const params = inboundParams('AC' + randomBytes(16).toString('hex'));
      await expectRefused(
        () => post('/sms/webhook', params, sign(t.authToken, `${t.url}/sms/webhook`, params)),
        'wrong_account',
      );
    });
  });

  it('refuses a signed form that is not an inbound message with 400, storing nothing', async () => {
    const before = await stored();
    const params = inboundParams(t.accountSid, { MessageSid: 'not-a-sid' });
    const res = await post(
      '/sms/webhook',
      params,
      sign(t.authToken, `${t.url}/sms/webhook`, params),
    );
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.error.code).toBe('invalid_webhook');
    expect(await stored()).toBe(before);
  });

  it('accepts a text Caddy forwarded, signed for the public https URL from Host', async () => {
    const params = inboundParams(t.accountSid, { Body: 'through caddy' });
    const signature = sign(t.authToken, 'https://yourdomain.com/api/sms', params);
    await t
      .http()
      .post('/api/sms')
      .type('form')
      .set({
        Host: 'yourdomain.com',
        'X-Forwarded-Proto': 'https',
        'X-Forwarded-For': '54.172.60.1',
        'X-Twilio-Signature': signature,
      })
      .send(params)
      .expect(200, EMPTY_TWIML);
    expect((await inbox()).messages.map((m: { sid: string }) => m.sid)).toContain(
      params.MessageSid,
    );
  });
});

describe('inbound webhook with SMS_PUBLIC_BASE_URL', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({ env: { SMS_PUBLIC_BASE_URL: 'https://yourdomain.com/' } });
  });
  afterAll(() => t.close());

  it('checks the signature against the public URL plus path and query', async () => {
    const result = await t.simulator.sendInbound({
      from: '+15551234567',
      body: 'public',
      url: `${t.url}/api/sms?source=caddy`,
      signedUrl: 'https://yourdomain.com/api/sms?source=caddy',
    });
    expect(result.status).toBe(200);
    expect(await countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages')).toBe(1);
  });

  it('refuses a signature for the local URL', async () => {
    const result = await t.simulator.sendInbound({ from: '+15551234567', body: 'local' });
    expect(result.status).toBe(403);
    expect(await countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages')).toBe(1);
  });
});
