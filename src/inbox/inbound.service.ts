import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { AuditService } from '../safety/audit/audit.service';
import { OptOutService } from '../safety/opt-out/opt-out.service';
import { isStorageUnavailable } from '../common/storage-unavailable';
import { lockName, savepoint, Store } from '../storage/store';
import { InboundMessage, InboxRepository } from './inbox.repository';

const MINUTE_MS = 60_000;

type Outcome = { stored: boolean } | { error: unknown };

interface Waiting {
  message: InboundMessage;
  done: (outcome: Outcome) => void;
}

/**
 * Stores what Twilio delivers, limited per sender after the signature check: Twilio's
 * egress addresses are shared, so only the `From` number tells one flooder from everyone
 * else. Texts over SMS_INBOUND_PER_SENDER_PER_MINUTE are kept (Twilio was answered 200
 * and will not resend) but suppressed from the inbox and audited as `inbound_suppressed`.
 *
 * Group commit: the texts that arrive while one event-loop turn runs are stored in one
 * transaction, so one fsync makes a whole burst durable, and each is answered only after
 * that commit. A text that fails on its own (its savepoint) fails alone; a store that cannot
 * be written fails the batch, and every text in it is answered 503 (Twilio retries).
 */
@Injectable()
export class InboundService {
  private readonly perMinute: number;
  private waiting: Waiting[] = [];

  constructor(
    @Inject(InboxRepository) private readonly inbox: InboxRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(AppConfig) config: AppConfig,
    @Inject(Kysely) private readonly store: Store,
    @Inject(OptOutService) private readonly optOut: OptOutService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {
    this.perMinute = config.inboundPerSenderPerMinute;
  }

  /** Resolves once the text is committed (or was stored before: a Twilio retry). */
  async receive(message: InboundMessage): Promise<void> {
    const outcome = await new Promise<Outcome>((done) => {
      this.waiting.push({ message, done });
      if (this.waiting.length === 1) setImmediate(() => void this.flush());
    });
    if ('error' in outcome) throw outcome.error;
    this.metrics.inboundMessage(outcome.stored);
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      const outcomes = await this.commit(batch.map((waiting) => waiting.message));
      batch.forEach((waiting, i) => waiting.done(outcomes[i]));
    } catch (error) {
      for (const waiting of batch) waiting.done({ error });
    }
  }

  private commit(batch: InboundMessage[]): Promise<Outcome[]> {
    return this.store.transaction().execute(async (trx) => {
      // Each sender's count and insert run one at a time across bridges (PostgreSQL), so two
      // texts at once cannot both take the last slot. Taken in one order by every batch, so
      // two bridges' batches from the same senders wait for each other, never deadlock.
      const senders = [...new Set(batch.map((message) => message.from))].sort();
      for (const from of senders) await lockName(trx, `inbound:${from}`);
      // A text alone needs no savepoint: its failure is the transaction's, and its answer.
      if (batch.length === 1) return [{ stored: await this.storeOne(trx, batch[0]) }];
      const outcomes: Outcome[] = [];
      for (const message of batch) {
        try {
          outcomes.push({ stored: await savepoint(trx, () => this.storeOne(trx, message)) });
        } catch (error) {
          if (isStorageUnavailable(error)) throw error;
          outcomes.push({ error });
        }
      }
      return outcomes;
    });
  }

  /** Counts and stores one text; false for a Twilio retry of a stored sid. */
  private async storeOne(trx: Store, message: InboundMessage): Promise<boolean> {
    const perMinute = this.perMinute;
    const since = new Date(Date.now() - MINUTE_MS).toISOString();
    const delivered = await this.inbox.deliveredFromSince(trx, message.from, since, perMinute);
    const suppressed = delivered >= perMinute;
    const reading = this.optOut.read(message.body);
    // A Twilio retry of a stored sid changes nothing and is not counted twice.
    const stored = await this.inbox.save(trx, message, {
      suppressed,
      optOutHint: reading.optOutHint,
    });
    if (!stored) return false;
    // The sender has now texted first, and STOP/START count even from a flooder:
    // carriers require honouring them.
    await this.optOut.noticeInbound(trx, message.from, message.body, reading.keyword);
    if (!suppressed) return true;
    await this.audit.appendBestEffort(trx, {
      requestId: message.sid,
      action: 'inbound_suppressed',
      phase: 'outcome',
      caller: message.from,
      outcome: 'refused',
      reason: 'per_sender_limit',
      sid: message.sid,
      detail: { to: message.to, perMinute },
    });
    return true;
  }
}
