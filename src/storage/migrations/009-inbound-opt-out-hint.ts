import type { Store } from '../store';
import { oneOf } from './columns';

/**
 * An inbound text that mentions opting out ("Stop by at 5?", "please don't remove me") but
 * was not read as an opt-out: flagged so the agent and the operator read it and decide.
 */
export async function up(db: Store): Promise<void> {
  await db.schema
    .alterTable('inbound_messages')
    .addColumn('opt_out_hint', 'integer', (column) =>
      column
        .notNull()
        .defaultTo(0)
        .check(oneOf('opt_out_hint', [0, 1])),
    )
    .execute();
}
