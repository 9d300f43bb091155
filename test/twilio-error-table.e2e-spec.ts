import { TestApp } from './helpers/test-app';

/**
 * Every Twilio code the bridge maps, coming back from the simulator over HTTP through the
 * real SDK. Magic test numbers where Twilio documents one; otherwise the simulator is told
 * to answer that error for a number, with Twilio's HTTP status for it.
 */
const CASES: [number, string, number, string, { status: number; message: string }?][] = [
  [21211, '+15005550001', 400, 'invalid_recipient'],
  [21612, '+15005550002', 422, 'recipient_unreachable'],
  [21408, '+15005550003', 403, 'region_not_enabled'],
  [21610, '+15005550004', 403, 'recipient_opted_out'],
  [21614, '+15005550009', 422, 'recipient_not_mobile'],
  [
    21608,
    '+15553330001',
    403,
    'recipient_not_verified',
    { status: 400, message: 'The number is unverified.' },
  ],
  [
    21606,
    '+15553330002',
    502,
    'sender_not_usable',
    {
      status: 400,
      message: "The 'From' phone number is not a valid, message-capable Twilio phone number.",
    },
  ],
  [
    21659,
    '+15553330003',
    502,
    'sender_not_usable',
    { status: 400, message: "'From' is not a Twilio phone number." },
  ],
  [
    21212,
    '+15553330004',
    502,
    'sender_not_usable',
    { status: 400, message: "The 'From' number is not a valid phone number." },
  ],
  [20003, '+15553330005', 502, 'twilio_auth_failed', { status: 401, message: 'Authenticate' }],
  [
    14107,
    '+15553330006',
    429,
    'twilio_rate_limited',
    { status: 400, message: 'SMS rate limit exceeded.' },
  ],
  [30007, '+15553330007', 502, 'carrier_filtered', { status: 400, message: 'Message filtered.' }],
  [
    20429,
    '+15553330008',
    429,
    'twilio_rate_limited',
    { status: 429, message: 'Too Many Requests' },
  ],
];

describe('Twilio errors an operator can act on', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
    for (const [code, to, , , failure] of CASES) {
      if (failure) t.simulator.knobs.failures.set(to, { code, ...failure });
    }
    t.simulator.knobs.failures.set('+15553330099', {
      code: 12345,
      status: 400,
      message: 'Something new',
    });
  });
  afterAll(() => t.close());

  it.each(CASES)('maps %i to %s, %i %s', async (twilioCode, to, status, code) => {
    const res = await t.http().post('/sms/send').send({ to, body: 'Hello' }).expect(status);
    expect(res.body.error).toEqual({
      code,
      message: expect.stringMatching(/\.$/),
      twilioCode,
      moreInfo: `https://www.twilio.com/docs/errors/${twilioCode}`,
    });
  });

  it('falls back to a generic error that still carries the code and the link', async () => {
    const res = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15553330099', body: 'Hello' })
      .expect(502);
    expect(res.body.error).toEqual({
      code: 'twilio_error',
      message: 'Twilio refused the request: Something new',
      twilioCode: 12345,
      moreInfo: 'https://www.twilio.com/docs/errors/12345',
    });
  });

  it('gives back the daily slot of every send Twilio refused', async () => {
    const limits = await t.http().get('/sms/limits').expect(200);
    expect(limits.body.total.used).toBe(0);
    expect(t.simulator.messages).toEqual([]);
  });
});
