import { sql } from 'kysely';
import { isSqlite, Store } from '../store';
import { oneOf, serialKey } from './columns';

/** Times are ISO-8601 UTC text (Date#toISOString), which sorts as it reads. */
export async function up(db: Store): Promise<void> {
  await db.schema
    .createTable('inbound_messages')
    .$call(serialKey(db, 'seq'))
    .addColumn('sid', 'text', (column) => column.notNull().unique())
    .addColumn('account_sid', 'text', (column) => column.notNull())
    .addColumn('from_number', 'text', (column) => column.notNull())
    .addColumn('to_number', 'text', (column) => column.notNull())
    .addColumn('body', 'text', (column) => column.notNull())
    .addColumn('media', 'text', (column) => column.notNull().defaultTo('[]'))
    .addColumn('received_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('inbound_messages_received_at')
    .on('inbound_messages')
    .column('received_at')
    .execute();

  await db.schema
    .createTable('outbound_messages')
    .$call(serialKey(db, 'seq'))
    .addColumn('id', 'text', (column) => column.notNull().unique())
    .addColumn('sid', 'text', (column) => column.unique())
    .addColumn('from_number', 'text', (column) => column.notNull())
    .addColumn('to_number', 'text', (column) => column.notNull())
    .addColumn('body', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('segments', 'integer')
    .addColumn('error_code', 'integer')
    .addColumn('error_message', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('outbound_messages_created_at')
    .on('outbound_messages')
    .column('created_at')
    .execute();

  // Append-only: a record of what the agent asked for and what came of it.
  await db.schema
    .createTable('audit_log')
    .$call(serialKey(db, 'id'))
    .addColumn('at', 'text', (column) => column.notNull())
    .addColumn('request_id', 'text', (column) => column.notNull())
    .addColumn('action', 'text', (column) => column.notNull())
    .addColumn('phase', 'text', (column) =>
      column.notNull().check(oneOf('phase', ['attempt', 'outcome'])),
    )
    .addColumn('caller', 'text')
    .addColumn('recipient', 'text')
    .addColumn('body', 'text')
    .addColumn('outcome', 'text')
    .addColumn('reason', 'text')
    .addColumn('sid', 'text')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_request').on('audit_log').column('request_id').execute();

  // Triggers have no builder, and each dialect writes its own: SQLite's body is SQL with
  // RAISE, PostgreSQL's a plpgsql function.
  if (isSqlite(db)) {
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
    return;
  }
  // Refused for every role, the bridge's included: a trigger, not a grant, so that a bridge
  // connecting as the table's owner cannot rewrite its own record either.
  await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(db);
}
