import { sql } from 'kysely';
import { Client } from 'pg';
import type { TcpProxy } from '../../bench/tcp-proxy';
import { openStoreBehindProxy, StoreBehindProxy } from '../../test/helpers/store-behind-proxy';
import { ON_POSTGRES, postgresUrlAt } from '../../test/helpers/test-database';
import { isStorageUnavailable } from '../common/storage-unavailable';
import type { DatabaseTimeouts } from '../config/app-config';
import type { Store } from './store';

const TIMEOUTS: DatabaseTimeouts = {
  connectMs: 500,
  statementMs: 500,
  lockMs: 300,
  idleInTransactionMs: 1000,
  keepAliveMs: 1000,
};
/** The client's own give-up comes a second after the server's statement_timeout (store.ts). */
const CLIENT_GRACE_MS = 1000;
/** What a loaded two-core machine adds to any timer. */
const SLACK_MS = 700;

/** How long `work` took to fail, and with what. */
async function failure(work: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await work;
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected a failure');
}

// The bounds are PostgreSQL's (SQLite has one local file and its busy_timeout).
(ON_POSTGRES ? describe : describe.skip)('the PostgreSQL store, when the database stalls', () => {
  let proxied: StoreBehindProxy;
  let proxy: TcpProxy;
  let store: Store;
  let path: string;

  beforeEach(async () => {
    proxied = await openStoreBehindProxy(TIMEOUTS);
    ({ proxy, store, path } = proxied);
  });
  afterEach(() => proxied.close());

  const select = () => sql`SELECT 1 AS one`.execute(store);

  it('fails a statement as storage unavailable within its bound when the network goes silent', async () => {
    await select();
    proxy.stall();

    const { error, ms } = await failure(select());

    expect(isStorageUnavailable(error)).toBe(true);
    expect(ms).toBeLessThan(TIMEOUTS.statementMs + CLIENT_GRACE_MS + SLACK_MS);
  });

  it('fails a new connection as storage unavailable within the connect bound', async () => {
    proxy.stall();

    const { error, ms } = await failure(select());

    expect(isStorageUnavailable(error)).toBe(true);
    expect(ms).toBeLessThan(TIMEOUTS.connectMs + SLACK_MS);
  });

  it('serves again once the network comes back, on fresh connections', async () => {
    await select();
    proxy.stall();
    await failure(select());
    proxy.resume();

    expect((await select()).rows).toEqual([{ one: 1 }]);
  });

  it('fails a write that waits on a row another session holds within the lock bound', async () => {
    await store.insertInto('readiness_probe').values({ id: 1, checked_at: 'before' }).execute();
    const holder = new Client({ connectionString: postgresUrlAt(path) });
    await holder.connect();
    try {
      await holder.query('BEGIN; SELECT * FROM readiness_probe WHERE id = 1 FOR UPDATE');

      const { error, ms } = await failure(
        store.updateTable('readiness_probe').set({ checked_at: 'after' }).execute(),
      );

      expect(isStorageUnavailable(error)).toBe(true);
      expect((error as { code: string }).code).toBe('55P03');
      expect(ms).toBeLessThan(TIMEOUTS.lockMs + SLACK_MS);
    } finally {
      await holder.end();
    }
    expect(await store.selectFrom('readiness_probe').select('checked_at').execute()).toEqual([
      { checked_at: 'before' },
    ]);
  });

  it('closes within the statement bound while the database is silent, as a SIGTERM needs', async () => {
    await select();
    proxy.stall();
    const stuck = select().catch(() => undefined);

    const started = Date.now();
    await store.destroy();
    await stuck;

    expect(Date.now() - started).toBeLessThan(TIMEOUTS.statementMs + CLIENT_GRACE_MS + SLACK_MS);
  });
});
