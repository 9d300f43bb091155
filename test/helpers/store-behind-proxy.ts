import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TcpProxy } from '../../bench/tcp-proxy';
import type { DatabaseTimeouts } from '../../src/config/app-config';
import { postgresStore, Store } from '../../src/storage/store';
import { closeTestStore, openTestStore, postgresUrlAt } from './test-database';

/**
 * A fresh, migrated PostgreSQL test database, and a store that reaches it through a proxy the
 * test can stall.
 */
export interface StoreBehindProxy {
  path: string;
  proxy: TcpProxy;
  store: Store;
  close(): Promise<void>;
}

export async function openStoreBehindProxy(timeouts: DatabaseTimeouts): Promise<StoreBehindProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'sms-bridge-proxied-'));
  const path = join(dir, 'test.db');
  // A direct store migrates the database and holds it until the test is done.
  const direct = await openTestStore(path);
  const url = new URL(postgresUrlAt(path)!);
  const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port) });
  url.port = String(await proxy.listen());
  const store = postgresStore(url.toString(), timeouts, () => {});
  return {
    path,
    proxy,
    store,
    async close() {
      proxy.resume();
      await store.destroy();
      await proxy.close();
      await closeTestStore(path, direct);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
