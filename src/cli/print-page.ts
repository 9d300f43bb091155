import type { Context } from './command';
import { Column, minute, printable, renderTable, rowsOf } from './table';

export const MESSAGE_TIME: Column = { key: 'createdAt', header: 'time (UTC)', format: minute };
export const NUMBER = { max: 16 };

/** Prints a page of a list, and how to get the next one when the bridge has more. */
export function printPage(
  ctx: Context,
  body: Record<string, unknown>,
  columns: Column[],
  cursorFlag: '--since' | '--after',
): void {
  ctx.print(body, () => renderTable(rowsOf(body), columns, { width: ctx.width }));
  if (ctx.json || !body.hasMore || body.nextCursor == null) return;
  const kept = Object.entries(ctx.options)
    .filter(([name, value]) => typeof value === 'string' && !['since', 'after'].includes(name))
    .map(([name, value]) => ` --${name} ${String(value)}`)
    .join('');
  ctx.hint(
    `More to see: sms-bridge ${ctx.name}${kept} ${cursorFlag} ${printable(`${body.nextCursor as string}`)}\n`,
  );
}

/**
 * A list of held or scheduled texts: id, recipient, status and one time per row, with the
 * text and why under each (`details`).
 */
export function printHeldList(
  ctx: Context,
  body: Record<string, unknown>,
  time: Column,
  details: string[],
): void {
  ctx.print(body, () =>
    renderTable(rowsOf(body), [{ key: 'id' }, { key: 'to', ...NUMBER }, { key: 'status' }, time], {
      width: ctx.width,
      details,
    }),
  );
}
