import type { Store } from '../store';
import { oneOf } from './columns';

/** Safety rails: contacts and their approval, held messages, daily limits, idempotent sends. */
export async function up(db: Store): Promise<void> {
  // The local calendar day (SMS_TIMEZONE) a send was counted against, 'YYYY-MM-DD'.
  // The daily limits count today's rows, so the outbound table is the ledger: a row is
  // reserved in the same transaction that checks the count.
  await db.schema.alterTable('outbound_messages').addColumn('day', 'text').execute();
  await db.schema
    .createIndex('outbound_messages_day')
    .on('outbound_messages')
    .columns(['day', 'to_number'])
    .execute();

  // One row per number the bridge has an opinion about. Approval and opt-out are separate
  // facts: an operator's approval does not override a recipient's STOP.
  await db.schema
    .createTable('contacts')
    .addColumn('number', 'text', (column) => column.primaryKey())
    .addColumn('approval', 'text', (column) =>
      column.check(oneOf('approval', ['approved', 'pending', 'denied'])),
    )
    .addColumn('approval_source', 'text')
    .addColumn('opted_out', 'integer', (column) =>
      column
        .notNull()
        .defaultTo(0)
        .check(oneOf('opted_out', [0, 1])),
    )
    .addColumn('opt_out_source', 'text')
    .addColumn('last_keyword', 'text')
    .addColumn('first_inbound_at', 'text')
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();

  // Messages held for the operator's decision, and agents' requests to text a number.
  await db.schema
    .createTable('approvals')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('to_number', 'text', (column) => column.notNull())
    .addColumn('body', 'text')
    .addColumn('reason', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) =>
      column.notNull().check(oneOf('status', ['pending', 'approved', 'denied', 'expired'])),
    )
    .addColumn('requested_by', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .execute();
  await db.schema
    .createIndex('approvals_status_created')
    .on('approvals')
    .columns(['status', 'created_at'])
    .execute();

  // Idempotency-Key of POST /sms/send: the first response, replayed for 24 hours.
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('key', 'text', (column) => column.primaryKey())
    .addColumn('fingerprint', 'text', (column) => column.notNull())
    .addColumn('state', 'text', (column) =>
      column.notNull().check(oneOf('state', ['pending', 'done'])),
    )
    .addColumn('status', 'integer')
    .addColumn('response', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('idempotency_keys_created')
    .on('idempotency_keys')
    .column('created_at')
    .execute();
}
