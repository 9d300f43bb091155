import type { Store } from '../store';

/** The media URLs of a held MMS (a JSON array, as outbound_messages.media), sent on approval. */
export async function up(db: Store): Promise<void> {
  await db.schema
    .alterTable('approvals')
    .addColumn('media', 'text', (column) => column.notNull().defaultTo('[]'))
    .execute();
}
