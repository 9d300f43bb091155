import type { Store } from '../store';
import { serialKey } from './columns';

/** Delivery status, segments, Messaging Services and MMS for outbound messages. */
export async function up(db: Store): Promise<void> {
  // segments: our count before sending; twilio_segments: Twilio's num_segments when it answers.
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  const outbound = () => db.schema.alterTable('outbound_messages');
  await outbound().addColumn('encoding', 'text').execute();
  await outbound().addColumn('twilio_segments', 'integer').execute();
  await outbound().addColumn('messaging_service_sid', 'text').execute();
  await outbound()
    .addColumn('media', 'text', (column) => column.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .createIndex('outbound_messages_to')
    .on('outbound_messages')
    .columns(['to_number', 'seq'])
    .execute();
  await db.schema
    .createIndex('outbound_messages_status')
    .on('outbound_messages')
    .columns(['status', 'seq'])
    .execute();

  // Every status an outbound message went through, in the order the bridge applied them.
  await db.schema
    .createTable('outbound_status_history')
    .$call(serialKey(db, 'id'))
    .addColumn('message_id', 'text', (column) =>
      column.notNull().references('outbound_messages.id'),
    )
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('error_code', 'integer')
    .addColumn('at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('outbound_status_history_message')
    .on('outbound_status_history')
    .columns(['message_id', 'id'])
    .execute();
}
