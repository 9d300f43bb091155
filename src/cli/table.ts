import stringWidth from 'string-width';

/** The width a table keeps to when the terminal does not say: a classic 80-column terminal. */
export const DEFAULT_WIDTH = 80;
const GAP = '  ';
/** The flexible column never gets narrower than this, even if the line then runs over. */
const MIN_FLEX = 10;

/**
 * Characters a terminal acts on instead of showing: C0 and C1 controls (ESC starts escape
 * sequences that can rewrite the screen or the title, BEL rings), DEL, line and paragraph
 * separators, and the bidi controls that reorder what follows (U+202E shows "txt.exe" as
 * "exe.txt"), and the characters a terminal shows as nothing (zero-width space and
 * non-joiner, word joiner, BOM, soft hyphen, tag characters): what a text hides is shown.
 * The joiner and presentation selectors that emoji are made of stay. See
 * https://trojansource.codes and Unicode UAX #9.
 */
const UNPRINTABLE =
  // Each control and format character is listed alone on purpose, to escape it wherever it is.
  // eslint-disable-next-line no-control-regex, no-misleading-character-class
  /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b\u200c\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\u{e0000}-\u{e007f}]/gu;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Untrusted text made safe for a terminal: each control or bidi character shown as an escape. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => {
    const code = char.codePointAt(0)!;
    const hex = code.toString(16);
    return (
      NAMED[char] ??
      (code < 0x100
        ? `\\x${hex.padStart(2, '0')}`
        : code < 0x10000
          ? `\\u${hex.padStart(4, '0')}`
          : `\\u{${hex}}`)
    );
  });
}

export interface Column {
  key: string;
  header?: string;
  /** At most this wide; longer values are cut with "…". */
  max?: number;
  /** Takes the width the other columns leave (one per table: the text people wrote). */
  flex?: boolean;
  format?: (value: unknown) => string;
}

/** An ISO-8601 UTC time to the minute, as the tables show it ("2026-01-31 12:04"). */
export const minute = (value: unknown): string =>
  typeof value === 'string' ? value.slice(0, 16).replace('T', ' ') : '';

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return printable(typeof value === 'object' ? JSON.stringify(value) : `${value as string}`);
}

/**
 * Columns on a terminal, not code units: an emoji or a CJK character takes two, a combining
 * mark none. The text is already printable(), so no escape sequence is left to miscount.
 */
const length = (value: string) => stringWidth(value);

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Cut to `width` columns (never half an emoji or a letter and its accent), marking the cut. */
function fit(value: string, width: number): string {
  if (length(value) <= width) return value;
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(value)) {
    const next = length(segment);
    if (used + next > width - 1) break;
    kept += segment;
    used += next;
  }
  return `${kept}…`;
}

/**
 * A plain text table for people, `width` columns wide: fixed columns take what their values
 * need (up to `max`), the flex column the rest. `details` keys are shown under each row,
 * indented, when the row has them. `--json` has every value whole.
 */
export function renderTable(
  rows: Record<string, unknown>[],
  columns: Column[],
  { width = DEFAULT_WIDTH, details = [] }: { width?: number; details?: string[] } = {},
): string {
  if (rows.length === 0) return '(none)\n';
  const headers = columns.map((column) => column.header ?? column.key);
  const cells = rows.map((row) =>
    columns.map((column) =>
      column.format ? printable(column.format(row[column.key])) : text(row[column.key]),
    ),
  );
  const widths = columns.map((column, i) =>
    Math.min(
      column.max ?? Infinity,
      Math.max(...[headers[i], ...cells.map((line) => line[i])].map(length)),
    ),
  );
  const flex = columns.findIndex((column) => column.flex);
  if (flex >= 0) {
    const others = widths.reduce((sum, w, i) => (i === flex ? sum : sum + w), 0);
    const room = width - others - GAP.length * (columns.length - 1);
    widths[flex] = Math.min(widths[flex], Math.max(MIN_FLEX, length(headers[flex]), room));
  }
  const line = (values: string[]) =>
    values
      .map((value, i) => {
        const cut = fit(value, widths[i]);
        return cut + ' '.repeat(Math.max(0, widths[i] - length(cut)));
      })
      .join(GAP)
      .trimEnd();
  const out = [line(headers)];
  rows.forEach((row, r) => {
    out.push(line(cells[r]));
    for (const key of details) {
      const value = row[key];
      if (value === null || value === undefined || value === '') continue;
      if (Array.isArray(value) && value.length === 0) continue;
      out.push(fit(`    ${key}: ${text(value)}`, width));
    }
  });
  return out.join('\n') + '\n';
}

/** A nested object as `key  value` lines (`a.b` for nested keys, one line per list item). */
export function renderFields(value: unknown): string {
  const lines: [string, string][] = [];
  const walk = (node: unknown, prefix: string) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => lines.push([i === 0 ? prefix : '', text(item)]));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node))
        walk(child, prefix ? `${prefix}.${printable(key)}` : printable(key));
    } else {
      lines.push([prefix, text(node)]);
    }
  };
  walk(value, '');
  const width = Math.max(0, ...lines.map(([key]) => length(key)));
  return (
    lines
      .map(([key, value]) => `${key}${' '.repeat(width - length(key))}  ${value}`.trimEnd())
      .join('\n') + '\n'
  );
}

/** The rows of a list answer: its first array of objects. */
export function rowsOf(body: unknown): Record<string, unknown>[] {
  if (body && typeof body === 'object') {
    const list = Object.values(body).find(Array.isArray);
    if (list) return list as Record<string, unknown>[];
  }
  return [];
}
