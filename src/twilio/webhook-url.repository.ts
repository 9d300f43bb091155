import { Injectable } from '@nestjs/common';
import { Store } from '../storage/store';
import type { InboundWebhook } from './twilio.client';

export interface StoredInboundWebhook extends InboundWebhook {
  checkedAt: string;
}

/** The last answer Twilio gave about the sender's inbound webhook (twilio_webhook_url). */
@Injectable()
export class WebhookUrlRepository {
  async last(db: Store): Promise<StoredInboundWebhook | undefined> {
    const row = await db
      .selectFrom('twilio_webhook_url')
      .select(['url', 'source', 'checked_at'])
      .where('id', '=', 1)
      .executeTakeFirst();
    return (
      row && {
        url: row.url,
        source: row.source as InboundWebhook['source'],
        checkedAt: row.checked_at,
      }
    );
  }

  async save(db: Store, answer: StoredInboundWebhook): Promise<void> {
    const columns = { url: answer.url, source: answer.source, checked_at: answer.checkedAt };
    await db
      .insertInto('twilio_webhook_url')
      .values({ id: 1, ...columns })
      .onConflict((oc) => oc.column('id').doUpdateSet(columns))
      .execute();
  }
}
