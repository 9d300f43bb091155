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
    // Short, so that "hang" is over quickly; the SDK's own timeout does the work.
    t = await TestApp.create({ env: { TWILIO_TIMEOUT_MS: '300' } });
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
      const body = `fault ${fault}`;

      const res = await t.http().post('/sms/send').send({ to: '+15551234567', body });

      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      // Long enough for a retry to have arrived, were there one.
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(t.simulator.requestCount - requestsBefore).toBe(1);
      expect(t.simulator.messages).toEqual([]);
      const rows = queryDb<OutboundRow>(
        t.env.SMS_DATABASE_PATH,
        'SELECT status, sid, error_message FROM outbound_messages WHERE body = ?',
        body,
      );
      expect(rows).toEqual([{ status: 'failed', sid: null, error_message: code }]);
      const outcome = queryDb<AuditRow>(
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
    expect(t.simulator.messages.map((m) => m.sid)).toEqual([res.body.sid]);
  });
});
