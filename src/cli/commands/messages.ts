import { EXIT } from '../cli-error';
import { Command, need, stringOptions } from '../command';
import { MESSAGE_TIME, NUMBER, printPage } from '../print-page';
import { printable, renderFields, renderTable } from '../table';

/** The agent's texts: what came in, what went out, one conversation, a new one. */
export const MESSAGE_COMMANDS: Record<string, Command> = {
  inbox: {
    usage: '[--since T] [--limit N]',
    summary: 'texts received, oldest first',
    details:
      'Without --since: the newest N (default 100, at most 500). --since takes an\nISO-8601 time or a message sid: what arrived after it.',
    options: ['since', 'limit'],
    async run(ctx) {
      const { since, limit } = stringOptions(ctx);
      const body = await ctx.client.inbox({ since, limit });
      printPage(
        ctx,
        body,
        [MESSAGE_TIME, { key: 'from', ...NUMBER }, { key: 'body', flex: true }],
        '--since',
      );
      return EXIT.ok;
    },
  },
  outbox: {
    usage: '[--since T] [--limit N] [--status S] [--to NUMBER]',
    summary: 'texts sent: delivery status, Twilio error code',
    details:
      'S is a delivery status: queued, sending, sent, delivered, undelivered, failed.\nThe error column is the Twilio error code of a text that did not arrive.',
    options: ['since', 'limit', 'status', 'to'],
    async run(ctx) {
      const { since, limit, status, to } = stringOptions(ctx);
      const body = await ctx.client.outbox({ since, limit, status, to });
      printPage(
        ctx,
        body,
        [
          MESSAGE_TIME,
          { key: 'to', ...NUMBER },
          { key: 'status', max: 11 },
          { key: 'errorCode', header: 'error', max: 5 },
          { key: 'body', flex: true },
        ],
        '--since',
      );
      return EXIT.ok;
    },
  },
  thread: {
    usage: 'NUMBER [--before CURSOR] [--limit N]',
    summary: 'the conversation with one number, both directions',
    details:
      'Oldest first, with the delivery status of what was sent; "held" waits for\nthe operator. --before takes the cursor the last page printed: older messages.',
    options: ['before', 'limit'],
    async run(ctx) {
      const [number] = need(ctx, this, 1);
      const { before, limit } = stringOptions(ctx);
      const body = await ctx.client.conversation(number, { before, limit });
      const rows = body.messages.map((message) => ({
        ...message,
        way: message.direction === 'inbound' ? '<-' : '->',
      }));
      ctx.print(body, () =>
        renderTable(
          rows,
          [
            MESSAGE_TIME,
            { key: 'way', header: '', max: 2 },
            { key: 'status', max: 11 },
            { key: 'body', flex: true },
          ],
          { width: ctx.width },
        ),
      );
      if (!ctx.json && body.hasMore && typeof body.nextCursor === 'string') {
        ctx.hint(
          `Older messages: sms-bridge thread ${printable(number)} --before ${printable(body.nextCursor)}\n`,
        );
      }
      return EXIT.ok;
    },
  },
  send: {
    usage: 'TO BODY... [--send-at TIME]',
    summary: 'send a text (it may be held for approval)',
    details:
      "The words after TO are joined with spaces into the text. --send-at sends it\nlater: an ISO-8601 time with a UTC offset (2026-12-01T09:00:00-05:00), as the\nAPI's sendAt; cancel it with sms-bridge cancel ID.",
    options: ['send-at'],
    async run(ctx) {
      const [to, ...words] = need(ctx, this, 2);
      const body = await ctx.client.send({
        to,
        body: words.join(' '),
        sendAt: stringOptions(ctx)['send-at'],
      });
      ctx.print(body, () => renderFields(body));
      return EXIT.ok;
    },
  },
};
