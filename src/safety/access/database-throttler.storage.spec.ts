import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeTestStore, ON_POSTGRES, openTestStore } from '../../../test/helpers/test-database';
import type { Store } from '../../storage/store';
import { DatabaseThrottlerStorage } from './database-throttler.storage';

const MINUTE_MS = 60_000;

describe('DatabaseThrottlerStorage', () => {
  let dir: string;
  let path: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sms-bridge-throttle-'));
    path = join(dir, 'test.db');
    store = await openTestStore(path);
  });
  afterEach(async () => {
    jest.useRealTimers();
    await closeTestStore(path, store);
    rmSync(dir, { recursive: true, force: true });
  });

  const countHits = async () =>
    (
      await store
        .selectFrom('throttle_hits')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  const hit = (storage: DatabaseThrottlerStorage, key = 'caller') =>
    storage.increment(key, MINUTE_MS, 3, 0, 'send');

  it('admits the limit in a minute, then refuses without counting the refusal', async () => {
    const storage = new DatabaseThrottlerStorage(store);
    for (let n = 1; n <= 3; n++) {
      expect(await hit(storage)).toMatchObject({ totalHits: n, isBlocked: false });
    }
    expect(await hit(storage)).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    expect(await hit(storage)).toMatchObject({ totalHits: 4, isBlocked: true });
  });

  it('shares the count between two bridges on one database', async () => {
    const one = new DatabaseThrottlerStorage(store);
    const other = new DatabaseThrottlerStorage(store);
    await hit(one);
    await hit(other);
    await hit(one);
    expect(await hit(other)).toMatchObject({ isBlocked: true });
  });

  // Two bridges are two processes; on SQLite two connections in one test process would
  // wait on each other's write lock with the event loop blocked.
  (ON_POSTGRES ? it : it.skip)(
    'admits exactly the limit when two bridges are hit at once, each by its own connections',
    async () => {
      const neighbour = await openTestStore(path);
      try {
        const bridges = [
          new DatabaseThrottlerStorage(store),
          new DatabaseThrottlerStorage(neighbour),
        ];
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, n) => hit(bridges[n % 2])),
        );
        expect(answers.filter((answer) => !answer.isBlocked)).toHaveLength(3);
        expect(await countHits()).toBe(3);
      } finally {
        await neighbour.destroy();
      }
    },
  );

  it('counts each caller and each throttle apart', async () => {
    const storage = new DatabaseThrottlerStorage(store);
    for (let n = 0; n < 3; n++) await hit(storage, 'one');
    expect(await hit(storage, 'two')).toMatchObject({ isBlocked: false });
    expect(await storage.increment('one', MINUTE_MS, 3, 0, 'webhook')).toMatchObject({
      isBlocked: false,
    });
  });

  it('admits again once the oldest hit leaves the sliding minute, and says when that is', async () => {
    // Only the clock: PostgreSQL's driver needs the real timers and ticks to talk at all.
    jest.useFakeTimers({
      now: Date.parse('2026-03-01T12:00:00Z'),
      doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'],
    });
    const storage = new DatabaseThrottlerStorage(store);
    await hit(storage);
    jest.setSystemTime(Date.parse('2026-03-01T12:00:20Z'));
    await hit(storage);
    await hit(storage);
    expect(await hit(storage)).toMatchObject({ isBlocked: true, timeToBlockExpire: 40 });
    jest.setSystemTime(Date.parse('2026-03-01T12:01:00Z'));
    expect(await hit(storage)).toMatchObject({ isBlocked: false, totalHits: 3 });
  });
});
