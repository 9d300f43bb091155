import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TcpProxy } from '../../bench/tcp-proxy';
import type { DatabaseTimeouts } from '../../src/config/app-config';
import type { Database } from '../../src/storage/database';
import { postgresStore, Store } from '../../src/storage/store';
import { closeTestDatabase, openTestDatabase, postgresUrlAt } from './test-database';

/** A fresh PostgreSQL test database, and a store that reaches it through a proxy the test can stall. */
export interface StoreBehindProxy {
  path: string;
  database: Database;
  proxy: TcpProxy;
  store: Store;
  close(): Promise<void>;
}

export async function openStoreBehindProxy(timeouts: DatabaseTimeouts): Promise<StoreBehindProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'sms-bridge-proxied-'));
  const path = join(dir, 'test.db');
  const database = openTestDatabase(path);
  const url = new URL(postgresUrlAt(path)!);
  const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port) });
  url.port = String(await proxy.listen());
  const store = postgresStore(url.toString(), timeouts, () => {});
  return {
    path,
    database,
    proxy,
    store,
    async close() {
      proxy.resume();
      await store.destroy();
      await proxy.close();
      closeTestDatabase(path, database);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
