import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { AuditService } from '../safety/audit/audit.service';
import { OptOutService } from '../safety/opt-out/opt-out.service';
import { isStorageUnavailable } from '../common/storage-unavailable';
import { Database } from '../storage/database';
import { InboundMessage, InboxRepository } from './inbox.repository';

const MINUTE_MS = 60_000;

interface Waiting {
  message: InboundMessage;
  done: (outcome: { stored: boolean } | { error: unknown }) => void;
}

/**
 * Stores what Twilio delivers, limited per sender after the signature check: Twilio's
 * egress addresses are shared, so only the `From` number tells one flooder from everyone
 * else. Texts over SMS_INBOUND_PER_SENDER_PER_MINUTE are kept (Twilio was answered 200
 * and will not resend) but suppressed from the inbox and audited as `inbound_suppressed`.
 *
 * Group commit: the texts that arrive while one event-loop turn runs are stored in one
 * transaction, so one fsync makes a whole burst durable, and each is answered only after
 * that commit. A text that fails on its own (its savepoint) fails alone; a disk that cannot
 * be written fails the batch, and every text in it is answered 503 (Twilio retries).
 */
@Injectable()
export class InboundService {
  private readonly commit: (
    batch: InboundMessage[],
  ) => ({ stored: boolean } | { error: unknown })[];
  private waiting: Waiting[] = [];

  constructor(
    @Inject(InboxRepository) inbox: InboxRepository,
    @Inject(AuditService) audit: AuditService,
    @Inject(AppConfig) config: AppConfig,
    @Inject(Database) database: Database,
    @Inject(OptOutService) optOut: OptOutService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {
    const perMinute = config.inboundPerSenderPerMinute;
    // Count and insert in one transaction, so two texts at once cannot both take the last slot.
    const store = database.transaction((message: InboundMessage) => {
      const since = new Date(Date.now() - MINUTE_MS).toISOString();
      const suppressed = inbox.deliveredFromSince(message.from, since, perMinute) >= perMinute;
      const reading = optOut.read(message.body);
      // A Twilio retry of a stored sid changes nothing and is not counted twice.
      if (!inbox.save(message, { suppressed, optOutHint: reading.optOutHint })) return false;
      // The sender has now texted first, and STOP/START count even from a flooder:
      // carriers require honouring them.
      optOut.noticeInbound(message.from, message.body, reading.keyword);
      if (!suppressed) return true;
      audit.appendBestEffort({
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
    });
    this.commit = database.transaction((batch: InboundMessage[]) =>
      batch.map((message) => {
        try {
          return { stored: store(message) };
        } catch (error) {
          if (isStorageUnavailable(error)) throw error;
          return { error };
        }
      }),
    );
  }

  /** Resolves once the text is committed (or was stored before: a Twilio retry). */
  async receive(message: InboundMessage): Promise<void> {
    const outcome = await new Promise<{ stored: boolean } | { error: unknown }>((done) => {
      this.waiting.push({ message, done });
      if (this.waiting.length === 1) setImmediate(() => this.flush());
    });
    if ('error' in outcome) throw outcome.error;
    this.metrics.inboundMessage(outcome.stored);
  }

  private flush(): void {
    const batch = this.waiting;
    this.waiting = [];
    try {
      const outcomes = this.commit(batch.map((waiting) => waiting.message));
      batch.forEach((waiting, i) => waiting.done(outcomes[i]));
    } catch (error) {
      for (const waiting of batch) waiting.done({ error });
    }
  }
}
