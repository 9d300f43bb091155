import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { AppConfig } from '../config/app-config';
import { ForwarderService } from '../forward/forwarder.service';
import { MetricsService } from '../metrics/metrics.service';
import { SqliteFile } from '../storage/sqlite-file';
import type { Store } from '../storage/store';
import { TwilioAccountCheck, TwilioAccountStatus } from '../twilio/twilio-account.check';
import { WebhookUrlCheck, WebhookUrlStatus } from '../twilio/webhook-url.check';
import { DatabaseLiveness } from './database-liveness';

export interface CheckResult {
  ok: boolean;
  problem?: string;
}

export interface Readiness {
  status: 'ready' | 'not_ready';
  mode: AppConfig['mode'];
  checks: {
    database: CheckResult;
    disk: CheckResult & { freeMb: number | null; minFreeMb: number };
    twilio: TwilioAccountStatus;
    /** Only when the URL Twilio signs is learned from Twilio (production, no SMS_PUBLIC_BASE_URL). */
    webhook?: WebhookUrlStatus;
    /** Only when inbound texts are pushed (SMS_FORWARD_URL). */
    forward?: CheckResult & { failingSince?: string };
  };
}

const MB = 1024 * 1024;
/** A probe's commit waits no longer than this for a row lock, so readiness never hangs on one. */
const PROBE_LOCK_WAIT_MS = 500;

/** Whether the bridge can do its work now: store what it is given, and reach Twilio. */
@Injectable()
export class ReadinessService {
  private readonly dataDir: string;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Kysely) private readonly store: Store,
    /** Null on PostgreSQL. */
    @Inject(SqliteFile) private readonly file: SqliteFile | null,
    @Inject(DatabaseLiveness) private readonly liveness: DatabaseLiveness,
    @Inject(TwilioAccountCheck) private readonly twilio: TwilioAccountCheck,
    @Inject(WebhookUrlCheck) private readonly webhookUrl: WebhookUrlCheck,
    @Inject(ForwarderService) private readonly forwards: ForwarderService,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.dataDir = dirname(config.databasePath);
    metrics.gauge(
      'sms_bridge_free_disk_bytes',
      'Free space on the file system that holds the database.',
      () => this.freeBytes() ?? -1,
    );
  }

  async check(): Promise<Readiness> {
    const database = await this.checkDatabase();
    const disk = this.checkDisk();
    const twilio = await this.twilio.status();
    const webhook = await this.webhookUrl.status();
    const forward = await this.checkForward();
    const ok =
      database.ok && disk.ok && twilio.ok && (webhook?.ok ?? true) && (forward?.ok ?? true);
    return {
      status: ok ? 'ready' : 'not_ready',
      mode: this.config.mode,
      checks: {
        database,
        disk,
        twilio,
        ...(webhook ? { webhook } : {}),
        ...(forward ? { forward } : {}),
      },
    };
  }

  /** The agent hears no new text while its hook refuses the bridge's settings. */
  private async checkForward(): Promise<Readiness['checks']['forward']> {
    if (!this.config.forward) return undefined;
    const halt = await this.forwards.halt();
    if (!halt) return { ok: true };
    return {
      ok: false,
      failingSince: halt.since,
      problem: `Inbound texts are not pushed to the agent: ${halt.reason}. They wait in the inbox; after the fix, restart the bridge or run sms-bridge forward retry.`,
    };
  }

  private async checkDatabase(): Promise<CheckResult> {
    // PostgreSQL is across a network: whether it answers at all comes first, within the
    // liveness bound. SQLite's file answers the commit probe itself, within its short lock wait.
    if (!this.file) {
      const answering = await this.liveness.check();
      if (!answering.ok) {
        return {
          ok: false,
          problem: `The database is unreachable or slow: ${answering.problem}. Check the PostgreSQL server and the network to it.`,
        };
      }
    }
    try {
      await this.commitProbe();
      return { ok: true };
    } catch (error) {
      return {
        ok: false,
        problem: `The database cannot be written: ${(error as Error).message}. Check ${this.config.databasePath}, its directory and the disk.`,
      };
    }
  }

  /**
   * Proves a commit goes through now (not locked, not read-only, not full) by rewriting one
   * row, waiting for a lock no longer than PROBE_LOCK_WAIT_MS.
   */
  private async commitProbe(): Promise<void> {
    if (!this.file) {
      await this.store.transaction().execute(async (trx) => {
        await sql`SET LOCAL lock_timeout = ${sql.lit(PROBE_LOCK_WAIT_MS)}`.execute(trx);
        await rewriteProbe(trx);
      });
      return;
    }
    // SQLite's lock wait (busy_timeout) belongs to the connection, not to a transaction:
    // shortened for this write alone, on the one connection, held until it is set back.
    await this.store.connection().execute(async (connection) => {
      await sql`PRAGMA busy_timeout = ${sql.lit(PROBE_LOCK_WAIT_MS)}`.execute(connection);
      try {
        await rewriteProbe(connection);
      } finally {
        await sql`PRAGMA busy_timeout = ${sql.lit(SqliteFile.BUSY_TIMEOUT_MS)}`.execute(connection);
      }
    });
  }

  private checkDisk(): Readiness['checks']['disk'] {
    const minFreeMb = this.config.minFreeDiskMb;
    const free = this.freeBytes();
    if (free === null) {
      return {
        ok: false,
        freeMb: null,
        minFreeMb,
        problem: `Cannot read free space in ${this.dataDir}.`,
      };
    }
    const freeMb = Math.floor(free / MB);
    if (freeMb < minFreeMb) {
      return {
        ok: false,
        freeMb,
        minFreeMb,
        problem: `Only ${freeMb} MB free in ${this.dataDir}, below SMS_MIN_FREE_DISK_MB=${minFreeMb}. Free some space.`,
      };
    }
    return { ok: true, freeMb, minFreeMb };
  }

  private freeBytes(): number | null {
    try {
      const stats = statfsSync(this.dataDir);
      return stats.bavail * stats.bsize;
    } catch {
      return null;
    }
  }
}

function rewriteProbe(db: Store): Promise<unknown> {
  return db
    .insertInto('readiness_probe')
    .values({ id: 1, checked_at: new Date().toISOString() })
    .onConflict((conflict) =>
      conflict.column('id').doUpdateSet((eb) => ({ checked_at: eb.ref('excluded.checked_at') })),
    )
    .execute();
}
