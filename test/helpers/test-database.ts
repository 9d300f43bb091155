import { randomBytes } from 'node:crypto';
import { Database } from '../../src/storage/database';
import { closeClient, openClient, PostgresDatabase } from '../../src/storage/postgres-database';
import { SqliteDatabase } from '../../src/storage/sqlite-database';
import { postgresStore, sqliteStore, Store } from '../../src/storage/store';
import { databaseTimeouts } from '../../src/config/app-config';
import { EnvSchema } from '../../src/config/env.schema';

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

function asAdmin(sql: string): void {
  const client = openClient(adminUrl());
  try {
    client.querySync(sql);
  } finally {
    closeClient(client);
  }
}

/** A new empty database on the test server; its URL. */
export function createPostgresDatabase(): string {
  const name = `sms_test_${randomBytes(6).toString('hex')}`;
  asAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export function dropPostgresDatabase(url: string): void {
  asAdmin(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
}

/**
 * The PostgreSQL database of the app at `path` stops taking connections and loses those it
 * has, as when its server goes away: every handle the bridge holds fails from then on.
 */
export function refuseConnections(path: string): void {
  const name = new URL(postgresUrlAt(path)!).pathname.slice(1);
  asAdmin(
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

/** The store a bridge with SMS_DATABASE_PATH=`path` would open, in the suite's mode. */
export function openTestDatabase(path: string): Database {
  if (!ON_POSTGRES) return new SqliteDatabase(path);
  const url = postgresUrlAt(path) ?? createPostgresDatabase();
  storeAt(path, url);
  return new PostgresDatabase(url);
}

/** The typed store over a database from openTestDatabase, as a bridge with default settings opens it. */
export function openTestStore(path: string, database: Database): Store {
  if (database instanceof SqliteDatabase) return sqliteStore(database.db);
  return postgresStore(postgresUrlAt(path)!, databaseTimeouts(new EnvSchema()), () => {});
}

/** Closes a store from openTestDatabase and throws its PostgreSQL database away. */
export function closeTestDatabase(path: string, database: Database): void {
  database.close();
  dropStoreFor(path);
}

/**
 * The variables that give a bridge process with SMS_DATABASE_PATH=`path` a fresh store of
 * the suite's mode: none on SQLite (the file), SMS_DATABASE_URL on PostgreSQL.
 */
export function storeEnvFor(path: string): Record<string, string> {
  if (!ON_POSTGRES) return {};
  const url = createPostgresDatabase();
  storeAt(path, url);
  return { SMS_DATABASE_URL: url };
}

/** Throws away the PostgreSQL database of storeEnvFor or openTestDatabase, if there is one. */
export function dropStoreFor(path: string): void {
  const url = postgresUrlAt(path);
  if (url) dropPostgresDatabase(url);
  postgresUrls.delete(path);
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
