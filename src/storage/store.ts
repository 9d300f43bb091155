import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteAdapter, SqliteDialect, SqliteDriver } from 'kysely';
import type {
  DatabaseConnection,
  Driver,
  PostgresPool,
  PostgresPoolClient,
  SqliteDatabase,
} from 'kysely';
import { DatabaseError, Pool, types } from 'pg';
import type { PoolClient, QueryResult } from 'pg';
import type { DatabaseTimeouts } from '../config/app-config';
import { PostgresError } from './postgres-error';
import type { Tables } from './tables';

/**
 * The bridge's store as the typed query builder: asynchronous on both dialects. A rule that
 * writes more than once takes a transaction (`store.transaction().execute(...)`) and passes
 * it, a `Store` too, to each repository it touches.
 */
export type Store = Kysely<Tables>;

/**
 * Holds `name` until `trx` ends, so that one rule (a caller's throttle, a number's contact)
 * runs one at a time across every bridge, while other names go on: PostgreSQL's
 * transaction-scoped advisory lock on the name's hash. On SQLite the transaction already is
 * the only writer.
 */
export async function lockName(trx: Store, name: string): Promise<void> {
  if (isSqlite(trx)) return;
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${name}, 0))`.execute(trx);
}

/** True on the embedded store, where one connection is the only writer. */
export function isSqlite(db: Store): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/**
 * Runs `work` in a savepoint of `trx`: if it fails, what it wrote is undone and the error
 * thrown, and the transaction can go on (PostgreSQL refuses every statement of a
 * transaction after a failed one, unless it rolls back to a savepoint).
 */
export async function savepoint<T>(trx: Store, work: () => Promise<T>): Promise<T> {
  await sql`SAVEPOINT part`.execute(trx);
  try {
    const result = await work();
    await sql`RELEASE SAVEPOINT part`.execute(trx);
    return result;
  } catch (error) {
    // Released too, so that a caller's own savepoint of the same name is the one named next.
    // A rollback that fails (SQLite ended the whole transaction on a full disk) hides nothing:
    // the first error is the one thrown.
    await sql`ROLLBACK TO SAVEPOINT part`
      .execute(trx)
      .then(() => sql`RELEASE SAVEPOINT part`.execute(trx))
      .catch(() => undefined);
    throw error;
  }
}

/** How many connections one bridge holds to PostgreSQL at most. */
const POOL_SIZE = 10;
/** The client gives up on a statement this long after the server's own statement_timeout. */
const CLIENT_GRACE_MS = 1000;
const BIGINT_OID = 20;

/** On SqliteFile's one connection: Kysely's mutex makes it SQLite's single writer. */
export function sqliteStore(connection: BetterSqlite3.Database): Store {
  return new Kysely<Tables>({ dialect: new SqliteStoreDialect(connection) });
}

/**
 * Kysely's SQLite dialect, with two changes. SQLite ends a transaction by itself on some
 * errors (a full disk, an I/O error): a rollback after that fails ("no transaction is
 * active") and would hide the error that says why, which the caller answers 503 for; there
 * is nothing left to roll back then. And each statement is prepared once, as the bridge did
 * before the builder, not on every run (the webhook path's CPU, docs/BENCHMARKS.md).
 */
class SqliteStoreDialect extends SqliteDialect {
  constructor(private readonly connection: BetterSqlite3.Database) {
    super({ database: connection });
  }

  override createDriver(): Driver {
    const connection = this.connection;
    return new (class extends SqliteDriver {
      override async rollbackTransaction(held: DatabaseConnection): Promise<void> {
        if (connection.inTransaction) await super.rollbackTransaction(held);
      }
    })({ database: preparedOnce(connection) });
  }
}

/**
 * Statements the builder writes differ by their SQL only in shape (values are parameters),
 * so a few hundred cover every query; past that the cache starts over rather than grow.
 */
const MAX_PREPARED = 500;

function preparedOnce(connection: BetterSqlite3.Database): SqliteDatabase {
  const prepared = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => connection.close(),
    prepare(text: string) {
      let statement = prepared.get(text);
      if (!statement) {
        if (prepared.size >= MAX_PREPARED) prepared.clear();
        statement = connection.prepare(text);
        prepared.set(text, statement);
      }
      return statement;
    },
  };
}

export function postgresStore(
  url: string,
  timeouts: DatabaseTimeouts,
  onIdleError: (error: Error) => void,
): Store {
  const pool = new Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    lock_timeout: timeouts.lockMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    // A network that stops passing bytes sends no reset: only the client's own clock ends the wait.
    query_timeout: timeouts.statementMs + CLIENT_GRACE_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: timeouts.keepAliveMs,
    // count(*) and BIGSERIAL keys are int8 on the wire; they fit a number long before they overflow it.
    types: { getTypeParser: typeParser as typeof types.getTypeParser },
  });
  // A connection that dies while idle in the pool must not take the process with it; nor
  // one that dies checked out between two queries (a transaction's): its next query fails,
  // and NamedErrorClient has it closed, not reused.
  pool.on('error', onIdleError);
  pool.on('connect', (client) => client.on('error', onIdleError));
  return new Kysely<Tables>({ dialect: new PostgresDialect({ pool: new NamedErrorPool(pool) }) });
}

function typeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  return oid === BIGINT_OID
    ? Number
    : (types.getTypeParser(oid, format) as (value: string) => unknown);
}

/**
 * The pool, with every failure a PostgresError carrying a SQLSTATE: the server's own, or
 * 08006 (connection failure) for what the network or a client timeout did, so that
 * isStorageUnavailable answers 503 for both.
 */
class NamedErrorPool implements PostgresPool {
  constructor(private readonly pool: Pool) {}

  async connect(): Promise<PostgresPoolClient> {
    const client = await this.pool.connect().catch((error: unknown) => {
      // Whatever the server said (no such database, not accepting connections, a bad
      // password), no connection is no store: 08001, "unable to establish".
      throw new PostgresError(asPostgresError(error).message, '08001');
    });
    // Kysely asks for a cursor only to stream, which the bridge never does.
    return new NamedErrorClient(client) as unknown as PostgresPoolClient;
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

class NamedErrorClient {
  /** A client whose connection failed goes back to the pool to be closed, not reused. */
  private broken = false;

  constructor(private readonly client: PoolClient) {}

  query(sql: string, parameters: ReadonlyArray<unknown>): Promise<QueryResult> {
    return this.client.query(sql, [...parameters]).catch((error: unknown) => {
      const failure = asPostgresError(error);
      if (failure.code.startsWith('08')) this.broken = true;
      throw failure;
    });
  }

  release(destroy?: boolean): void {
    this.client.release(destroy || this.broken);
  }
}

function asPostgresError(error: unknown): PostgresError {
  if (error instanceof DatabaseError)
    return new PostgresError(error.message, error.code ?? 'XX000');
  return new PostgresError(error instanceof Error ? error.message : String(error), '08006');
}
