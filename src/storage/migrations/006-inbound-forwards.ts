import { sql } from 'kysely';
import { isSqlite, Store } from '../store';
import { oneOf, oneRowKey } from './columns';

/**
 * The outbox of inbound messages to push to SMS_FORWARD_URL (src/forward/).
 *
 * The trigger queues a message in the same statement that stores it, so nothing stored
 * can miss its push, whoever stores it. A Twilio retry of a stored MessageSid inserts
 * nothing (ON CONFLICT DO NOTHING) and so queues nothing. The bridge writes
 * forward_settings.enabled at every boot from its config: without SMS_FORWARD_URL
 * nothing is queued.
 */
export async function up(db: Store): Promise<void> {
  await db.schema
    .createTable('forward_settings')
    .$call(oneRowKey)
    .addColumn('enabled', 'integer', (column) => column.notNull().check(oneOf('enabled', [0, 1])))
    .execute();
  await db.insertInto('forward_settings').values({ id: 1, enabled: 0 }).execute();

  await db.schema
    .createTable('inbound_forwards')
    // rowid: SQLite's implicit arrival order, made a column on PostgreSQL, so the queue
    // reads the same on both.
    .$call((table) =>
      isSqlite(db) ? table : table.addColumn('rowid', 'bigserial', (column) => column.unique()),
    )
    .addColumn('sid', 'text', (column) =>
      column.primaryKey().references('inbound_messages.sid').onDelete('cascade'),
    )
    .addColumn('state', 'text', (column) =>
      column
        .notNull()
        .defaultTo('pending')
        .check(oneOf('state', ['pending', 'delivered', 'failed'])),
    )
    .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (column) => column.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('delivered_at', 'text')
    .execute();
  await db.schema
    .createIndex('inbound_forwards_due')
    .on('inbound_forwards')
    .columns(['state', 'next_attempt_at'])
    .execute();

  // Triggers have no builder, and each dialect writes its own: SQLite's with a WHEN clause
  // and INSERT OR IGNORE, PostgreSQL's as a plpgsql function.
  if (isSqlite(db)) {
    await sql`CREATE TRIGGER inbound_messages_forward AFTER INSERT ON inbound_messages
WHEN (SELECT enabled FROM forward_settings WHERE id = 1) = 1
BEGIN
  INSERT OR IGNORE INTO inbound_forwards (sid, next_attempt_at, created_at)
  VALUES (NEW.sid, NEW.received_at, NEW.received_at);
END`.execute(db);
    return;
  }
  await sql`CREATE FUNCTION inbound_messages_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT enabled FROM forward_settings WHERE id = 1) = 1 THEN
    INSERT INTO inbound_forwards (sid, next_attempt_at, created_at)
    VALUES (NEW.sid, NEW.received_at, NEW.received_at)
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$`.execute(db);
  await sql`CREATE TRIGGER inbound_messages_forward AFTER INSERT ON inbound_messages
  FOR EACH ROW EXECUTE FUNCTION inbound_messages_forward()`.execute(db);
}
