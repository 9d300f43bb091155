import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { InboxRepository } from '../inbox/inbox.repository';
import { OutboundRepository } from '../outbound/outbound.repository';
import { Database } from '../storage/database';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * SMS_RETENTION_DAYS: forgets inbound and outbound messages older than that, at boot and
 * every hour. The audit log is kept whatever the setting: its table refuses DELETE by
 * design, and it is the record an operator answers questions from.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer?: NodeJS.Timeout;
  private readonly pruneBoth;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(InboxRepository) inbox: InboxRepository,
    @Inject(OutboundRepository) outbound: OutboundRepository,
    @Inject(Database) database: Database,
  ) {
    this.pruneBoth = database.transaction((cutoff: string) => ({
      inbound: inbox.pruneBefore(cutoff),
      outbound: outbound.pruneBefore(cutoff),
    }));
  }

  onApplicationBootstrap(): void {
    if (this.config.retentionDays === undefined) return;
    this.prune();
    this.timer = setInterval(() => this.prune(), HOUR_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  prune(now = Date.now()): { inbound: number; outbound: number } {
    const days = this.config.retentionDays;
    if (days === undefined) return { inbound: 0, outbound: 0 };
    const cutoff = new Date(now - days * DAY_MS).toISOString();
    try {
      const pruned = this.pruneBoth(cutoff);
      if (pruned.inbound + pruned.outbound > 0) {
        this.logger.log(
          `Pruned ${pruned.inbound} inbound and ${pruned.outbound} outbound messages older than ${cutoff} (SMS_RETENTION_DAYS=${days})`,
        );
      }
      return pruned;
    } catch (error) {
      this.logger.error(`Retention pruning failed: ${(error as Error).message}`);
      return { inbound: 0, outbound: 0 };
    }
  }
}
