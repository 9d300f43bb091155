import BetterSqlite3 from 'better-sqlite3';

export interface RowCounts {
  inbound: number;
  outbound: number;
  approvals: number;
  contacts: number;
}

/** What the bridge has stored, read from its SQLite file by a second, read-only connection. */
export function rowCounts(databasePath: string): RowCounts {
  const db = new BetterSqlite3(databasePath, { readonly: true });
  try {
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      inbound: count('inbound_messages'),
      outbound: count('outbound_messages'),
      approvals: count('approvals'),
      contacts: count('contacts'),
    };
  } finally {
    db.close();
  }
}
