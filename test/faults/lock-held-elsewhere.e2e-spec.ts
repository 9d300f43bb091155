import { countRows, holdOnPostgres, queryDb } from '../helpers/db-file';
import { expectPrompt, timed } from '../helpers/latency';
import { TestApp } from '../helpers/test-app';
import { ON_POSTGRES } from '../helpers/test-database';
import { until } from '../helpers/until';

/** /health's promise to a load balancer, whatever the database does. */
const HEALTH_MS = 100;
/** A webhook stored while a send waits on a lock takes tens of milliseconds, not the wait. */
const WEBHOOK_MS = 200;
/** Far less than the seconds the lock is held, even on a loaded machine. */
const WORST_MS = 500;
/** Webhooks and /health calls, alternating between the bridges, while the send waits. */
const ROUNDS = 12;
/** What a loaded 2-core machine adds to a bound before the test calls it broken. */
const SLACK_MS = 1500;

/**
 * Another session (an operator's psql, a bridge mid-write) holds a lock a send needs. The
 * send waits for it, within SMS_DATABASE_LOCK_TIMEOUT_MS; nothing else of either bridge
 * waits with it.
 */
if (!ON_POSTGRES) console.info('Skipped on SQLite: a lock held by another PostgreSQL session');
const describeOnPostgres = ON_POSTGRES ? describe : describe.skip;

/**
 * Holds the table of the day's send counts against writes, as an operator's maintenance
 * would: every send takes a slot there before it calls Twilio; reads go on.
 */
function holdDailyCounts(t: TestApp): Promise<() => Promise<void>> {
  return holdOnPostgres(t.env.SMS_DATABASE_PATH, 'LOCK TABLE daily_sends IN EXCLUSIVE MODE');
}

/** True once a session waits for a lock it has not got. */
async function someoneWaits(t: TestApp): Promise<boolean> {
  const waiting = await queryDb<{ n: number }>(
    t.env.SMS_DATABASE_PATH,
    'SELECT count(*) AS n FROM pg_locks WHERE NOT granted',
  );
  return waiting[0].n > 0;
}

describeOnPostgres("a lock held by another session on one of a send's rules", () => {
  it("keeps both bridges' webhooks and /health prompt while a send waits, then sends it once the lock goes", async () => {
    // Bounds far past the test's own time: the send waits until the lock is let go.
    const a = await TestApp.create({
      env: { SMS_DATABASE_LOCK_TIMEOUT_MS: '30000', SMS_DATABASE_STATEMENT_TIMEOUT_MS: '30000' },
    });
    const b = await TestApp.create({ beside: a });
    const sids: string[] = [];
    const deliver = async (t: TestApp, body: string) => {
      const result = await t.simulator.sendInbound({
        from: '+15557650003',
        body,
        url: `${t.url}/sms/webhook`,
      });
      sids.push(result.messageSid);
      return result;
    };
    // The first request of each bridge pays for its warm-up, not for the lock.
    for (const t of [a, b]) {
      expect((await deliver(t, 'warm-up')).status).toBe(200);
      await t.http().get('/health').expect(200);
    }
    const release = await holdDailyCounts(a);
    try {
      const sending = a
        .http()
        .post('/sms/send')
        .send({ to: '+15550007001', body: 'Waits for its slot' })
        .then((res) => res);
      await until(() => someoneWaits(a), 'the send to wait for the lock');
      const webhooks: number[] = [];
      const health: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const t = i % 2 ? a : b;
        const inbound = await timed(() => deliver(t, `while the send waits ${i}`));
        expect(inbound.value.status).toBe(200);
        webhooks.push(inbound.ms);
        health.push((await timed(() => t.http().get('/health').expect(200))).ms);
      }
      expect(await someoneWaits(a)).toBe(true);
      expect(a.simulator.requestCount).toBe(0);
      await release();

      const sent = await sending;
      expect(sent.status).toBe(201);
      expect(a.simulator.messages.map((m) => m.body)).toEqual(['Waits for its slot']);
      expectPrompt(webhooks, WEBHOOK_MS, WORST_MS);
      expectPrompt(health, HEALTH_MS, WORST_MS);
      const stored = await queryDb<{ sid: string }>(
        a.env.SMS_DATABASE_PATH,
        'SELECT sid FROM inbound_messages',
      );
      expect(stored.map((row) => row.sid).sort()).toEqual([...sids].sort());
    } finally {
      await release().catch(() => undefined);
      await b.close();
      await a.close();
    }
  }, 60_000);

  it('answers a send 503 storage_unavailable once SMS_DATABASE_LOCK_TIMEOUT_MS runs out, with nothing sent or counted', async () => {
    const lockMs = 500;
    const t = await TestApp.create({ env: { SMS_DATABASE_LOCK_TIMEOUT_MS: String(lockMs) } });
    const release = await holdDailyCounts(t);
    try {
      const { ms, value: res } = await timed(() =>
        t.http().post('/sms/send').send({ to: '+15550007002', body: 'Never had its slot' }),
      );
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('storage_unavailable');
      expect(ms).toBeGreaterThanOrEqual(lockMs - 50);
      expect(ms).toBeLessThan(lockMs + SLACK_MS);
      expect(t.simulator.requestCount).toBe(0);
      expect(await countRows(t.env.SMS_DATABASE_PATH, 'outbound_messages')).toBe(0);
      const limits = await t.http().get('/sms/limits').expect(200);
      expect(limits.body.total.used).toBe(0);
      const audit = await queryDb<{ phase: string; outcome: string | null }>(
        t.env.SMS_DATABASE_PATH,
        "SELECT phase, outcome FROM audit_log WHERE action = 'send' ORDER BY id",
      );
      expect(audit).toEqual([
        { phase: 'attempt', outcome: null },
        { phase: 'outcome', outcome: 'failed' },
      ]);

      await release();
      await t.http().post('/sms/send').send({ to: '+15550007002', body: 'Had it' }).expect(201);
      expect(t.simulator.messages.map((m) => m.body)).toEqual(['Had it']);
    } finally {
      await release().catch(() => undefined);
      await t.close();
    }
  }, 60_000);
});
