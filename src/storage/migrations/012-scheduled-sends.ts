import type { Store } from '../store';
import { oneOf } from './columns';

/**
 * Sends the agent asked for at a later time, and sends deferred past the recipient's quiet
 * hours. Owned by the schedule module; the send itself is recorded in outbound_messages when
 * it goes out, under the Idempotency-Key `scheduled:<id>`, so a re-run after a crash replays.
 */
export async function up(db: Store): Promise<void> {
  await db.schema
    .createTable('scheduled_sends')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('to_number', 'text', (column) => column.notNull())
    .addColumn('body', 'text', (column) => column.notNull())
    .addColumn('media', 'text', (column) => column.notNull().defaultTo('[]'))
    .addColumn('send_at', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) =>
      column
        .notNull()
        .check(
          oneOf('status', [
            'scheduled',
            'awaiting_approval',
            'sending',
            'sent',
            'refused',
            'failed',
            'unknown',
            'cancelled',
            'expired',
          ]),
        ),
    )
    .addColumn('reason', 'text')
    .addColumn('approval_id', 'text')
    .addColumn('sid', 'text')
    .addColumn('error_code', 'text')
    .addColumn('requested_by', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('scheduled_sends_due')
    .on('scheduled_sends')
    .columns(['status', 'send_at'])
    .execute();
  await db.schema
    .createIndex('scheduled_sends_approval')
    .on('scheduled_sends')
    .column('approval_id')
    .execute();
}
