import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Kysely } from 'kysely';
import { AppConfig } from '../config/app-config';
import { InboxService } from '../inbox/inbox.service';
import { OperatorTextsService } from '../operator-texts/operator-texts.service';
import { OutboxService } from '../outbound/outbox.service';
import { ApprovalsService } from '../safety/approvals/approvals.service';
import { AuditService } from '../safety/audit/audit.service';
import { ScheduleService } from '../schedule/schedule.service';
import { Store } from '../storage/store';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** What one pass removed: messages forgotten, and records that lost their text. */
export interface Pruned {
  inbound: number;
  outbound: number;
  scheduled: number;
  approvals: number;
  operatorTexts: number;
  audit: number;
}

const NOTHING: Pruned = {
  inbound: 0,
  outbound: 0,
  scheduled: 0,
  approvals: 0,
  operatorTexts: 0,
  audit: 0,
};

/**
 * SMS_RETENTION_DAYS: no message text older than that is kept, at boot and every hour.
 * Messages and settled scheduled sends are forgotten; approvals, operator texts and audit
 * records (table and file) stay, without their text. Text still waiting to go out (a
 * pending approval, a scheduled send not yet sent) is kept until it is settled. Each module
 * removes its own; this only asks them: the tables in one transaction, then the audit.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(InboxService) private readonly inbox: InboxService,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(ScheduleService) private readonly schedule: ScheduleService,
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
    @Inject(OperatorTextsService) private readonly operatorTexts: OperatorTextsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(Kysely) private readonly store: Store,
  ) {}

  /** The first pass before the app serves: no old text is shown after a restart. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.retentionDays === undefined) return;
    await this.prune();
    // prune() logs its failures and never rejects.
    this.timer = setInterval(() => void this.prune(), HOUR_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async prune(now = Date.now()): Promise<Pruned> {
    const days = this.config.retentionDays;
    if (days === undefined) return NOTHING;
    const cutoff = new Date(now - days * DAY_MS).toISOString();
    try {
      const tables = await this.store.transaction().execute(async (trx) => ({
        inbound: await this.inbox.pruneBefore(trx, cutoff),
        outbound: await this.outbox.pruneBefore(trx, cutoff),
        scheduled: await this.schedule.pruneBefore(trx, cutoff),
        approvals: await this.approvals.forgetTextBefore(trx, cutoff),
        operatorTexts: await this.operatorTexts.forgetTextBefore(trx, cutoff),
      }));
      // The audit after the commit, on its own: rewriting its file inside the transaction
      // would hold the pruned rows (and, on SQLite, the only connection) for as long as that
      // takes.
      const pruned: Pruned = { ...tables, audit: await this.audit.forgetBodiesBefore(cutoff) };
      if (Object.values(pruned).some((count) => count > 0)) {
        this.logger.log(
          `Pruned ${pruned.inbound} inbound and ${pruned.outbound} outbound messages and ${pruned.scheduled} scheduled sends older than ${cutoff}; removed the text of ${pruned.approvals} approvals, ${pruned.operatorTexts} operator texts and ${pruned.audit} audit records (SMS_RETENTION_DAYS=${days})`,
        );
      }
      return pruned;
    } catch (error) {
      this.logger.error(`Retention pruning failed: ${(error as Error).message}`);
      return NOTHING;
    }
  }
}
