import type Client from 'pg-native';
import {
  BoundStatement,
  Database,
  RunResult,
  Sql,
  sqlFor,
  Statement,
  Transaction,
} from './database';
import { migrationsFor } from './migration-files';
import { PostgresStatementText, toPostgres } from './postgres-sql';
import { ConfigError } from '../config/config.error';
import { PostgresError } from './postgres-error';

/**
 * The advisory lock every write transaction takes first. It makes PostgreSQL behave as
 * SQLite's single writer does, across every bridge on the database: a daily limit counted
 * and a slot taken, an idempotency key looked up and claimed, a queued push leased, each in
 * one transaction that no other bridge interleaves with.
 */
export const WRITE_LOCK = 7_303_001;
/** Held while migrating, so that bridges starting together apply each migration once. */
const MIGRATION_LOCK = 7_303_002;

/** How long a statement waits for a lock before it fails (SQLite's busy_timeout). */
const LOCK_TIMEOUT_MS = 5000;
const CONNECT_TIMEOUT_S = 5;

/** libpq's PQTRANS_UNKNOWN: the connection is gone. */
const CONNECTION_BAD = 4;

/** Integers come back as numbers (count(*) and serial keys are bigint on the wire), the rest as text. */
const INTEGER_TYPES = new Set([20, 21, 23]);
const TYPES = {
  getTypeParser: (oid: number) => (INTEGER_TYPES.has(oid) ? Number : (value: string) => value),
};

/**
 * Clients whose socket libuv is still closing. libpq's addon closes its poll handle without a
 * callback and lets go of the object at once: if the garbage collector freed it before the
 * loop finished the close, node aborts (uv__finish_close). Held until the next loop turn.
 */
const closing = new Set<Client>();
const CLOSE_HOLD_MS = 1000;

/**
 * pg-native is an optional dependency: its libpq addon builds only where libpq-dev is
 * installed, and a bridge on SQLite must install and run without it.
 */
function loadClient(): typeof Client {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for PostgreSQL
    return require('pg-native') as typeof Client;
  } catch {
    throw new ConfigError([
      'SMS_DATABASE_URL: PostgreSQL needs the optional package pg-native, which did not install: install libpq-dev (Debian) and run npm ci again',
    ]);
  }
}

export function openClient(url: string): Client {
  const PgClient = loadClient();
  const client = new PgClient({ types: TYPES });
  try {
    client.connectSync(url);
  } catch (error) {
    closeClient(client);
    throw new PostgresError(`PostgreSQL is unreachable: ${(error as Error).message}`, '08001');
  }
  return client;
}

export function closeClient(client: Client): void {
  try {
    client.end();
  } catch {
    // Already closed.
  }
  closing.add(client);
  // The close completes at the end of this loop turn; a second of margin costs nothing and
  // survives a loop turn that runs long (a test runner tearing down a file, a slow query).
  setTimeout(() => closing.delete(client), CLOSE_HOLD_MS).unref();
}

/**
 * The bridge's store on a PostgreSQL server shared by several bridges (SMS_DATABASE_URL),
 * behind the same synchronous interface as SQLite, through libpq's blocking calls (pg-native).
 * The price: each statement holds the event loop for a round trip to the server, which is
 * why SQLite stays the default for one bridge.
 */
export class PostgresDatabase extends Database {
  readonly dialect = 'postgres';
  private client: Client | null = null;
  /** Bumped at each connection: server-side prepared statements die with theirs. */
  private generation = 0;
  private depth = 0;
  /** The connection dropped inside a transaction: nothing more runs until it unwinds. */
  private lostInTransaction = false;
  private statements = 0;
  private closed = false;
  private readonly url: string;

  constructor(url: string) {
    super();
    const parsed = new URL(url);
    if (!parsed.searchParams.has('connect_timeout')) {
      parsed.searchParams.set('connect_timeout', String(CONNECT_TIMEOUT_S));
    }
    this.url = parsed.toString();
    this.migrate();
  }

  prepare<P extends unknown[] | object = unknown[], R = unknown>(sql: Sql): Statement<P, R> {
    // Binds whatever better-sqlite3 would (checked at run time): the caller's P still types the call.
    const statement = new PostgresStatement<R>(
      this,
      toPostgres(sqlFor(sql, 'postgres')),
      this.statements++,
    );
    return statement as unknown as Statement<P, R>;
  }

  transaction<A extends unknown[], T>(fn: (...args: A) => T): Transaction<A, T> {
    const run = (...args: A): T =>
      this.depth === 0 ? this.outermost(() => fn(...args)) : this.savepoint(() => fn(...args));
    return Object.assign(run, { immediate: run });
  }

  check(): void {
    this.query('SELECT count(*) FROM schema_migrations');
  }

  backup(): Promise<void> {
    return Promise.reject(new Error('PostgreSQL is backed up with pg_dump, not by the bridge'));
  }

  close(): void {
    this.closed = true;
    if (this.client) closeClient(this.client);
    this.client = null;
  }

  /** Runs a prepared statement, preparing it on this connection first if it is new. */
  execute(
    statement: { name: string; sql: PostgresStatementText; generation: number },
    values: (string | null)[],
  ): { rows: Record<string, unknown>[]; changes: number } {
    return this.withConnection((client) => {
      if (statement.generation !== this.generation) {
        client.prepareSync(statement.name, statement.sql.text, statement.sql.count);
        statement.generation = this.generation;
      }
      const rows = client.executeSync(statement.name, values);
      return { rows, changes: Number(client.pq.cmdTuples()) || 0 };
    });
  }

  private query(text: string, values?: (string | null)[]): Record<string, unknown>[] {
    return this.withConnection((client) => client.querySync(text, values));
  }

  private outermost<T>(fn: () => T): T {
    this.query('BEGIN');
    this.depth = 1;
    try {
      this.query(`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`);
      const result = fn();
      this.query('COMMIT');
      return result;
    } catch (error) {
      this.quietly('ROLLBACK');
      throw error;
    } finally {
      this.depth = 0;
      this.lostInTransaction = false;
    }
  }

  private savepoint<T>(fn: () => T): T {
    const name = `nested_${this.depth}`;
    this.query(`SAVEPOINT ${name}`);
    this.depth++;
    try {
      const result = fn();
      this.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      this.quietly(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    } finally {
      this.depth--;
    }
  }

  /** A rollback after a failure: the failure is what the caller needs to hear about. */
  private quietly(text: string): void {
    if (this.lostInTransaction) return;
    try {
      this.query(text);
    } catch {
      // The connection that failed may be gone; the server rolls back what it held.
    }
  }

  private withConnection<T>(fn: (client: Client) => T): T {
    if (this.closed) throw new PostgresError('The database connection is not open', '08003');
    if (this.lostInTransaction) {
      throw new PostgresError('The connection to PostgreSQL was lost in a transaction', '08006');
    }
    const client = this.connect();
    try {
      return fn(client);
    } catch (error) {
      throw this.failure(client, error as Error);
    }
  }

  private connect(): Client {
    if (this.client) return this.client;
    const client = openClient(this.url);
    this.client = client;
    this.generation++;
    this.query(`SET lock_timeout = ${LOCK_TIMEOUT_MS}; SET client_min_messages = warning`);
    return client;
  }

  private failure(client: Client, error: Error): PostgresError {
    const message = error.message.trim();
    if (client.pq.transactionStatus() !== CONNECTION_BAD) {
      return new PostgresError(message, client.pq.resultErrorFields()?.sqlState ?? 'XX000');
    }
    // Dropped: the next statement connects afresh, unless a transaction was open on this one.
    const code = client.pq.resultErrorFields()?.sqlState ?? '08006';
    closeClient(client);
    this.client = null;
    if (this.depth > 0) this.lostInTransaction = true;
    return new PostgresError(message, code);
  }

  private migrate(): void {
    this.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      this.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
      )`);
      const applied = new Set(
        this.query('SELECT version FROM schema_migrations').map((row) => row.version),
      );
      for (const migration of migrationsFor('postgres')) {
        if (applied.has(migration.version)) continue;
        this.outermost(() => {
          this.query(migration.sql);
          this.query(
            'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
            [String(migration.version), migration.name, new Date().toISOString()],
          );
        });
      }
    } finally {
      this.quietly(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
  }
}

class PostgresStatement<R> implements BoundStatement<unknown[], R> {
  readonly name: string;
  generation = -1;

  constructor(
    private readonly database: PostgresDatabase,
    readonly sql: PostgresStatementText,
    id: number,
  ) {
    this.name = `statement_${id}`;
  }

  run(...params: unknown[]): RunResult {
    const { rows, changes } = this.database.execute(this, this.values(params));
    const key = this.sql.returning ? rows[0]?.[this.sql.returning] : undefined;
    return { changes, lastInsertRowid: typeof key === 'number' ? key : 0 };
  }

  get(...params: unknown[]): R | undefined {
    return this.database.execute(this, this.values(params)).rows[0] as R | undefined;
  }

  all(...params: unknown[]): R[] {
    return this.database.execute(this, this.values(params)).rows as R[];
  }

  /** Binds as better-sqlite3 does: one object for @names, else one value per `?`. */
  private values(params: unknown[]): (string | null)[] {
    if (this.sql.names.length > 0) {
      const named = (params[0] ?? {}) as Record<string, unknown>;
      return this.sql.names.map((name) => {
        if (!(name in named)) throw new RangeError(`Missing named parameter "${name}"`);
        return toText(named[name]);
      });
    }
    if (params.length !== this.sql.count) {
      throw new RangeError(`Expected ${this.sql.count} parameters, got ${params.length}`);
    }
    return params.map(toText);
  }
}

function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  throw new TypeError(`A ${typeof value} cannot be bound to a SQL parameter`);
}
