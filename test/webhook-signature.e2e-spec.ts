import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio';
import { loadAppConfig } from '../src/config/app-config';
import { countRows } from './helpers/db-file';
import type { InboundResult, InboundText } from '../src/twilio/simulator/twilio-simulator';
import { BRIDGE_NUMBER, TestApp } from './helpers/test-app';

const SENDER = '+15557654321';

function sid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

/** A minimal inbound message as Twilio posts it. */
function inbound(t: TestApp, extra: Record<string, string> = {}): Record<string, string> {
  return {
    MessageSid: sid(),
    AccountSid: t.accountSid,
    From: SENDER,
    To: BRIDGE_NUMBER,
    Body: 'hello',
    NumMedia: '0',
    ...extra,
  };
}

function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

function stored(t: TestApp): Promise<number> {
  return countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages');
}

describe('the webhook fails closed', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  /** Posts a form to the local webhook with the given signature header (or none). */
  function post(params: Record<string, string>, signature?: string, path = '/sms/webhook') {
    const req = t.http().post(path).type('form');
    if (signature !== undefined) req.set('X-Twilio-Signature', signature);
    return req.send(form(params));
  }

  function sign(params: Record<string, string>, token = t.authToken, path = '/sms/webhook') {
    return getExpectedTwilioSignature(token, `${t.url}${path}`, params);
  }

  it('accepts a correctly signed webhook (the baseline the refusals differ from)', async () => {
    const params = inbound(t);
    await post(params, sign(params)).expect(200);
    expect(
      await countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages', 'sid = ?', params.MessageSid),
    ).toBe(1);
  });

  it.each(['/sms/webhook', '/api/sms', '/', '/SMS/Webhook/'])(
    'refuses a webhook with no X-Twilio-Signature on %s',
    async (path) => {
      const before = await stored(t);
      const res = await post(inbound(t), undefined, path).expect(403);
      expect(res.body.error.code).toBe('invalid_signature');
      expect(await stored(t)).toBe(before);
    },
  );

  it('refuses an empty X-Twilio-Signature', async () => {
    const before = await stored(t);
    const res = await post(inbound(t), '').expect(403);
    expect(res.body.error.code).toBe('invalid_signature');
    expect(await stored(t)).toBe(before);
  });

  it.each([
    ['not base64', 'not a signature at all!'],
    ['too short', 'c2lnbmF0dXJl'],
    ['too long', 'A'.repeat(27) + '=' + 'A'.repeat(4000)],
    ['two headers joined', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=, AAAAAAAAAAAAAAAAAAAAAAAAAAA='],
  ])('refuses a malformed X-Twilio-Signature (%s)', async (_, signature) => {
    const before = await stored(t);
    const res = await post(inbound(t), signature).expect(403);
    expect(res.body.error.code).toBe('invalid_signature');
    expect(await stored(t)).toBe(before);
  });

  it('refuses a well-formed but wrong signature: another token, another URL, a changed body', async () => {
    const before = await stored(t);
    const params = inbound(t);
    const otherToken = randomBytes(16).toString('hex');
    for (const signature of [
      sign(params, otherToken),
      sign(params, t.authToken, '/api/sms'),
      sign({ ...params, Body: 'something else' }),
    ]) {
      const res = await post(params, signature).expect(403);
      expect(res.body.error.code).toBe('invalid_signature');
    }
    expect(await stored(t)).toBe(before);
  });

  it('refuses (403, not 500) when the URL to check cannot be parsed', async () => {
    const before = await stored(t);
    const params = inbound(t);
    const res = await t
      .http()
      .post('/sms/webhook')
      .type('form')
      .set('X-Forwarded-Host', 'bad host[')
      .set('X-Twilio-Signature', sign(params, randomBytes(16).toString('hex')))
      .send(form(params))
      .expect(403);
    expect(res.body.error.code).toBe('invalid_signature');
    expect(await stored(t)).toBe(before);
  });

  it('refuses a body that is not form-encoded (415 before parsing; 403 when there is none)', async () => {
    const before = await stored(t);
    const params = inbound(t);
    const signature = sign(params);
    const asJson = await t
      .http()
      .post('/sms/webhook')
      .set('X-Twilio-Signature', signature)
      .send(params)
      .expect(415);
    expect(asJson.body.error.code).toBe('unsupported_media_type');
    const asText = await t
      .http()
      .post('/sms/webhook')
      .set('Content-Type', 'text/plain')
      .set('X-Twilio-Signature', signature)
      .send(form(params))
      .expect(415);
    expect(asText.body.error.code).toBe('unsupported_media_type');
    const noBody = await t
      .http()
      .post('/sms/webhook')
      .set(
        'X-Twilio-Signature',
        getExpectedTwilioSignature(t.authToken, `${t.url}/sms/webhook`, {}),
      )
      .expect(403);
    expect(noBody.body.error.code).toBe('invalid_signature');
    expect(await stored(t)).toBe(before);
  });

  it('never runs without an auth token: production refuses to boot without one', () => {
    const env = {
      NODE_ENV: 'production',
      TWILIO_ACCOUNT_SID: t.accountSid,
      TWILIO_AUTH_TOKEN: '',
      TWILIO_PHONE_NUMBER: BRIDGE_NUMBER,
    };
    expect(() => loadAppConfig(env, '/opt/openclaw.env')).toThrow(
      /TWILIO_AUTH_TOKEN: is required when NODE_ENV=production/,
    );
  });

  describe('with no Twilio credentials configured (development, simulator mode)', () => {
    let bare: TestApp;

    beforeAll(async () => {
      bare = await TestApp.create({
        env: {
          NODE_ENV: 'development',
          TWILIO_ACCOUNT_SID: '',
          TWILIO_AUTH_TOKEN: '',
          TWILIO_PHONE_NUMBER: '',
          SMS_SIMULATOR_PORT: '0',
        },
      });
    });
    afterAll(() => bare.close());

    it('checks webhooks against a per-boot secret token, so no guessable token signs one', async () => {
      const url = `${bare.url}/sms/webhook`;
      for (const token of ['', 'undefined', t.authToken]) {
        const params = { ...inbound(t), AccountSid: 'AC' + '0'.repeat(32) };
        const res = await bare
          .http()
          .post('/sms/webhook')
          .type('form')
          .set('X-Twilio-Signature', getExpectedTwilioSignature(token, url, params))
          .send(form(params))
          .expect(403);
        expect(res.body.error.code).toBe('invalid_signature');
      }
      expect(await countRows(bare.env.SMS_DATABASE_PATH, 'inbound_messages')).toBe(0);
    });
  });
});

describe('signatures as real deployments produce them', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  /** Reboots the bridge with this public base URL (or none). */
  async function publicBase(url: string | undefined): Promise<void> {
    if (url === undefined) delete t.env.SMS_PUBLIC_BASE_URL;
    else t.env.SMS_PUBLIC_BASE_URL = url;
    await t.restart();
  }

  /**
   * Twilio calling `signedUrl` (and signing it), reaching the bridge at `path` through
   * Caddy: from loopback, with the X-Forwarded-* headers Caddy adds.
   */
  function viaCaddy(path: string, signedUrl: string, more: Partial<InboundText> = {}) {
    return t.simulator.sendInbound({
      from: SENDER,
      body: 'hello',
      url: `${t.url}${path}`,
      signedUrl,
      headers: {
        'X-Forwarded-For': '203.0.113.7',
        'X-Forwarded-Proto': 'https',
        'X-Forwarded-Host': 'example.com',
      },
      ...more,
    });
  }

  async function expectAccepted(result: InboundResult, body = 'hello'): Promise<void> {
    expect(result.status).toBe(200);
    const res = await t.http().get('/sms/inbox').expect(200);
    expect(res.body.messages).toContainEqual(
      expect.objectContaining({ sid: result.messageSid, body }),
    );
  }

  async function expectRefused(result: InboundResult, status = 403): Promise<void> {
    expect(result.status).toBe(status);
    expect(
      await countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages', 'sid = ?', result.messageSid),
    ).toBe(0);
  }

  describe('behind Caddy `handle /api/sms` (path kept)', () => {
    beforeAll(() => publicBase('https://example.com'));

    it('verifies a public URL without a port', async () => {
      await expectAccepted(await viaCaddy('/api/sms', 'https://example.com/api/sms'));
    });

    it('verifies when Twilio signed the default port explicitly (https://example.com:443)', async () => {
      await expectAccepted(await viaCaddy('/api/sms', 'https://example.com:443/api/sms'));
    });

    it('verifies a webhook URL with a query string, and refuses it without the query', async () => {
      const query = '?tenant=a&x=%20y';
      await expectAccepted(
        await viaCaddy(`/api/sms${query}`, `https://example.com/api/sms${query}`),
      );
      await expectRefused(await viaCaddy(`/api/sms${query}`, 'https://example.com/api/sms'));
    });

    it('keeps blank values (Body=) in the signature and the message', async () => {
      const blank = { body: '', params: { FromCity: '', FromZip: '' } };
      await expectAccepted(await viaCaddy('/api/sms', 'https://example.com/api/sms', blank), '');
    });

    it('verifies a field repeated twice (and refuses a repeated Body as not a message)', async () => {
      const url = 'https://example.com/api/sms';
      const addOns = { params: { AddOns: ['{"a":1}', '{"b":2}'] } };
      await expectAccepted(await viaCaddy('/api/sms', url, addOns));
      const twoBodies = await viaCaddy('/api/sms', url, { params: { Body: ['one', 'two'] } });
      await expectRefused(twoBodies, 400);
      expect(JSON.parse(twoBodies.body).error.code).toBe('invalid_webhook');
    });

    it('accepts a signed parameter the bridge does not know, and refuses one added unsigned', async () => {
      const future = { params: { SomeFutureTwilioField: 'yes' } };
      await expectAccepted(await viaCaddy('/api/sms', 'https://example.com/api/sms', future));

      const params = inbound(t);
      const signature = getExpectedTwilioSignature(
        t.authToken,
        'https://example.com/api/sms',
        params,
      );
      const res = await t
        .http()
        .post('/api/sms')
        .type('form')
        .set({ 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https' })
        .set('X-Twilio-Signature', signature)
        .send(form({ ...params, Injected: 'by someone else' }))
        .expect(403);
      expect(res.body.error.code).toBe('invalid_signature');
      expect(
        await countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages', 'sid = ?', params.MessageSid),
      ).toBe(0);
    });

    it('refuses a signature made for the bridge’s local URL instead of the public one', async () => {
      await expectRefused(await viaCaddy('/api/sms', `${t.url}/api/sms`));
    });
  });

  it('verifies a public URL with an explicit non-default port', async () => {
    await publicBase('https://example.com:8443');
    await expectAccepted(await viaCaddy('/api/sms', 'https://example.com:8443/api/sms'));
    await expectRefused(await viaCaddy('/api/sms', 'https://example.com:9443/api/sms'));
  });

  describe('behind Caddy `handle_path /api/sms` (prefix stripped: the bridge sees /)', () => {
    beforeAll(() => publicBase('https://example.com/api/sms'));

    it('verifies against SMS_PUBLIC_BASE_URL=https://example.com/api/sms', async () => {
      await expectAccepted(await viaCaddy('/', 'https://example.com/api/sms'));
    });

    it('keeps the query string after the stripped prefix', async () => {
      await expectAccepted(await viaCaddy('/?tenant=a', 'https://example.com/api/sms?tenant=a'));
    });
  });

  describe('with no SMS_PUBLIC_BASE_URL (the origin is taken from Caddy on loopback)', () => {
    beforeAll(() => publicBase(undefined));

    it('verifies `handle` from X-Forwarded-Host and X-Forwarded-Proto', async () => {
      await expectAccepted(await viaCaddy('/api/sms', 'https://example.com/api/sms'));
    });

    it('refuses `handle_path` (the stripped prefix cannot be recovered): set SMS_PUBLIC_BASE_URL', async () => {
      await expectRefused(await viaCaddy('/', 'https://example.com/api/sms'));
    });
  });
});

describe('the account check', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  it('refuses a correctly signed webhook for another Twilio account, and stores nothing', async () => {
    const other = await t.simulator.sendInbound({
      from: SENDER,
      body: 'from another account',
      params: { AccountSid: `AC${randomBytes(16).toString('hex')}` },
    });
    expect(other.status).toBe(403);
    expect(JSON.parse(other.body).error.code).toBe('wrong_account');

    const missing = await t.simulator.sendInbound({
      from: SENDER,
      body: 'no account at all',
      params: { AccountSid: '' },
    });
    expect(missing.status).toBe(403);
    expect(JSON.parse(missing.body).error.code).toBe('wrong_account');

    const twice = await t.simulator.sendInbound({
      from: SENDER,
      body: 'two accounts',
      params: { AccountSid: [t.accountSid, `AC${randomBytes(16).toString('hex')}`] },
    });
    expect(twice.status).toBe(403);

    expect(await countRows(t.env.SMS_DATABASE_PATH, 'inbound_messages')).toBe(0);
    const inbox = await t.http().get('/sms/inbox?includeSuppressed=true').expect(200);
    expect(inbox.body.messages).toEqual([]);
    expect(t.simulator.requestCount).toBe(0);
  });
});
