import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../storage/database';
import type { InboundWebhook } from './twilio.client';

export interface StoredInboundWebhook extends InboundWebhook {
  checkedAt: string;
}

/** The last answer Twilio gave about the sender's inbound webhook (twilio_webhook_url). */
@Injectable()
export class WebhookUrlRepository {
  private readonly read;
  private readonly write;

  constructor(@Inject(Database) database: Database) {
    this.read = database.prepare<[], StoredInboundWebhook>(
      'SELECT url, source, checked_at AS "checkedAt" FROM twilio_webhook_url WHERE id = 1',
    );
    this.write = database.prepare<StoredInboundWebhook>(
      `INSERT INTO twilio_webhook_url (id, url, source, checked_at)
       VALUES (1, @url, @source, @checkedAt)
       ON CONFLICT (id) DO UPDATE SET url = @url, source = @source, checked_at = @checkedAt`,
    );
  }

  last(): StoredInboundWebhook | undefined {
    return this.read.get();
  }

  save(answer: StoredInboundWebhook): void {
    this.write.run(answer);
  }
}
