import { EXIT } from '../cli-error';
import { Command, need } from '../command';
import { printHeldList } from '../print-page';
import { minute, renderFields } from '../table';

/** Texts for later: what waits, and taking one back. */
export const SCHEDULED_COMMANDS: Record<string, Command> = {
  scheduled: {
    usage: '[--status S]',
    summary: 'texts scheduled for later, soonest first',
    details:
      'S is scheduled, awaiting_approval, sending, sent, refused, failed, unknown,\ncancelled or expired; all by default. Under each one: the text, and the\ncode that refused it.',
    options: ['status'],
    async run(ctx) {
      const body = await ctx.client.scheduled({ status: ctx.options.status as string | undefined });
      printHeldList(ctx, body, { key: 'sendAt', header: 'send at (UTC)', format: minute }, [
        'body',
        'reason',
        'errorCode',
      ]);
      return EXIT.ok;
    },
  },
  cancel: {
    usage: 'ID',
    summary: 'cancel a text scheduled for later',
    details: 'Refused (scheduled_send_already_sent) once it went out.',
    async run(ctx) {
      const [id] = need(ctx, this, 1);
      const body = await ctx.client.cancelScheduled(id);
      ctx.print(body, () => renderFields(body));
      return EXIT.ok;
    },
  },
};
