import BetterSqlite3 from 'better-sqlite3';

/**
 * Reads the bridge's database file through a connection of its own, as an operator
 * with sqlite3 would: what it sees was committed, not just held by the app.
 */
export function queryDb<T>(path: string, sql: string, ...params: unknown[]): T[] {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare<unknown[], T>(sql).all(...params);
  } finally {
    db.close();
  }
}

export function countRows(path: string, table: string, where = '1', ...params: unknown[]): number {
  return queryDb<{ n: number }>(
    path,
    `SELECT count(*) AS n FROM ${table} WHERE ${where}`,
    ...params,
  )[0].n;
}
