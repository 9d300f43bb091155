import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeTestDatabase, openTestDatabase } from '../../../test/helpers/test-database';
import type { Database } from '../../storage/database';
import { DatabaseThrottlerStorage } from './database-throttler.storage';

const MINUTE_MS = 60_000;

describe('DatabaseThrottlerStorage', () => {
  let dir: string;
  let path: string;
  let database: Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sms-bridge-throttle-'));
    path = join(dir, 'test.db');
    database = openTestDatabase(path);
  });
  afterEach(() => {
    jest.useRealTimers();
    closeTestDatabase(path, database);
    rmSync(dir, { recursive: true, force: true });
  });

  const hit = (storage: DatabaseThrottlerStorage, key = 'caller') =>
    storage.increment(key, MINUTE_MS, 3, 0, 'send');

  it('admits the limit in a minute, then refuses without counting the refusal', async () => {
    const storage = new DatabaseThrottlerStorage(database);
    for (let n = 1; n <= 3; n++) {
      expect(await hit(storage)).toMatchObject({ totalHits: n, isBlocked: false });
    }
    expect(await hit(storage)).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    expect(await hit(storage)).toMatchObject({ totalHits: 4, isBlocked: true });
  });

  it('shares the count between two bridges on one database', async () => {
    const one = new DatabaseThrottlerStorage(database);
    const other = new DatabaseThrottlerStorage(database);
    await hit(one);
    await hit(other);
    await hit(one);
    expect(await hit(other)).toMatchObject({ isBlocked: true });
  });

  it('counts each caller and each throttle apart', async () => {
    const storage = new DatabaseThrottlerStorage(database);
    for (let n = 0; n < 3; n++) await hit(storage, 'one');
    expect(await hit(storage, 'two')).toMatchObject({ isBlocked: false });
    expect(await storage.increment('one', MINUTE_MS, 3, 0, 'webhook')).toMatchObject({
      isBlocked: false,
    });
  });

  it('admits again once the oldest hit leaves the sliding minute, and says when that is', async () => {
    jest.useFakeTimers({ now: Date.parse('2026-03-01T12:00:00Z') });
    const storage = new DatabaseThrottlerStorage(database);
    await hit(storage);
    jest.setSystemTime(Date.parse('2026-03-01T12:00:20Z'));
    await hit(storage);
    await hit(storage);
    expect(await hit(storage)).toMatchObject({ isBlocked: true, timeToBlockExpire: 40 });
    jest.setSystemTime(Date.parse('2026-03-01T12:01:00Z'));
    expect(await hit(storage)).toMatchObject({ isBlocked: false, totalHits: 3 });
  });
});
