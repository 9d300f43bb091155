import type { Store } from '../store';
import { oneRowKey } from './columns';

/** One row, rewritten by each readiness probe: proof that a commit reaches the disk now. */
export async function up(db: Store): Promise<void> {
  await db.schema
    .createTable('readiness_probe')
    .$call(oneRowKey)
    .addColumn('checked_at', 'text', (column) => column.notNull())
    .execute();
}
