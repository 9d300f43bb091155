import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { queryDb } from './helpers/db-file';
import { TestApp } from './helpers/test-app';
import { withTestApp } from './helpers/with-test-app';

interface ErrorAnswer {
  error: { code: string; message: string; twilioCode: number | null; moreInfo: string | null };
}

async function lastOutbound(t: TestApp) {
  const [row] = await queryDb<{
    status: string;
    sid: string | null;
    error_code: number | null;
    error_message: string;
  }>(
    t.env.SMS_DATABASE_PATH,
    'SELECT status, sid, error_code, error_message FROM outbound_messages ORDER BY seq DESC LIMIT 1',
  );
  return row;
}

/** A send any working account could make; the test's app decides how it fails. */
function sendHi(t: TestApp, status: number, to = '+15551234567') {
  return t.http().post('/sms/send').send({ to, body: 'hi' }).expect(status);
}

describe('Twilio errors on POST /sms/send', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  it.each([
    ['+15005550001', 400, 'invalid_recipient', 21211],
    ['+15005550002', 422, 'recipient_unreachable', 21612],
    ['+15005550003', 403, 'region_not_enabled', 21408],
    ['+15005550004', 403, 'recipient_opted_out', 21610],
    ['+15005550009', 422, 'recipient_not_mobile', 21614],
  ])('maps the magic number %s to %i %s (Twilio %i)', async (to, status, code, twilioCode) => {
    const requests = t.simulator.requestCount;
    const res = await t.http().post('/sms/send').send({ to, body: 'hello' }).expect(status);

    expect(res.body).toEqual({
      error: {
        code,
        message: expect.any(String),
        twilioCode,
        moreInfo: `https://www.twilio.com/docs/errors/${twilioCode}`,
      },
    } satisfies ErrorAnswer);
    expect(res.body.error.message.length).toBeGreaterThan(20);
    expect(JSON.stringify(res.body)).not.toContain(t.authToken);
    expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|\.ts:\d+/);
    // Twilio was asked, refused, and nothing went out.
    expect(t.simulator.requestCount).toBe(requests + 1);
    expect(t.simulator.messages.some((m) => m.to === to)).toBe(false);
    expect(await lastOutbound(t)).toEqual({
      status: 'failed',
      sid: null,
      error_code: twilioCode,
      error_message: code,
    });
  });
});

describe('Twilio account problems on POST /sms/send', () => {
  it('maps an unverified recipient of a trial account to 403 recipient_not_verified (21608)', () =>
    withTestApp({ trial: { verifiedNumbers: ['+15551234567'] } }, async (t) => {
      const refused = await sendHi(t, 403, '+15559876543');
      expect(refused.body.error).toMatchObject({
        code: 'recipient_not_verified',
        twilioCode: 21608,
        moreInfo: 'https://www.twilio.com/docs/errors/21608',
      });
      expect(t.simulator.messages).toEqual([]);

      await sendHi(t, 201);
      expect(t.simulator.messages.map((m) => m.body)).toEqual([
        'Sent from your Twilio trial account - hi',
      ]);
    }));

  it('maps rejected credentials to 502 twilio_auth_failed (20003) without echoing the token', () => {
    const wrongToken = 'ffffffffffffffffffffffffffffffff';
    return withTestApp({ env: { TWILIO_AUTH_TOKEN: wrongToken } }, async (t) => {
      const res = await sendHi(t, 502);
      expect(res.body.error).toMatchObject({
        code: 'twilio_auth_failed',
        twilioCode: 20003,
        moreInfo: 'https://www.twilio.com/docs/errors/20003',
      });
      expect(res.body.error.message).toContain('TWILIO_AUTH_TOKEN');
      expect(res.text).not.toContain(wrongToken);
      expect(t.simulator.messages).toEqual([]);
    });
  });

  it('maps a sender number Twilio will not send from to 502 sender_not_usable (21606)', () =>
    withTestApp({ env: { TWILIO_PHONE_NUMBER: '+15005550007' } }, async (t) => {
      const res = await sendHi(t, 502);
      expect(res.body.error).toMatchObject({ code: 'sender_not_usable', twilioCode: 21606 });
      expect(t.simulator.messages).toEqual([]);
    }));
});

describe('Twilio unreachable or slow on POST /sms/send', () => {
  let silent: Server;
  let silentUrl: string;

  beforeAll(async () => {
    // Accepts connections and never answers, like a Twilio that hangs.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('answers 504 twilio_timeout when Twilio does not answer in time', () =>
    withTestApp(
      { env: { TWILIO_API_BASE_URL: silentUrl, TWILIO_TIMEOUT_MS: '300' } },
      async (t) => {
        const res = await sendHi(t, 504);
        expect(res.body.error.code).toBe('twilio_timeout');
        expect((await lastOutbound(t)).status).toBe('failed');
      },
    ));

  it('answers 502 twilio_unreachable when nothing listens', () =>
    withTestApp({ env: { TWILIO_API_BASE_URL: 'http://127.0.0.1:1' } }, async (t) => {
      const res = await sendHi(t, 502);
      expect(res.body.error.code).toBe('twilio_unreachable');
      expect((await lastOutbound(t)).status).toBe('failed');
    }));
});
