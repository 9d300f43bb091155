import BetterSqlite3 from 'better-sqlite3';

export interface BackupCheck {
  integrity: string;
  /** The newest migration the copy holds: a restore needs a bridge that knows it. */
  schemaVersion: number;
}

/**
 * Checks a backup the way a restore would open it, without reading any module's tables:
 * SQLite's own integrity check and the migration record storage keeps.
 */
export function checkBackupFile(file: string): BackupCheck {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = String(db.pragma('quick_check', { simple: true }));
    const { version } = db
      .prepare<[], { version: number | null }>(
        'SELECT max(version) AS version FROM schema_migrations',
      )
      .get()!;
    return { integrity, schemaVersion: version ?? 0 };
  } finally {
    db.close();
  }
}
