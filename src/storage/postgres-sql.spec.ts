import { toPostgres } from './postgres-sql';

describe('toPostgres', () => {
  it.each([
    [
      'numbers each ? in order',
      'SELECT * FROM t WHERE a = ? AND b = ?',
      'SELECT * FROM t WHERE a = $1 AND b = $2',
      [],
      2,
    ],
    [
      'gives a name the number of its first use, each time it appears',
      'SELECT * FROM t WHERE (to_number = @to OR @to IS NULL) AND day = @day',
      'SELECT * FROM t WHERE (to_number = $1 OR $1 IS NULL) AND day = $2',
      ['to', 'day'],
      2,
    ],
    [
      'leaves ? and @ inside quoted text and identifiers alone',
      `SELECT 'is it?' AS "who@where", 'it''s @noon?' FROM t WHERE a = ?`,
      `SELECT 'is it?' AS "who@where", 'it''s @noon?' FROM t WHERE a = $1`,
      [],
      1,
    ],
    [
      'takes a statement without parameters as it is',
      'SELECT count(*) FROM t',
      'SELECT count(*) FROM t',
      [],
      0,
    ],
  ])('%s', (_, sql, text, names, count) => {
    expect(toPostgres(sql)).toEqual({ text, names, count });
  });

  it('returns the generated key of an INSERT, which stands for lastInsertRowid', () => {
    expect(toPostgres('INSERT INTO daily_sends (day, to_number) VALUES (@day, @to)')).toEqual({
      text: 'INSERT INTO daily_sends (day, to_number) VALUES ($1, $2) RETURNING id',
      names: ['day', 'to'],
      count: 2,
      returning: 'id',
    });
  });

  it('adds nothing to an INSERT into a table whose key is not generated', () => {
    expect(toPostgres('INSERT INTO contacts (number) VALUES (?)').text).toBe(
      'INSERT INTO contacts (number) VALUES ($1)',
    );
  });

  it('refuses a statement that mixes ? and @name, as better-sqlite3 cannot bind it either', () => {
    expect(() => toPostgres('SELECT * FROM t WHERE a = ? AND b = @b')).toThrow(/not both/);
  });

  it('refuses an unterminated quote rather than guess', () => {
    expect(() => toPostgres("SELECT 'open FROM t WHERE a = ?")).toThrow(/Unterminated/);
  });
});
