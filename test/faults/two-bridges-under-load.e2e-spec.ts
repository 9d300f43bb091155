import { countRows, queryDb } from '../helpers/db-file';
import { FakeClock } from '../helpers/fake-clock';
import { TestApp } from '../helpers/test-app';
import { describeOnPostgres, twoBridges } from '../helpers/two-bridges';
import { messageSid } from '../helpers/webhook-signer';

/**
 * Two bridges on one PostgreSQL database, each taking many requests at once that race the
 * other's for the same rows: the rules of test/cross-instance.e2e-spec.ts hold for every
 * one of them, not only for one race at a time.
 */
/** How many times each value occurs. */
function tally(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describeOnPostgres('two bridges on one PostgreSQL database under concurrent load', () => {
  it('keeps the daily and per-recipient limits exact for 24 sends at once to 4 numbers, split across both', async () => {
    const { a, b, close } = await twoBridges({
      SMS_DAILY_LIMIT: '8',
      SMS_DAILY_LIMIT_PER_RECIPIENT: '3',
    });
    try {
      const numbers = ['+15550008001', '+15550008002', '+15550008003', '+15550008004'];
      const answers = await Promise.all(
        range(24).map((i) =>
          (i % 2 ? a : b)
            .http()
            .post('/sms/send')
            .send({ to: numbers[i % 4], body: `load ${i}` }),
        ),
      );
      expect(tally(answers.map((res) => String(res.status)))).toEqual({ 201: 8, 429: 16 });
      expect(
        new Set(answers.filter((res) => res.status === 429).map((res) => res.body.error.code)),
      ).toEqual(new Set(['daily_limit_reached']));
      const perNumber = Object.values(tally(a.simulator.messages.map((m) => m.to)));
      expect(perNumber.reduce((sum, n) => sum + n, 0)).toBe(8);
      expect(perNumber.filter((n) => n > 3)).toEqual([]);
      expect(await countRows(a.env.SMS_DATABASE_PATH, 'outbound_messages')).toBe(8);
      for (const t of [a, b]) {
        const limits = await t.http().get('/sms/limits').expect(200);
        expect(limits.body.total).toEqual({ limit: 8, used: 8, remaining: 0 });
      }
    } finally {
      await close();
    }
  }, 60_000);

  it('calls Twilio once per Idempotency-Key for 8 keys each sent to both at once', async () => {
    const { a, b, close } = await twoBridges();
    try {
      a.simulator.knobs.responseDelayMs = 200;
      const send = (t: TestApp, key: number) =>
        t
          .http()
          .post('/sms/send')
          .set('Idempotency-Key', `order-${key}`)
          .send({ to: '+15550008101', body: `Order ${key} shipped` });
      const keys = range(8);
      const answers = await Promise.all(keys.flatMap((key) => [send(a, key), send(b, key)]));
      for (const key of keys) {
        const statuses = [answers[2 * key].status, answers[2 * key + 1].status].sort();
        expect([
          [201, 201],
          [201, 409],
        ]).toContainEqual(statuses);
      }
      expect(a.simulator.requestCount).toBe(8);
      expect(tally(a.simulator.messages.map((m) => m.body))).toEqual(
        Object.fromEntries(keys.map((key) => [`Order ${key} shipped`, 1])),
      );

      a.simulator.knobs.responseDelayMs = 0;
      for (const key of keys) {
        const replay = await send(key % 2 ? a : b, key).expect(201);
        expect(replay.headers['idempotent-replayed']).toBe('true');
        expect(replay.body.sid).toBe(
          a.simulator.messages.find((m) => m.body === `Order ${key} shipped`)!.sid,
        );
      }
      expect(a.simulator.requestCount).toBe(8);
      expect(await countRows(a.env.SMS_DATABASE_PATH, 'outbound_messages')).toBe(8);
    } finally {
      await close();
    }
  }, 60_000);

  it('stores one row per MessageSid when Twilio delivers each of 20 texts to both at once', async () => {
    const { a, b, close } = await twoBridges();
    try {
      const sids = range(20).map(() => messageSid());
      const deliveries = await Promise.all(
        sids.flatMap((sid, i) =>
          [a, b].map((t) =>
            a.simulator.sendInbound({
              from: `+1555765${String(1000 + (i % 4))}`,
              body: `text ${i}`,
              url: `${t.url}/sms/webhook`,
              messageSid: sid,
            }),
          ),
        ),
      );
      expect(deliveries.map((d) => d.status)).toEqual(Array(40).fill(200));
      const stored = await queryDb<{ sid: string }>(
        a.env.SMS_DATABASE_PATH,
        'SELECT sid FROM inbound_messages',
      );
      expect(stored.map((row) => row.sid).sort()).toEqual([...sids].sort());
      for (const t of [a, b]) {
        const inbox = await t.http().get('/sms/inbox?limit=100').expect(200);
        expect(inbox.body.messages.map((m: { sid: string }) => m.sid).sort()).toEqual(
          [...sids].sort(),
        );
      }
    } finally {
      await close();
    }
  }, 60_000);

  it('sends each of 5 held messages once when the operator approves all of them on both at once', async () => {
    const { a, b, close } = await twoBridges({ SMS_REQUIRE_APPROVAL: 'true' });
    try {
      const held = await Promise.all(
        range(5).map(async (i) => {
          const res = await (i % 2 ? a : b)
            .http()
            .post('/sms/send')
            .send({ to: `+1555000${String(9000 + i)}`, body: `Held ${i}` })
            .expect(202);
          return res.body.approvalId as string;
        }),
      );
      const answers = await Promise.all(
        held.flatMap((id) =>
          [a, b].map((t) => t.http().post(`/sms/approvals/${id}/approve`).set(t.asOperator)),
        ),
      );
      for (const i of range(5)) {
        const pair = [answers[2 * i], answers[2 * i + 1]];
        expect(pair.map((res) => res.status).sort()).toEqual([200, 409]);
        expect(pair.find((res) => res.status === 409)!.body.error.code).toBe(
          'approval_already_decided',
        );
      }
      expect(tally(a.simulator.messages.map((m) => m.body))).toEqual(
        Object.fromEntries(range(5).map((i) => [`Held ${i}`, 1])),
      );
      expect(await countRows(a.env.SMS_DATABASE_PATH, 'outbound_messages')).toBe(5);
    } finally {
      await close();
    }
  }, 60_000);

  it('sends each of 6 scheduled texts once when both bridges wake for them', async () => {
    const clock = new FakeClock();
    const a = await TestApp.create({ clock });
    const ids = await Promise.all(
      range(6).map(async (i) => {
        const res = await a
          .http()
          .post('/sms/send')
          .send({
            to: `+1555000${String(9100 + i)}`,
            body: `At ${i}`,
            sendAt: new Date(clock.now() + 60_000 + i * 1000).toISOString(),
          })
          .expect(202);
        return res.body.id as string;
      }),
    );
    // Booted after the sends were planned, B arms its timers for them too.
    const b = await TestApp.create({ clock, beside: a });
    try {
      clock.advance(70_000);
      await Promise.all([a.scheduledSettled(), b.scheduledSettled()]);
      expect(tally(a.simulator.messages.map((m) => m.body))).toEqual(
        Object.fromEntries(range(6).map((i) => [`At ${i}`, 1])),
      );
      expect(a.simulator.requestCount).toBe(6);
      const listed = await b.http().get('/sms/scheduled').expect(200);
      expect(
        Object.fromEntries(
          listed.body.scheduled.map((s: { id: string; status: string }) => [s.id, s.status]),
        ),
      ).toEqual(Object.fromEntries(ids.map((id) => [id, 'sent'])));
    } finally {
      await b.close();
      await a.close();
    }
  }, 60_000);
});
