import { countRows, holdOnPostgres, queryDb } from '../helpers/db-file';
import { expectPrompt, timed } from '../helpers/latency';
import { TestApp } from '../helpers/test-app';
import { ON_POSTGRES } from '../helpers/test-database';
import { until } from '../helpers/until';

/** /health's promise to a load balancer, whatever the database does. */
const HEALTH_MS = 100;
/**
 * A webhook stored while a send waits on a lock must not wait with it: it takes a few
 * milliseconds, and far less than the second the lock is held here even on a loaded machine.
 */
const WEBHOOK_MS = 400;
const HELD_MS = 1500;
/** What a loaded 2-core machine adds to a bound before the test calls it broken. */
const SLACK_MS = 1500;

/**
 * Another session (a bridge mid-write, an operator's psql) holds a lock a send needs: the
 * advisory lock on today's daily-sends count. The send waits for it, within
 * SMS_DATABASE_LOCK_TIMEOUT_MS; nothing else of either bridge waits with it.
 */
if (!ON_POSTGRES) console.info('Skipped on SQLite: a lock held by another PostgreSQL session');
const describeOnPostgres = ON_POSTGRES ? describe : describe.skip;

/** Holds the lock every send of today takes before it counts the day's sends. */
async function holdTodaysCount(t: TestApp): Promise<() => Promise<void>> {
  const { day } = (await t.http().get('/sms/limits').expect(200)).body as { day: string };
  return holdOnPostgres(
    t.env.SMS_DATABASE_PATH,
    `SELECT pg_advisory_xact_lock(hashtextextended('daily-sends:${day}', 0))`,
  );
}

/** True once a session waits for an advisory lock it has not got. */
async function someoneWaits(t: TestApp): Promise<boolean> {
  const waiting = await queryDb<{ n: number }>(
    t.env.SMS_DATABASE_PATH,
    "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
  );
  return waiting[0].n > 0;
}

describeOnPostgres("a lock held by another session on one of a send's rules", () => {
  it("keeps both bridges' webhooks and /health prompt while a send waits, then sends it once the lock goes", async () => {
    const a = await TestApp.create({ env: { SMS_DATABASE_LOCK_TIMEOUT_MS: '10000' } });
    const b = await TestApp.create({ beside: a });
    const release = await holdTodaysCount(a);
    try {
      const sending = a
        .http()
        .post('/sms/send')
        .send({ to: '+15550007001', body: 'Waits for the count' })
        .then((res) => res);
      await until(() => someoneWaits(a), 'the send to wait for the lock');
      const heldSince = performance.now();

      const webhooks: number[] = [];
      const health: number[] = [];
      const sids: string[] = [];
      for (let i = 0; performance.now() - heldSince < HELD_MS; i++) {
        const t = i % 2 ? a : b;
        const inbound = await timed(() =>
          t.simulator.sendInbound({
            from: '+15557650003',
            body: `while the send waits ${i}`,
            url: `${t.url}/sms/webhook`,
          }),
        );
        expect(inbound.value.status).toBe(200);
        webhooks.push(inbound.ms);
        sids.push(inbound.value.messageSid);
        health.push((await timed(() => t.http().get('/health').expect(200))).ms);
      }
      expect(await someoneWaits(a)).toBe(true);
      expect(a.simulator.requestCount).toBe(0);
      await release();

      const sent = await sending;
      expect(sent.status).toBe(201);
      expect(a.simulator.messages.map((m) => m.body)).toEqual(['Waits for the count']);
      expect(webhooks.length).toBeGreaterThanOrEqual(4);
      expectPrompt(webhooks, WEBHOOK_MS, HELD_MS / 3);
      expectPrompt(health, HEALTH_MS, HELD_MS / 3);
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
    const release = await holdTodaysCount(t);
    try {
      const { ms, value: res } = await timed(() =>
        t.http().post('/sms/send').send({ to: '+15550007002', body: 'Never had the count' }),
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
