/** SQLite result codes that mean the file cannot be written now, not that the request is wrong. */
const UNAVAILABLE = /^SQLITE_(FULL|READONLY|IOERR|BUSY|LOCKED|CANTOPEN|PROTOCOL)/;

/** True for a SQLite failure of the disk or file (full, read-only, locked, I/O), not of the SQL. */
export function isStorageUnavailable(error: unknown): boolean {
  // By name and code, not instanceof: better-sqlite3's native addon keeps the SqliteError
  // class of the first copy of the module loaded in the process, and under Jest (a module
  // registry and a realm per test file) neither it nor its Error is this file's.
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return name === 'SqliteError' && typeof code === 'string' && UNAVAILABLE.test(code);
}
