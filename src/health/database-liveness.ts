import { Inject, Injectable } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { SqliteFile } from '../storage/sqlite-file';
import type { Store } from '../storage/store';

/**
 * /health waits at most this long after a check was sent, so that it answers in under
 * 100 ms: the rest is for HTTP and a loaded machine's scheduling (80 ms left too little on
 * two busy cores). A loopback or LAN round trip takes a few milliseconds.
 */
const LIVENESS_WAIT_MS = 50;
/**
 * A check unanswered for less than this is a slow round trip (a connection being opened, a
 * loaded server), and the last answer stands; longer, the database does not answer.
 */
const SILENT_AFTER_MS = 1000;

export interface DatabaseState {
  ok: boolean;
  /** Why not, and since when (ISO time of the first failed or unanswered check in a row). */
  problem?: string;
}

/**
 * Whether the database answers, for /health: at most one check in flight, and an answer
 * within LIVENESS_WAIT_MS of its sending whatever the database does. A check still waiting then gives the
 * last answer, until it has waited SILENT_AFTER_MS: from then on the database does not
 * answer, since the moment that check was sent.
 */
@Injectable()
export class DatabaseLiveness {
  private inFlight: { done: Promise<DatabaseState>; sentAt: Date } | null = null;
  /** When the checks started failing; null while they pass. */
  private failingSince: Date | null = null;
  /** The bridge booted on a migrated store: it answered. */
  private last: DatabaseState = { ok: true };

  constructor(
    @Inject(Kysely) private readonly store: Store,
    /** Null on PostgreSQL. */
    @Inject(SqliteFile) private readonly file: SqliteFile | null,
  ) {}

  async check(): Promise<DatabaseState> {
    const check = (this.inFlight ??= this.send());
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<DatabaseState>((resolve) => {
      // A check another request sent is waited on only for what is left of its wait: while
      // the database hangs, every /health would otherwise pay the whole wait again.
      const left = LIVENESS_WAIT_MS - (Date.now() - check.sentAt.getTime());
      timer = setTimeout(() => resolve(this.meanwhile(check.sentAt)), Math.max(0, left));
    });
    try {
      return await Promise.race([check.done, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private send(): { done: Promise<DatabaseState>; sentAt: Date } {
    const sentAt = new Date();
    const done = this.ask()
      .then((): DatabaseState => {
        this.failingSince = null;
        return { ok: true };
      })
      .catch((error: unknown): DatabaseState => {
        this.failingSince ??= sentAt;
        const reason = error instanceof Error ? error.message : String(error);
        return { ok: false, problem: `${reason} (since ${this.failingSince.toISOString()})` };
      })
      .then((state) => (this.last = state))
      .finally(() => (this.inFlight = null));
    return { done, sentAt };
  }

  /**
   * PostgreSQL's check is a round trip. SQLite's is local (its file, its lock, its disk): the
   * write lock taken and given back on the store's one connection, held meanwhile so that no
   * other query runs inside that empty transaction.
   */
  private async ask(): Promise<void> {
    await sql`SELECT count(*) FROM schema_migrations`.execute(this.store);
    const file = this.file;
    if (!file) return;
    await this.store.connection().execute(async (connection) => {
      await sql`BEGIN IMMEDIATE`.execute(connection);
      await sql`ROLLBACK`.execute(connection);
    });
    // Taking the write lock writes nothing, so a full disk would pass unseen.
    file.checkDisk();
  }

  private meanwhile(sentAt: Date): DatabaseState {
    if (Date.now() - sentAt.getTime() < SILENT_AFTER_MS) return this.last;
    const since = this.failingSince ?? sentAt;
    return {
      ok: false,
      problem: `no answer for ${Date.now() - sentAt.getTime()} ms (since ${since.toISOString()})`,
    };
  }
}
