import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { AuditRepository } from '../safety/audit.repository';
import { OptOutService } from '../safety/opt-out.service';
import { Database } from '../storage/database';
import { InboundMessage, InboxRepository } from './inbox.repository';

const MINUTE_MS = 60_000;

/**
 * Stores what Twilio delivers, limited per sender after the signature check: Twilio's
 * egress addresses are shared, so only the `From` number tells one flooder from everyone
 * else. Texts over SMS_INBOUND_PER_SENDER_PER_MINUTE are kept (Twilio was answered 200
 * and will not resend) but suppressed from the inbox and audited as `inbound_suppressed`.
 */
@Injectable()
export class InboundService {
  private readonly store: (message: InboundMessage) => boolean;

  constructor(
    @Inject(InboxRepository) inbox: InboxRepository,
    @Inject(AuditRepository) audit: AuditRepository,
    @Inject(AppConfig) config: AppConfig,
    @Inject(Database) database: Database,
    @Inject(OptOutService) optOut: OptOutService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {
    const perMinute = config.inboundPerSenderPerMinute;
    // Count and insert in one transaction, so two texts at once cannot both take the last slot.
    this.store = database.transaction((message: InboundMessage) => {
      const since = new Date(Date.now() - MINUTE_MS).toISOString();
      const suppressed = inbox.deliveredFromSince(message.from, since) >= perMinute;
      // A Twilio retry of a stored sid changes nothing and is not counted twice.
      if (!inbox.save(message, suppressed)) return false;
      // The sender has now texted first, and STOP/START count even from a flooder:
      // carriers require honouring them.
      optOut.noticeInbound(message.from, message.body);
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
  }

  receive(message: InboundMessage): void {
    this.metrics.inboundMessage(this.store(message));
  }
}
