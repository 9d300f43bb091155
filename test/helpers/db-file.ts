import BetterSqlite3 from 'better-sqlite3';
import { Database } from '../../src/storage/database';
import {
  closeClient,
  openClient,
  PostgresDatabase,
  WRITE_LOCK,
} from '../../src/storage/postgres-database';
import { SqliteDatabase } from '../../src/storage/sqlite-database';
import { postgresUrlAt } from './test-database';

/**
 * Reads the bridge's database through a connection of its own, as an operator with sqlite3
 * (or psql) would: what it sees was committed, not just held by the app. `path` is the
 * app's SMS_DATABASE_PATH; on PostgreSQL, the database the test app was given for it.
 */
export function queryDb<T>(path: string, sql: string, ...params: unknown[]): T[] {
  const url = postgresUrlAt(path);
  if (url) {
    const db = new PostgresDatabase(url);
    try {
      return db.prepare<unknown[], T>(sql).all(...params);
    } finally {
      db.close();
    }
  }
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare<unknown[], T>(sql).all(...params);
  } finally {
    db.close();
  }
}

export function countRows(
  path: string,
  table: string,
  where = 'TRUE',
  ...params: unknown[]
): number {
  return queryDb<{ n: number }>(
    path,
    `SELECT count(*) AS n FROM ${table} WHERE ${where}`,
    ...params,
  )[0].n;
}

/**
 * A read-write connection of its own to the bridge's store (the app's SMS_DATABASE_PATH), as
 * an operator's sqlite3 or psql: for a test that plants rows or tries what the bridge refuses.
 */
export function openDb(path: string): Database {
  const url = postgresUrlAt(path);
  return url ? new PostgresDatabase(url) : new SqliteDatabase(path);
}

/**
 * Takes the store's write lock from a connection of its own, as a stuck writer; returns its
 * release. On PostgreSQL: the synchronous port's advisory lock, and the readiness probe's
 * table for the typed store, which takes no global lock.
 */
export function holdWriteLock(path: string): () => void {
  const url = postgresUrlAt(path);
  if (url) {
    const client = openClient(url);
    client.querySync(
      `BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK}); LOCK TABLE readiness_probe IN EXCLUSIVE MODE`,
    );
    return () => {
      client.querySync('ROLLBACK');
      closeClient(client);
    };
  }
  const db = new BetterSqlite3(path);
  db.exec('BEGIN IMMEDIATE');
  return () => {
    db.exec('ROLLBACK');
    db.close();
  };
}
