/** A failure PostgreSQL (or the connection to it) reported, with its SQLSTATE. */
export class PostgresError extends Error {
  override readonly name = 'PostgresError';

  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}
