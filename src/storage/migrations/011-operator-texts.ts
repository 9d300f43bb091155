import type { Store } from '../store';
import { oneOf, serialKey } from './columns';

/** Approval by text (SMS_OPERATOR_NUMBERS). */
export async function up(db: Store): Promise<void> {
  // The one-time code texted to the operator's phones for an approval, kept only as an HMAC
  // keyed with the operator token: a copy of the database alone neither shows a code nor
  // lets anyone try the million six-digit codes against it. Owned by the approvals module.
  await db.schema
    .createTable('approval_codes')
    .addColumn('approval_id', 'text', (column) => column.primaryKey().references('approvals.id'))
    .addColumn('code_hash', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('approval_codes_hash')
    .on('approval_codes')
    .column('code_hash')
    .execute();

  // Texts between the bridge and the operator's phones, kept apart from the agent's messages
  // so that no agent route can show a code. Bodies are stored with the code masked.
  // kind: notification, confirmation, lockout (outbound); reply (inbound).
  await db.schema
    .createTable('operator_texts')
    .$call(serialKey(db, 'id'))
    .addColumn('direction', 'text', (column) =>
      column.notNull().check(oneOf('direction', ['inbound', 'outbound'])),
    )
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('number', 'text', (column) => column.notNull())
    .addColumn('body', 'text', (column) => column.notNull())
    .addColumn('sid', 'text', (column) => column.unique())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('approval_id', 'text')
    .addColumn('error', 'text')
    .addColumn('day', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('operator_texts_number_day')
    .on('operator_texts')
    .columns(['number', 'day', 'direction'])
    .execute();
  await db.schema
    .createIndex('operator_texts_number_created')
    .on('operator_texts')
    .columns(['number', 'created_at'])
    .execute();

  // What an operator phone asked or earned: STOP (no more notifications) and the lock after
  // too many wrong codes, which only a use of the operator token lifts.
  await db.schema
    .createTable('operator_phones')
    .addColumn('number', 'text', (column) => column.primaryKey())
    .addColumn('stopped', 'integer', (column) =>
      column
        .notNull()
        .defaultTo(0)
        .check(oneOf('stopped', [0, 1])),
    )
    .addColumn('locked_at', 'text')
    .addColumn('unlocked_at', 'text')
    .execute();
}
