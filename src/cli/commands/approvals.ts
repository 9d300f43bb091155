import { EXIT, usageError } from '../cli-error';
import { Command, need } from '../command';
import { NUMBER, printHeldList } from '../print-page';
import { minute, renderFields, renderTable, rowsOf } from '../table';

const decide = (decision: 'approve' | 'deny'): Command['run'] => {
  return async function (this: Command, ctx) {
    const [id] = need(ctx, this, 1);
    const body = await (await ctx.operator()).decide(id, decision);
    ctx.print(body, () => renderFields(body));
    return EXIT.ok;
  };
};

/** Who may be texted: the contacts, the held messages and requests, the operator's word on them. */
export const APPROVAL_COMMANDS: Record<string, Command> = {
  contacts: {
    usage: '',
    summary: 'known numbers and their state',
    async run(ctx) {
      const body = await ctx.client.contacts();
      ctx.print(body, () =>
        renderTable(
          rowsOf(body),
          [
            { key: 'number', ...NUMBER },
            { key: 'state' },
            { key: 'source' },
            { key: 'updatedAt', header: 'updated (UTC)', format: minute },
          ],
          { width: ctx.width },
        ),
      );
      return EXIT.ok;
    },
  },
  'approve-number': {
    usage: 'NUMBER',
    summary: 'pre-approve a number: sends to it are not held',
    operator: true,
    async run(ctx) {
      const [number] = need(ctx, this, 1);
      const body = await (await ctx.operator()).approveNumber(number);
      ctx.print(body, () => renderFields(body));
      return EXIT.ok;
    },
  },
  approvals: {
    usage: '[--status S] | show ID',
    summary: 'held messages and requests (default: pending)',
    details:
      "S is pending (the default), approved, denied, expired, or all. Under each one:\nthe agent's reason, the held text and its media, when there are any.\nshow ID prints one approval whole: the text a phone notification only began.",
    options: ['status'],
    async run(ctx) {
      if (ctx.args.length > 0) {
        const [show, id] = ctx.args;
        if (show !== 'show' || !id) throw usageError('Usage: sms-bridge approvals show ID');
        const body = await ctx.client.approval(id);
        ctx.print(body, () => renderFields(body));
        return EXIT.ok;
      }
      const wanted = (ctx.options.status as string | undefined) ?? 'pending';
      const body = await ctx.client.approvals({ status: wanted === 'all' ? undefined : wanted });
      printHeldList(ctx, body, { key: 'createdAt', header: 'asked (UTC)', format: minute }, [
        'reason',
        'body',
        'mediaUrl',
      ]);
      return EXIT.ok;
    },
  },
  approve: {
    usage: 'ID',
    summary: 'approve a held message: it is sent',
    details: 'The number is approved too: later sends to it go straight out.',
    operator: true,
    run: decide('approve'),
  },
  deny: {
    usage: 'ID',
    summary: 'deny a held message and its number',
    details: 'Later sends to the number are refused (contact_denied) until it is approved\nagain.',
    operator: true,
    run: decide('deny'),
  },
};
