/** SQLite result codes that mean the file cannot be written now, not that the request is wrong. */
const SQLITE_UNAVAILABLE = /^SQLITE_(FULL|READONLY|IOERR|BUSY|LOCKED|CANTOPEN|PROTOCOL)/;

/**
 * PostgreSQL SQLSTATEs of the same kind: the connection (08), too many connections or a full
 * disk (53), a lock not had in time (55P03), a statement past SMS_DATABASE_STATEMENT_TIMEOUT_MS
 * (57014: the bridge cancels nothing else), a server shutting down or restarting (57P0x),
 * a system error (58) and a read-only standby (25006).
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const POSTGRES_UNAVAILABLE = /^(08|53|55P03|57014|57P0|58|25006)/;

/** True for a failure of the store (full, read-only, locked, unreachable), not of the SQL. */
export function isStorageUnavailable(error: unknown): boolean {
  // By name and code, not instanceof: better-sqlite3's native addon keeps the SqliteError
  // class of the first copy of the module loaded in the process, and under Jest (a module
  // registry and a realm per test file) neither it nor its Error is this file's.
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  if (typeof code !== 'string') return false;
  if (name === 'SqliteError') return SQLITE_UNAVAILABLE.test(code);
  return name === 'PostgresError' && POSTGRES_UNAVAILABLE.test(code);
}
