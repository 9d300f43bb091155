import { countRows, queryDb } from './helpers/db-file';
import { AuditRow } from './helpers/temp-audit';
import { withTestApp } from './helpers/with-test-app';

const SEND = { to: '+15551234567', body: 'hello' };

describe('audit of a guard refusal', () => {
  it('records local_only and too_many_requests under the request id of the access log', () =>
    withTestApp({ env: { SMS_SEND_RATE_PER_MINUTE: '1' } }, async (t) => {
      const proxied = await t
        .http()
        .post('/sms/send')
        .set('X-Forwarded-For', '203.0.113.7')
        .send(SEND)
        .expect(403);
      await t.http().post('/sms/send').send(SEND).expect(201);
      const throttled = await t.http().post('/sms/send').send(SEND).expect(429);

      const refusals = await queryDb<AuditRow>(
        t.env.SMS_DATABASE_PATH,
        "SELECT * FROM audit_log WHERE outcome = 'refused' ORDER BY id",
      );
      expect(refusals).toEqual([
        expect.objectContaining({
          request_id: proxied.headers['x-request-id'],
          action: 'send',
          reason: 'local_only',
        }),
        expect.objectContaining({
          request_id: throttled.headers['x-request-id'],
          action: 'send',
          reason: 'too_many_requests',
        }),
      ]);
      expect(proxied.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(t.simulator.requestCount).toBe(1);
    }));

  it('still answers 429 too_many_requests when the audit cannot be written', () =>
    // /dev/full accepts the open and fails every write with ENOSPC, as a full disk does.
    withTestApp(
      { env: { SMS_AUDIT_LOG_PATH: '/dev/full', SMS_SEND_RATE_PER_MINUTE: '1' } },
      async (t) => {
        await t.http().post('/sms/send').send(SEND).expect(503);
        const res = await t.http().post('/sms/send').send(SEND);
        expect(res.status).toBe(429);
        expect(res.body.error.code).toBe('too_many_requests');
        expect(res.headers['retry-after']).toBeDefined();
        expect(t.simulator.requestCount).toBe(0);
        expect(await countRows(t.env.SMS_DATABASE_PATH, 'audit_log')).toBe(0);
      },
    ));
});
