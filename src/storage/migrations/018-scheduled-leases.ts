import type { Store } from '../store';

/**
 * A scheduled send being sent is held by the bridge sending it (leased_by, a per-process id)
 * until leased_until, renewed while it sends: a bridge that boots beside it on the same
 * PostgreSQL database leaves it alone, and takes it up only once the lease has run out.
 */
export async function up(db: Store): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  for (const column of ['leased_by', 'leased_until']) {
    await db.schema.alterTable('scheduled_sends').addColumn(column, 'text').execute();
  }
}
