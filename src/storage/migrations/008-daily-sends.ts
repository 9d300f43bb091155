import type { Store } from '../store';
import { serialKey } from './columns';

/**
 * The limits module's own ledger of counted sends, so it no longer reads outbound_messages.
 * A row is a slot reserved in the send's transaction; a send Twilio refused gives it back.
 */
export async function up(db: Store): Promise<void> {
  await db.schema
    .createTable('daily_sends')
    .$call(serialKey(db, 'id', 'rowid'))
    .addColumn('day', 'text', (column) => column.notNull())
    .addColumn('to_number', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('daily_sends_day_to')
    .on('daily_sends')
    .columns(['day', 'to_number'])
    .execute();

  // Every send counted so far, less those Twilio refused (failed with its error, no sid).
  await db
    .insertInto('daily_sends')
    .columns(['day', 'to_number'])
    .expression(
      db
        .selectFrom('outbound_messages')
        .select((eb) => [eb.ref('day').$notNull().as('day'), 'to_number'])
        .where((eb) =>
          eb.not(
            eb.and([
              eb('status', '=', 'failed'),
              eb('sid', 'is', null),
              eb('error_code', 'is not', null),
            ]),
          ),
        ),
    )
    .execute();
}
