import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ForwarderService } from '../forward/forwarder.service';
import { MetricsService } from '../metrics/metrics.service';
import { Database } from '../storage/database';
import { TwilioAccountCheck, TwilioAccountStatus } from '../twilio/twilio-account.check';
import { WebhookUrlCheck, WebhookUrlStatus } from '../twilio/webhook-url.check';

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

/** Whether the bridge can do its work now: store what it is given, and reach Twilio. */
@Injectable()
export class ReadinessService {
  private readonly dataDir: string;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Database) private readonly database: Database,
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
    const database = this.checkDatabase();
    const disk = this.checkDisk();
    const twilio = await this.twilio.status();
    const webhook = await this.webhookUrl.status();
    const forward = this.checkForward();
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
  private checkForward(): Readiness['checks']['forward'] {
    if (!this.config.forward) return undefined;
    const halt = this.forwards.halt();
    if (!halt) return { ok: true };
    return {
      ok: false,
      failingSince: halt.since,
      problem: `Inbound texts are not pushed to the agent: ${halt.reason}. They wait in the inbox; after the fix, restart the bridge or run sms-bridge forward retry.`,
    };
  }

  private checkDatabase(): CheckResult {
    try {
      this.database.checkWritable();
      return { ok: true };
    } catch (error) {
      return {
        ok: false,
        problem: `The database cannot be written: ${(error as Error).message}. Check ${this.config.databasePath}, its directory and the disk.`,
      };
    }
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
