/**
 * Statement text written for better-sqlite3 (`?` and `@name` parameters), in PostgreSQL's
 * form (`$1`, `$2`): each `?` takes the next number; each name keeps the number of its first
 * use, so `@to IS NULL OR to_number = @to` binds one value twice, as SQLite does.
 */
export interface PostgresStatementText {
  text: string;
  /** The parameter names in order of their numbers; empty for a positional statement. */
  names: string[];
  /** How many parameters the statement takes. */
  count: number;
  /** The generated key an INSERT returns (see GENERATED_KEYS). */
  returning?: string;
}

/**
 * The tables whose key the database generates, and its column: an INSERT into one of them
 * returns the key, which stands for SQLite's lastInsertRowid.
 */
const GENERATED_KEYS: Record<string, string> = {
  inbound_messages: 'seq',
  outbound_messages: 'seq',
  outbound_status_history: 'id',
  audit_log: 'id',
  daily_sends: 'id',
  operator_texts: 'id',
  throttle_hits: 'id',
};

export function toPostgres(sql: string): PostgresStatementText {
  const names: string[] = [];
  let positional = 0;
  let text = '';
  for (let i = 0; i < sql.length; i++) {
    const char = sql[i];
    if (char === "'" || char === '"') {
      // Quoted text or identifier, copied as is ('' and "" escape the quote).
      const end = closingQuote(sql, i);
      text += sql.slice(i, end + 1);
      i = end;
    } else if (char === '?') {
      text += `$${++positional}`;
    } else if (char === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))![0];
      if (!names.includes(name)) names.push(name);
      text += `$${names.indexOf(name) + 1}`;
      i += name.length;
    } else {
      text += char;
    }
  }
  if (positional > 0 && names.length > 0) {
    throw new Error('A statement takes either ? or @name parameters, not both');
  }
  const count = positional || names.length;
  const insert = /^\s*INSERT\s+INTO\s+([a-z_]+)/i.exec(text);
  const returning = insert ? GENERATED_KEYS[insert[1]] : undefined;
  if (!returning || /\bRETURNING\b/i.test(text)) return { text, names, count };
  return { text: `${text.trimEnd()} RETURNING ${returning}`, names, count, returning };
}

function closingQuote(sql: string, start: number): number {
  const quote = sql[start];
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] !== quote) continue;
    if (sql[i + 1] === quote) i++;
    else return i;
  }
  throw new Error(`Unterminated ${quote} in SQL: ${sql}`);
}
