import { sql } from 'kysely';
import type { CreateTableBuilder, Expression, SqlBool } from 'kysely';
import { isSqlite, Store } from '../store';

type Table = CreateTableBuilder<string, string>;

/**
 * A key the database numbers itself. PostgreSQL: BIGSERIAL. SQLite: the rowid alias
 * (INTEGER PRIMARY KEY), with AUTOINCREMENT where a removed row's key must never come back
 * (a message's seq, which the inbox pages by), as the tables had it when the migrations were
 * written twice.
 */
export function serialKey(
  db: Store,
  name: string,
  sqlite: 'autoincrement' | 'rowid' = 'autoincrement',
): (table: Table) => Table {
  return (table) =>
    isSqlite(db)
      ? table.addColumn(name, 'integer', (column) =>
          sqlite === 'autoincrement' ? column.primaryKey().autoIncrement() : column.primaryKey(),
        )
      : table.addColumn(name, 'bigserial', (column) => column.primaryKey());
}

/** The key of a table that holds one row at most: id, always 1. */
export function oneRowKey(table: Table): Table {
  return table.addColumn('id', 'integer', (column) => column.primaryKey().check(sql`id = 1`));
}

/** CHECK (column IN (...)): the values a status, a phase or a 0/1 flag may take. */
export function oneOf(column: string, values: readonly (string | number)[]): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} IN (${sql.join(values.map((value) => sql.lit(value)))})`;
}
