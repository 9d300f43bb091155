import { countRows } from './helpers/db-file';
import { TestApp } from './helpers/test-app';

describe('destination allowlist against SMS pumping', () => {
  describe('with the default policy (sender +15005550006: US,CA)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await TestApp.create();
    });
    afterAll(() => t.close());

    it.each([
      ['+447400123456', 'country_not_allowed', 'GB'],
      ['+18765551234', 'country_not_allowed', 'JM'],
      ['+17875551234', 'country_not_allowed', 'PR'],
      ['+88216123456', 'country_not_allowed', null],
      ['+380501234567', 'country_not_allowed', 'UA'],
      ['+19005551234', 'premium_rate', 'US'],
      ['+12345', 'short_code', null],
      ['+123456', 'short_code', null],
    ])(
      'refuses %s (%s) before anything is stored or sent, and audits it',
      async (to, reason, country) => {
        const requests = t.simulator.requestCount;
        const res = await t.http().post('/sms/send').send({ to, body: 'win a prize' }).expect(403);
        expect(res.body.error).toMatchObject({ code: 'destination_not_allowed', reason });
        if (country) expect(res.body.error.country).toBe(country);
        expect(t.simulator.requestCount).toBe(requests);
        expect(
          await countRows(t.env.SMS_DATABASE_PATH, 'outbound_messages', 'to_number = ?', to),
        ).toBe(0);
        expect(
          await countRows(
            t.env.SMS_DATABASE_PATH,
            'audit_log',
            "action = 'send' AND phase = 'outcome' AND outcome = 'refused' AND reason = 'destination_not_allowed' AND recipient = ?",
            to,
          ),
        ).toBe(1);
      },
    );

    it.each([
      ['+1555123', 'too_short'],
      ['+155512345678', 'too_long'],
      ['+999123456789', 'unknown_country_code'],
    ])(
      'answers %s with 400 invalid_recipient (%s), a typo the agent can fix, before anything is stored or sent',
      async (to, problem) => {
        const requests = t.simulator.requestCount;
        const res = await t.http().post('/sms/send').send({ to, body: 'hello' }).expect(400);
        expect(res.body.error).toMatchObject({ code: 'invalid_recipient', reason: problem });
        expect(res.body.error.message).toMatch(/check the number/i);
        expect(t.simulator.requestCount).toBe(requests);
        expect(
          await countRows(t.env.SMS_DATABASE_PATH, 'outbound_messages', 'to_number = ?', to),
        ).toBe(0);
        expect(
          await countRows(
            t.env.SMS_DATABASE_PATH,
            'audit_log',
            "action = 'send' AND phase = 'outcome' AND outcome = 'refused' AND reason = 'invalid_recipient' AND recipient = ?",
            to,
          ),
        ).toBe(1);
      },
    );

    it('answers a malformed number on an approval request with 400 invalid_recipient, storing nothing', async () => {
      const res = await t
        .http()
        .post('/sms/approvals')
        .send({ to: '+1555123', reason: 'Follow up' })
        .expect(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_recipient', reason: 'too_short' });
      const approvals = await t.http().get('/sms/approvals').expect(200);
      expect(approvals.body.approvals).toEqual([]);
    });

    it.each(['+15551234567', '+14165551234', '+18005551234', '+12129761234'])(
      'lets %s through to Twilio (US, CA, toll-free, a former 976 pay-per-call exchange)',
      async (to) => {
        await t.http().post('/sms/send').send({ to, body: 'hello' }).expect(201);
        expect(t.simulator.messages.at(-1)).toMatchObject({ to });
      },
    );

    it('lets Twilio’s magic test numbers (+1500555xxxx) reach Twilio', async () => {
      const requests = t.simulator.requestCount;
      const res = await t
        .http()
        .post('/sms/send')
        .send({ to: '+15005550001', body: 'hello' })
        .expect(400);
      // Twilio's own refusal: the bridge did call it.
      expect(res.body.error.code).toBe('invalid_recipient');
      expect(t.simulator.requestCount).toBe(requests + 1);
    });

    it('sends no MaxPrice unless SMS_MAX_PRICE is set', async () => {
      await t.http().post('/sms/send').send({ to: '+15551230000', body: 'hello' }).expect(201);
      expect(t.simulator.messages.at(-1)?.maxPrice).toBeUndefined();
    });
  });

  describe('with SMS_ALLOWED_COUNTRIES=gb, us and SMS_MAX_PRICE=0.05', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await TestApp.create({
        env: { SMS_ALLOWED_COUNTRIES: 'gb, us', SMS_MAX_PRICE: '0.05' },
      });
    });
    afterAll(() => t.close());

    it('sends to an allowed country with Twilio’s MaxPrice', async () => {
      await t.http().post('/sms/send').send({ to: '+447400123456', body: 'hello' }).expect(201);
      expect(t.simulator.messages).toHaveLength(1);
      expect(t.simulator.messages[0]).toMatchObject({ to: '+447400123456', maxPrice: '0.05' });
    });

    it('still refuses premium-rate and shared-cost numbers of an allowed country, and countries left out', async () => {
      for (const [to, reason] of [
        ['+449012345678', 'premium_rate'],
        ['+448431234567', 'premium_rate'],
        ['+447911123456', 'country_not_allowed'], // Guernsey shares +44
        ['+14165551234', 'country_not_allowed'],
      ]) {
        const res = await t.http().post('/sms/send').send({ to, body: 'hello' }).expect(403);
        expect(res.body.error).toMatchObject({ code: 'destination_not_allowed', reason });
      }
      expect(t.simulator.requestCount).toBe(1);
      expect(await countRows(t.env.SMS_DATABASE_PATH, 'outbound_messages')).toBe(1);
    });
  });

  describe('with SMS_ALLOWED_COUNTRIES=UA, a country the bridge once could not place', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await TestApp.create({ env: { SMS_ALLOWED_COUNTRIES: 'UA' } });
    });
    afterAll(() => t.close());

    it('boots and texts a Ukrainian mobile, and nothing else', async () => {
      await t.http().post('/sms/send').send({ to: '+380501234567', body: 'Привіт' }).expect(201);
      const res = await t
        .http()
        .post('/sms/send')
        .send({ to: '+15551234567', body: 'hello' })
        .expect(403);
      expect(res.body.error).toMatchObject({
        code: 'destination_not_allowed',
        reason: 'country_not_allowed',
        country: 'US',
      });
      expect(t.simulator.messages.map((m) => m.to)).toEqual(['+380501234567']);
    });
  });
});
