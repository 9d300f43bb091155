export type Dialect = 'sqlite' | 'postgres';

/** One SQL text for both dialects, or one per dialect where they cannot agree. */
export type Sql = string | Record<Dialect, string>;

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface BoundStatement<A extends unknown[], R> {
  run(...params: A): RunResult;
  get(...params: A): R | undefined;
  all(...params: A): R[];
}

/**
 * A prepared statement, as better-sqlite3 shapes it: `?` binds positional values, `@name` the
 * keys of one object. The SQLite adapter hands out better-sqlite3's own statements, unwrapped.
 */
export type Statement<P extends unknown[] | object = unknown[], R = unknown> = P extends unknown[]
  ? BoundStatement<P, R>
  : BoundStatement<[P], R>;

/** Calling it runs `fn` in a transaction; nested calls become savepoints. */
export interface Transaction<A extends unknown[], T> {
  (...args: A): T;
  /** Takes the write lock up front, so the reads in `fn` see no concurrent writer. */
  immediate(...args: A): T;
}

/**
 * The bridge's store, synchronous on purpose: a rule (a daily limit, an idempotency key) is
 * checked and recorded in one transaction that no await can split. SQLite (the embedded
 * default, ./sqlite-database.ts) or PostgreSQL (several bridges, ./postgres-database.ts),
 * chosen at boot by SMS_DATABASE_URL.
 */
export abstract class Database {
  abstract readonly dialect: Dialect;

  abstract prepare<P extends unknown[] | object = unknown[], R = unknown>(
    sql: Sql,
  ): Statement<P, R>;

  abstract transaction<A extends unknown[], T>(fn: (...args: A) => T): Transaction<A, T>;

  /** Proves the store is still readable and writable, without leaving anything behind. */
  abstract check(): void;

  /** A consistent copy of the live database in `destination` (SQLite only). */
  abstract backup(destination: string): Promise<void>;

  abstract close(): void;
}

export function sqlFor(sql: Sql, dialect: Dialect): string {
  return typeof sql === 'string' ? sql : sql[dialect];
}
