import { closeSync, existsSync, mkdirSync, openSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

/** Below this much free disk a commit may fail; /health says so before Twilio's texts bounce. */
const MIN_FREE_BYTES = 1024 * 1024;

/**
 * The bridge's SQLite file. WAL lets the inbox read while a webhook writes;
 * synchronous=FULL makes a commit durable before we answer Twilio 200, since
 * Twilio does not retry a message we acknowledged. Every query goes through the store
 * (./store.ts) on `db`: its one connection, behind Kysely's mutex, is SQLite's one writer.
 */
export class SqliteFile {
  /** How long a statement waits for another process's write lock (an operator's sqlite3 shell). */
  static readonly BUSY_TIMEOUT_MS = 5000;

  readonly db: BetterSqlite3.Database;

  constructor(readonly path: string) {
    // Messages and phone numbers are for the service user alone, whatever the umask: SQLite
    // creates the file 0644 less the umask, and gives its -wal and -shm the file's mode.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
    this.db = new BetterSqlite3(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma(`busy_timeout = ${SqliteFile.BUSY_TIMEOUT_MS}`);
  }

  /** Taking the write lock writes nothing, so a full disk would pass unseen: this says so. */
  checkDisk(): void {
    const disk = statfsSync(dirname(this.path));
    if (disk.bavail * disk.bsize < MIN_FREE_BYTES) {
      throw new Error("less than 1 MiB free on the database's disk");
    }
  }

  /** A consistent copy of the live database, through SQLite's online backup API. */
  async backup(destination: string): Promise<void> {
    await this.db.backup(destination);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
