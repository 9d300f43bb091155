import type { SimulatorFault } from '../../src/twilio/simulator/twilio-simulator';
import { TestApp } from '../helpers/test-app';
import { queryDb } from '../helpers/db-file';

interface OutboundRow {
  status: string;
  sid: string | null;
  error_message: string | null;
}

interface AuditRow {
  outcome: string;
  reason: string;
}

describe('Twilio failing under a send', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The SDK's own timeout ends "hang". Not much shorter: with 300 ms a loaded 2-core
    // machine answered "error500" with 504, the 500 arriving after the timeout.
    t = await TestApp.create({ env: { TWILIO_TIMEOUT_MS: '3000' } });
  });
  afterAll(async () => {
    await t.close();
  });
  afterEach(() => {
    t.simulator.knobs.fault = null;
  });

  it.each<[NonNullable<SimulatorFault>, number, string]>([
    ['error500', 502, 'twilio_error'],
    ['hang', 504, 'twilio_timeout'],
    ['drop', 502, 'twilio_unreachable'],
  ])(
    'answers a Twilio that does "%s" with %i %s, records the send as failed and does not retry',
    async (fault, status, code) => {
      t.simulator.knobs.fault = fault;
      const requestsBefore = t.simulator.requestCount;
      const sentBefore = t.simulator.messages.length;
      const body = `fault ${fault}`;

      const res = await t.http().post('/sms/send').send({ to: '+15551234567', body });

      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      // A later send through the healthy Twilio: a retry of the failed one, were there one,
      // would have come before it or with it.
      t.simulator.knobs.fault = null;
      const later = await t.http().post('/sms/send').send({ to: '+15551234567', body: 'later' });
      expect(later.status).toBe(201);
      expect(t.simulator.requestCount - requestsBefore).toBe(2);
      expect(t.simulator.messages.slice(sentBefore).map((m) => m.body)).toEqual(['later']);
      const rows = await queryDb<OutboundRow>(
        t.env.SMS_DATABASE_PATH,
        'SELECT status, sid, error_message FROM outbound_messages WHERE body = ?',
        body,
      );
      expect(rows).toEqual([{ status: 'failed', sid: null, error_message: code }]);
      const outcome = await queryDb<AuditRow>(
        t.env.SMS_DATABASE_PATH,
        "SELECT outcome, reason FROM audit_log WHERE action = 'send' AND phase = 'outcome' AND body = ?",
        body,
      );
      expect(outcome).toEqual([{ outcome: 'failed', reason: code }]);
    },
  );

  it('sends normally once Twilio is healthy again', async () => {
    const res = await t.http().post('/sms/send').send({ to: '+15551234567', body: 'healthy' });
    expect(res.status).toBe(201);
    expect(t.simulator.messages.at(-1)?.sid).toBe(res.body.sid);
  });
});
