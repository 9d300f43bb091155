import { isSqlite, Store } from '../store';
import { serialKey } from './columns';

/**
 * The send and webhook throttles' hits, for bridges that share a PostgreSQL database: one
 * bridge alone counts them in memory, and leaves this table empty. A hit counts until
 * expires_at (epoch milliseconds), a sliding minute.
 */
export async function up(db: Store): Promise<void> {
  await db.schema
    .createTable('throttle_hits')
    .$call(serialKey(db, 'id', 'rowid'))
    .addColumn('key', 'text', (column) => column.notNull())
    .addColumn('throttler', 'text', (column) => column.notNull())
    // Milliseconds outgrow PostgreSQL's 4-byte INTEGER; SQLite's INTEGER holds 8 bytes.
    .addColumn('expires_at', isSqlite(db) ? 'integer' : 'bigint', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('throttle_hits_key')
    .on('throttle_hits')
    .columns(['key', 'throttler', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('throttle_hits_expires')
    .on('throttle_hits')
    .column('expires_at')
    .execute();
}
