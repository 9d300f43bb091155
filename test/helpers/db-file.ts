import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import { Client } from 'pg';
import { databaseTimeouts } from '../../src/config/app-config';
import { EnvSchema } from '../../src/config/env.schema';
import { postgresStore } from '../../src/storage/store';
import { postgresUrlAt } from './test-database';

/**
 * A connection of its own to the bridge's store (the app's SMS_DATABASE_PATH), as an
 * operator's sqlite3 or psql: what it reads was committed, not just held by the app.
 * Statements are written for SQLite, with `?` parameters; on PostgreSQL each `?` becomes
 * the next `$n`.
 */
export interface DbSession {
  /** The rows the statement returns. */
  all<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** Runs a statement that returns no rows; how many rows it changed. */
  run(sql: string, ...params: unknown[]): Promise<number>;
  close(): Promise<void>;
}

/** `?` -> `$1`, `$2`...; quoted text and identifiers are copied as they are. */
function numberedParameters(sql: string): string {
  let text = '';
  let positional = 0;
  let quote: string | undefined;
  for (const char of sql) {
    if (quote) {
      // A doubled quote ('' or "") closes and reopens: the state comes out right either way.
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '?') {
      text += `$${++positional}`;
      continue;
    }
    text += char;
  }
  return text;
}

/** On a store of its own, which reads values (int8 counts and keys) as the bridge does. */
function postgresSession(url: string): DbSession {
  const store = postgresStore(url, databaseTimeouts(new EnvSchema()), () => {});
  const query = (sql: string, params: unknown[]) =>
    store.executeQuery(CompiledQuery.raw(numberedParameters(sql), params));
  return {
    all: async <T>(sql: string, ...params: unknown[]) => (await query(sql, params)).rows as T[],
    run: async (sql, ...params) => Number((await query(sql, params)).numAffectedRows ?? 0),
    close: () => store.destroy(),
  };
}

/**
 * better-sqlite3's errors come from the first copy of the module a Jest worker loaded, in
 * another test file's realm: not Errors to this one's `expect(...).rejects.toThrow`.
 */
function inThisRealm<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    const { message, code } = error as { message: string; code?: string };
    throw Object.assign(new Error(message), { code });
  }
}

function sqliteSession(path: string, readonly: boolean): DbSession {
  const db = new BetterSqlite3(path, { readonly, fileMustExist: true });
  // As the bridge's own connection: a planted row keeps to the foreign keys it keeps to.
  db.pragma('foreign_keys = ON');
  return {
    all: async <T>(sql: string, ...params: unknown[]) =>
      inThisRealm(() => db.prepare<unknown[], T>(sql).all(...params)),
    run: async (sql, ...params) => inThisRealm(() => db.prepare(sql).run(...params).changes),
    close: async () => {
      db.close();
    },
  };
}

/**
 * A read-write session on the bridge's store, for a test that plants rows or tries what the
 * bridge refuses. Close it when done.
 */
export function openDb(path: string): DbSession {
  const url = postgresUrlAt(path);
  return url ? postgresSession(url) : sqliteSession(path, false);
}

/** Reads the bridge's store through a session of its own (see DbSession). */
export async function queryDb<T>(path: string, sql: string, ...params: unknown[]): Promise<T[]> {
  const url = postgresUrlAt(path);
  const db = url ? postgresSession(url) : sqliteSession(path, true);
  try {
    return await db.all<T>(sql, ...params);
  } finally {
    await db.close();
  }
}

export async function countRows(
  path: string,
  table: string,
  where = 'TRUE',
  ...params: unknown[]
): Promise<number> {
  const [{ n }] = await queryDb<{ n: number }>(
    path,
    `SELECT count(*) AS n FROM ${table} WHERE ${where}`,
    ...params,
  );
  return n;
}

/**
 * Runs `sql` in a transaction on a PostgreSQL session of its own and keeps the transaction
 * open, with every lock it took, until the returned release: another bridge mid-write.
 */
export async function holdOnPostgres(path: string, sql: string): Promise<() => Promise<void>> {
  const client = new Client({ connectionString: postgresUrlAt(path)! });
  // A test that ends without the release drops the database under it: that is no failure.
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`BEGIN; ${sql}`);
  } catch (error) {
    await client.end();
    throw error;
  }
  return async () => {
    await client.query('ROLLBACK');
    await client.end();
  };
}

/**
 * Takes the store's write lock from a session of its own, as a stuck writer; returns its
 * release. PostgreSQL has no lock on the whole database: there it locks the table the
 * readiness probe writes.
 */
export async function holdWriteLock(path: string): Promise<() => Promise<void>> {
  if (postgresUrlAt(path)) {
    return holdOnPostgres(path, 'LOCK TABLE readiness_probe IN EXCLUSIVE MODE');
  }
  const db = new BetterSqlite3(path);
  db.exec('BEGIN IMMEDIATE');
  return async () => {
    db.exec('ROLLBACK');
    db.close();
  };
}
