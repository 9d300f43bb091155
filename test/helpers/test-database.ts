import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { databaseTimeouts } from '../../src/config/app-config';
import { EnvSchema } from '../../src/config/env.schema';
import { migrated } from '../../src/storage/migrator';
import { SqliteFile } from '../../src/storage/sqlite-file';
import { postgresStore, sqliteStore, Store } from '../../src/storage/store';

/**
 * `SMS_TEST_DATABASE=postgres` runs the suite on PostgreSQL: each test app gets a fresh
 * database on the server at SMS_TEST_POSTGRES_URL (.ci/run starts one with .ci/postgres).
 * Unset: SQLite, a fresh file per app.
 */
export const ON_POSTGRES = process.env.SMS_TEST_DATABASE === 'postgres';

/** Where a test app's SQLite file would be -> the PostgreSQL database it uses instead. */
const postgresUrls = new Map<string, string>();

function adminUrl(): string {
  const url = process.env.SMS_TEST_POSTGRES_URL;
  if (!url) throw new Error('SMS_TEST_DATABASE=postgres needs SMS_TEST_POSTGRES_URL');
  return url;
}

/** Runs `sql` (one or more statements, no parameters) on a session of its own at `url`. */
async function onOwnSession(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new empty database on the test server; its URL. */
export async function createPostgresDatabase(): Promise<string> {
  const name = `sms_test_${randomBytes(6).toString('hex')}`;
  await onOwnSession(adminUrl(), `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropPostgresDatabase(url: string): Promise<void> {
  await onOwnSession(
    adminUrl(),
    `DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`,
  );
}

/**
 * The PostgreSQL database of the app at `path` stops taking connections and loses those it
 * has, as when its server goes away: every handle the bridge holds fails from then on.
 */
export async function refuseConnections(path: string): Promise<void> {
  const name = new URL(postgresUrlAt(path)!).pathname.slice(1);
  await onOwnSession(
    adminUrl(),
    `ALTER DATABASE ${name} ALLOW_CONNECTIONS false;
     SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`,
  );
}

/** Test helpers that read "the database file at `path`" read this PostgreSQL database. */
export function storeAt(path: string, url: string): void {
  postgresUrls.set(path, url);
}

export function postgresUrlAt(path: string): string | undefined {
  return postgresUrls.get(path);
}

/**
 * The migrated store a bridge with SMS_DATABASE_PATH=`path` would open, in the suite's mode,
 * with default settings. A second call for the same `path` opens another store on the same
 * database, as a second bridge would (on SQLite, a connection of its own to the file).
 */
export async function openTestStore(path: string): Promise<Store> {
  let store: Store;
  if (ON_POSTGRES) {
    const url = postgresUrlAt(path) ?? (await createPostgresDatabase());
    storeAt(path, url);
    store = postgresStore(url, databaseTimeouts(new EnvSchema()), () => {});
  } else {
    store = sqliteStore(new SqliteFile(path).db);
  }
  return migrated(store);
}

/** Closes a store from openTestStore and throws its PostgreSQL database away. */
export async function closeTestStore(path: string, store: Store): Promise<void> {
  await store.destroy();
  await dropStoreFor(path);
}

/**
 * The variables that give a bridge process with SMS_DATABASE_PATH=`path` a fresh store of
 * the suite's mode: none on SQLite (the file), SMS_DATABASE_URL on PostgreSQL.
 */
export async function storeEnvFor(path: string): Promise<Record<string, string>> {
  if (!ON_POSTGRES) return {};
  const url = await createPostgresDatabase();
  storeAt(path, url);
  return { SMS_DATABASE_URL: url };
}

/** Throws away the PostgreSQL database of storeEnvFor or openTestStore, if there is one. */
export async function dropStoreFor(path: string): Promise<void> {
  const url = postgresUrlAt(path);
  postgresUrls.delete(path);
  if (url) await dropPostgresDatabase(url);
}

/**
 * `it` for a test of what only SQLite has (its file and its modes, its online backup, its
 * disk filling up); on PostgreSQL the test is skipped, and the reason printed.
 */
export function itOnSqlite(reason: string): jest.It {
  if (!ON_POSTGRES) return it;
  console.info(`Skipped on PostgreSQL: ${reason}`);
  return it.skip;
}
