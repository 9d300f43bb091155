import { sql } from 'kysely';
import type { Store } from '../store';

/**
 * The per-sender limit counts a sender's delivered texts of the last minute on every webhook.
 * The (from_number, received_at) index alone made that count read each row for `suppressed`;
 * this one holds only delivered texts, so the count never leaves the index.
 */
export async function up(db: Store): Promise<void> {
  await db.schema
    .createIndex('inbound_messages_delivered_from')
    .on('inbound_messages')
    .columns(['from_number', 'received_at'])
    .where(sql.ref('suppressed'), '=', 0)
    .execute();
}
