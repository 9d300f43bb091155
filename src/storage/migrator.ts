import { lockName, Store } from './store';
import { migrations } from './migration-files';

/** Taken in each migration's transaction, so that bridges booting together apply each once. */
const MIGRATION_LOCK = 'schema_migrations';

/**
 * Brings the store to the latest schema before the bridge serves: each migration not yet in
 * schema_migrations runs with its row in one transaction. On PostgreSQL the transaction first
 * takes an advisory lock and looks again, so that of two bridges booting at once one applies
 * a migration and the other finds it applied. Databases made when the migrations were SQL
 * files keep their rows (NNN-name.sql): the numbers are what counts.
 */
/** The store migrated, or closed (on SQLite with its file) and the failure thrown. */
export async function migrated(store: Store): Promise<Store> {
  try {
    await migrate(store);
  } catch (error) {
    await store.destroy();
    throw error;
  }
  return store;
}

export async function migrate(store: Store): Promise<void> {
  await store.transaction().execute(async (trx) => {
    await lockName(trx, MIGRATION_LOCK);
    await trx.schema
      .createTable('schema_migrations')
      .ifNotExists()
      .addColumn('version', 'integer', (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('applied_at', 'text', (column) => column.notNull())
      .execute();
  });
  const applied = await appliedVersions(store);
  for (const migration of await migrations()) {
    if (applied.has(migration.version)) continue;
    await store.transaction().execute(async (trx) => {
      await lockName(trx, MIGRATION_LOCK);
      if ((await appliedVersions(trx)).has(migration.version)) return;
      await migration.up(trx);
      await trx
        .insertInto('schema_migrations')
        .values({
          version: migration.version,
          name: migration.name,
          applied_at: new Date().toISOString(),
        })
        .execute();
    });
  }
}

async function appliedVersions(db: Store): Promise<Set<number>> {
  const rows = await db.selectFrom('schema_migrations').select('version').execute();
  return new Set(rows.map((row) => row.version));
}
