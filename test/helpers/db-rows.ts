import BetterSqlite3 from 'better-sqlite3';
import type { TestApp } from './test-app';

/** Runs a `SELECT count(*)` on the app's SQLite file, from outside the app. */
export function countRows(t: TestApp, table: string, where = '1', ...params: unknown[]): number {
  const db = new BetterSqlite3(t.env.SMS_DATABASE_PATH, { readonly: true });
  try {
    const row = db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get(...params);
    return (row as { n: number }).n;
  } finally {
    db.close();
  }
}
