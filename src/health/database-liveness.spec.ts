import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TcpProxy } from '../../bench/tcp-proxy';
import { openStoreBehindProxy, StoreBehindProxy } from '../../test/helpers/store-behind-proxy';
import { ON_POSTGRES } from '../../test/helpers/test-database';
import { databaseTimeouts } from '../config/app-config';
import { EnvSchema } from '../config/env.schema';
import { migrate } from '../storage/migrator';
import { SqliteFile } from '../storage/sqlite-file';
import { sqliteStore, Store } from '../storage/store';
import { DatabaseLiveness } from './database-liveness';

/** What /health promises, whatever the database does. */
const LIVENESS_MS = 100;

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

(ON_POSTGRES ? describe.skip : describe)('database liveness on SQLite', () => {
  let dir: string;
  let file: SqliteFile;
  let store: Store;
  let liveness: DatabaseLiveness;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sms-bridge-liveness-'));
    file = new SqliteFile(join(dir, 'bridge.db'));
    store = sqliteStore(file.db);
    await migrate(store);
    liveness = new DatabaseLiveness(store, file);
  });
  afterEach(async () => {
    await store.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers ok while the file takes the write lock, and leaves no transaction open', async () => {
    expect(await liveness.check()).toEqual({ ok: true });
    expect(file.db.inTransaction).toBe(false);
    await expect(
      store.insertInto('readiness_probe').values({ id: 1, checked_at: 'now' }).execute(),
    ).resolves.toBeDefined();
  });

  it('says what failed, and since when, once the file is closed', async () => {
    file.close();

    const state = await liveness.check();

    expect(state.ok).toBe(false);
    expect(state.problem).toMatch(/not open .*\(since \d{4}-/);
  });
});

// On SQLite the check is local to the file; the silence is PostgreSQL's.
(ON_POSTGRES ? describe : describe.skip)('database liveness, when PostgreSQL goes silent', () => {
  let proxied: StoreBehindProxy;
  let proxy: TcpProxy;
  let liveness: DatabaseLiveness;

  beforeEach(async () => {
    proxied = await openStoreBehindProxy(databaseTimeouts(new EnvSchema()));
    proxy = proxied.proxy;
    liveness = new DatabaseLiveness(proxied.store, null);
  });
  afterEach(() => proxied.close());

  it('answers within 100 ms, and once a check has waited a second, that the database does not answer since it was sent', async () => {
    // On a loaded machine this check may still be on its way when the network goes silent.
    const firstCheckAt = Date.now();
    expect(await liveness.check()).toEqual({ ok: true });
    proxy.stall();
    const stalledAt = Date.now();

    const meanwhile = await timed(liveness.check());
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const silent = await timed(liveness.check());

    expect(meanwhile.ms).toBeLessThan(LIVENESS_MS);
    expect(meanwhile.value).toEqual({ ok: true });
    expect(silent.ms).toBeLessThan(LIVENESS_MS);
    expect(silent.value.ok).toBe(false);
    expect(silent.value.problem).toMatch(/^no answer for \d+ ms \(since /);
    const since = Date.parse(/since (.+)\)$/.exec(silent.value.problem!)![1]);
    expect(since).toBeGreaterThanOrEqual(firstCheckAt - 5);
    expect(since).toBeLessThan(stalledAt + LIVENESS_MS);
  });

  it('says ok again once the database answers again', async () => {
    await liveness.check();
    proxy.stall();
    await liveness.check();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await liveness.check()).ok).toBe(false);
    proxy.resume();

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await liveness.check()).toEqual({ ok: true });
  });
});
