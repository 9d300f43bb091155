const MAX_CELL = 60;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  const line = text.replace(/\s+/g, ' ');
  return line.length > MAX_CELL ? `${line.slice(0, MAX_CELL - 1)}…` : line;
}

/**
 * A plain text table for people: the given columns, or every key the rows have, in the
 * order they first appear. Long values are cut to one short line; `--json` has them whole.
 */
export function renderTable(rows: Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return '(none)\n';
  const keys = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const grid = [keys, ...rows.map((row) => keys.map((key) => cell(row[key])))];
  const widths = keys.map((_, i) => Math.max(...grid.map((line) => line[i].length)));
  return (
    grid
      .map((line) =>
        line
          .map((text, i) => text.padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** A nested object as `key  value` lines (`a.b` for nested keys, one line per list item). */
export function renderFields(value: unknown): string {
  const lines: [string, string][] = [];
  const walk = (node: unknown, prefix: string) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => lines.push([i === 0 ? prefix : '', String(item)]));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node))
        walk(child, prefix ? `${prefix}.${key}` : key);
    } else {
      lines.push([prefix, node === null || node === undefined ? '' : String(node)]);
    }
  };
  walk(value, '');
  const width = Math.max(0, ...lines.map(([key]) => key.length));
  return lines.map(([key, text]) => `${key.padEnd(width)}  ${text}`.trimEnd()).join('\n') + '\n';
}

/** The rows of a list answer: the body itself, or its first array of objects. */
export function rowsOf(body: unknown): Record<string, unknown>[] {
  if (Array.isArray(body)) return body as Record<string, unknown>[];
  if (body && typeof body === 'object') {
    const list = Object.values(body).find(Array.isArray);
    if (list) return list as Record<string, unknown>[];
  }
  return [];
}
