import { isStorageUnavailable } from './storage-unavailable';

function failure(name: string, code: unknown): Error {
  return Object.assign(new Error('failed'), { name, code });
}

describe('isStorageUnavailable', () => {
  it.each([
    ['SQLite: the disk is full', failure('SqliteError', 'SQLITE_FULL'), true],
    ['SQLite: the file is locked by another writer', failure('SqliteError', 'SQLITE_BUSY'), true],
    ['SQLite: a constraint refused the row', failure('SqliteError', 'SQLITE_CONSTRAINT'), false],
    ['PostgreSQL: the server cannot be reached', failure('PostgresError', '08001'), true],
    ['PostgreSQL: the connection dropped', failure('PostgresError', '08006'), true],
    ['PostgreSQL: the server is shutting down', failure('PostgresError', '57P01'), true],
    ['PostgreSQL: the disk is full', failure('PostgresError', '53100'), true],
    ['PostgreSQL: a lock was not had in time', failure('PostgresError', '55P03'), true],
    ['PostgreSQL: a statement ran past its timeout', failure('PostgresError', '57014'), true],
    ['PostgreSQL: a standby is read-only', failure('PostgresError', '25006'), true],
    ['PostgreSQL: a unique key refused the row', failure('PostgresError', '23505'), false],
    ['PostgreSQL: the SQL is wrong', failure('PostgresError', '42601'), false],
    ['another error with a storage-like code', failure('Error', '08006'), false],
    ['nothing at all', undefined, false],
  ])('%s', (_, error, unavailable) => {
    expect(isStorageUnavailable(error)).toBe(unavailable);
  });
});
