import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TcpProxy } from '../../bench/tcp-proxy';
import {
  closeTestDatabase,
  ON_POSTGRES,
  openTestDatabase,
  postgresUrlAt,
} from '../../test/helpers/test-database';
import { databaseTimeouts } from '../config/app-config';
import { EnvSchema } from '../config/env.schema';
import type { Database } from '../storage/database';
import { postgresStore, Store } from '../storage/store';
import { DatabaseLiveness } from './database-liveness';

/** What /health promises, whatever the database does. */
const LIVENESS_MS = 100;

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

// On SQLite the check is a local, synchronous file operation; the silence is PostgreSQL's.
(ON_POSTGRES ? describe : describe.skip)('database liveness, when PostgreSQL goes silent', () => {
  let dir: string;
  let path: string;
  let database: Database;
  let proxy: TcpProxy;
  let store: Store;
  let liveness: DatabaseLiveness;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sms-bridge-liveness-'));
    path = join(dir, 'test.db');
    database = openTestDatabase(path);
    const url = new URL(postgresUrlAt(path)!);
    proxy = new TcpProxy({ host: url.hostname, port: Number(url.port) });
    url.port = String(await proxy.listen());
    store = postgresStore(url.toString(), databaseTimeouts(new EnvSchema()), () => {});
    liveness = new DatabaseLiveness(database, store);
  });
  afterEach(async () => {
    proxy.resume();
    await store.destroy();
    await proxy.close();
    closeTestDatabase(path, database);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers within 100 ms, and once a check has waited a second, that the database does not answer since it was sent', async () => {
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
    expect(since).toBeGreaterThanOrEqual(stalledAt - 5);
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
