import type { Store } from '../store';
import { oneOf } from './columns';

/**
 * Inbound texts over the per-sender limit (SMS_INBOUND_PER_SENDER_PER_MINUTE): kept, since
 * Twilio was told 200 and will not resend, but hidden from the inbox unless asked for.
 */
export async function up(db: Store): Promise<void> {
  await db.schema
    .alterTable('inbound_messages')
    .addColumn('suppressed', 'integer', (column) =>
      column
        .notNull()
        .defaultTo(0)
        .check(oneOf('suppressed', [0, 1])),
    )
    .execute();

  // The limit counts a sender's delivered texts of the last minute.
  await db.schema
    .createIndex('inbound_messages_from_received')
    .on('inbound_messages')
    .columns(['from_number', 'received_at'])
    .execute();
}
