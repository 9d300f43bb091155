import type { Store } from '../store';

/**
 * A push being made holds its row until leased_until, apart from when its next attempt is
 * due: a bridge that boots makes waiting retries due at once without taking a push another
 * bridge on the same database is making right then.
 */
export async function up(db: Store): Promise<void> {
  await db.schema.alterTable('inbound_forwards').addColumn('leased_until', 'text').execute();
}
