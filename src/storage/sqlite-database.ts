import { closeSync, existsSync, mkdirSync, openSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Database, sqlFor, Sql } from './database';
import { migrationsFor } from './migration-files';

/** Below this much free disk a commit may fail; /health says so before Twilio's texts bounce. */
const MIN_FREE_BYTES = 1024 * 1024;

/**
 * The bridge's SQLite file. WAL lets the inbox read while a webhook writes;
 * synchronous=FULL makes a commit durable before we answer Twilio 200, since
 * Twilio does not retry a message we acknowledged.
 */
export class SqliteDatabase extends Database {
  readonly dialect = 'sqlite';
  /** The one connection: the typed store (./store.ts) shares it, so SQLite keeps one writer. */
  readonly db: BetterSqlite3.Database;
  private readonly probe: BetterSqlite3.Statement<[string]>;

  constructor(readonly path: string) {
    super();
    // Messages and phone numbers are for the service user alone, whatever the umask: SQLite
    // creates the file 0644 less the umask, and gives its -wal and -shm the file's mode.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
    this.db = new BetterSqlite3(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    this.probe = this.db.prepare(
      `INSERT INTO readiness_probe (id, checked_at) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`,
    );
  }

  /** better-sqlite3's own statement: nothing stands between a call and SQLite. */
  prepare<P extends unknown[] | object = unknown[], R = unknown>(
    sql: Sql,
  ): BetterSqlite3.Statement<P, R> {
    return this.db.prepare<P, R>(sqlFor(sql, 'sqlite'));
  }

  /** Nested calls become savepoints; `.immediate()` takes the write lock up front. */
  transaction<A extends unknown[], T>(
    fn: (...args: A) => T,
  ): BetterSqlite3.Transaction<(...args: A) => T> {
    return this.db.transaction(fn);
  }

  check(): void {
    this.db.prepare('SELECT count(*) FROM schema_migrations').get();
    this.db.exec('BEGIN IMMEDIATE; ROLLBACK;');
    // Taking the write lock writes nothing, so a full disk would pass unseen.
    const disk = statfsSync(dirname(this.path));
    if (disk.bavail * disk.bsize < MIN_FREE_BYTES) {
      throw new Error("less than 1 MiB free on the database's disk");
    }
  }

  /**
   * Proves a commit reaches the disk now (not locked, not read-only, not full) by rewriting
   * one row. The lock wait is short so that a probe never stalls the bridge for long.
   */
  checkWritable(lockWaitMs = 500): void {
    const previous = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma(`busy_timeout = ${lockWaitMs}`);
    try {
      this.probe.run(new Date().toISOString());
    } finally {
      this.db.pragma(`busy_timeout = ${previous}`);
    }
  }

  /** A consistent copy of the live database, through SQLite's online backup API. */
  async backup(destination: string): Promise<void> {
    await this.db.backup(destination);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private migrate(): void {
    this.db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const applied = new Set(
      this.db
        .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
        .all()
        .map((row) => row.version),
    );
    const record = this.db.prepare(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
    );
    for (const migration of migrationsFor('sqlite')) {
      if (applied.has(migration.version)) continue;
      this.db.transaction(() => {
        this.db.exec(migration.sql);
        record.run(migration.version, migration.name, new Date().toISOString());
      })();
    }
  }
}
