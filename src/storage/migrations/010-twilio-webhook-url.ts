import type { Store } from '../store';
import { oneRowKey } from './columns';

/**
 * One row: the last answer Twilio gave about where the sender's inbound webhook points, so
 * that a restart checks signatures against it without waiting for Twilio's API.
 */
export async function up(db: Store): Promise<void> {
  await db.schema
    .createTable('twilio_webhook_url')
    .$call(oneRowKey)
    .addColumn('url', 'text')
    .addColumn('source', 'text', (column) => column.notNull())
    .addColumn('checked_at', 'text', (column) => column.notNull())
    .execute();
}
