import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, EXIT, usageError } from '../cli-error';
import { Command, need, stringOptions } from '../command';
import { MESSAGE_TIME, NUMBER, printPage } from '../print-page';
import { minute, printable, renderFields, renderTable, rowsOf } from '../table';

/** Running the bridge: readiness, the audit, the budget, the operator's texts, backups. */
export const OPERATION_COMMANDS: Record<string, Command> = {
  status: {
    usage: '',
    summary: 'readiness: database, disk, Twilio account',
    details: 'Exit status 1 when the bridge is not ready.',
    async run(ctx) {
      const { ready, answer } = await ctx.client.readiness();
      ctx.print(
        answer,
        () =>
          `sms-bridge at ${ctx.client.baseUrl}: ${printable(answer.status)} (${printable(answer.mode)})\n` +
          renderFields(answer.checks),
      );
      return ready ? EXIT.ok : EXIT.refused;
    },
  },
  'operator-texts': {
    usage: '[--before ID] [--limit N]',
    summary: "texts to and from the operator's phones, codes masked",
    details:
      'The approval notifications, YES/NO replies and confirmations of approval by\ntext (SMS_OPERATOR_NUMBERS), with what each did: over_cap, wrong_code, locked...',
    operator: true,
    options: ['before', 'limit'],
    async run(ctx) {
      const { before, limit } = stringOptions(ctx);
      const body = await (await ctx.operator()).operatorTexts({ before, limit });
      ctx.print(body, () =>
        renderTable(
          rowsOf(body),
          [
            MESSAGE_TIME,
            { key: 'number', ...NUMBER },
            { key: 'kind', max: 12 },
            { key: 'status', max: 11 },
            { key: 'body', flex: true },
          ],
          { width: ctx.width },
        ),
      );
      if (!ctx.json && body.hasMore && body.nextCursor != null) {
        ctx.hint(`Older texts: sms-bridge operator-texts --before ${String(body.nextCursor)}\n`);
      }
      return EXIT.ok;
    },
  },
  audit: {
    usage: '[--since T] [--after ID] [--limit N]',
    summary: 'the audit log (default: the last 24 hours)',
    details: '--after takes the nextCursor of the last page: the entries after it.',
    options: ['since', 'after', 'limit'],
    async run(ctx) {
      const { since, after, limit } = stringOptions(ctx);
      const body = await ctx.client.audit({ since, after, limit });
      printPage(
        ctx,
        body,
        [
          { key: 'at', header: 'time (UTC)', format: minute },
          { key: 'action', max: 16 },
          { key: 'phase' },
          { key: 'outcome', max: 10 },
          { key: 'recipient', ...NUMBER },
          { key: 'reason', flex: true },
        ],
        '--after',
      );
      return EXIT.ok;
    },
  },
  limits: {
    usage: '[--to NUMBER]',
    summary: 'daily send limits and what is used',
    details: 'With --to: the per-recipient budget of that number too.',
    options: ['to'],
    async run(ctx) {
      const body = await ctx.client.limits({ to: stringOptions(ctx).to });
      ctx.print(body, () => renderFields(body));
      return EXIT.ok;
    },
  },
  forward: {
    usage: 'retry',
    summary: 'retry pushes to the agent hook after a fix',
    details:
      'A hook that refuses the settings (OpenClaw: 400, 401, 403, 404, 413) halts the\npush; status shows why. Fix SMS_FORWARD_*, then retry: no restart needed.',
    operator: true,
    async run(ctx) {
      const [action] = need(ctx, this, 1);
      if (action !== 'retry') throw usageError('Usage: sms-bridge forward retry');
      const body = await (await ctx.operator()).retryForward();
      ctx.print(body, () =>
        body.lifted
          ? `Pushing again; the halt since ${printable(body.lifted.since)} is lifted.\n`
          : 'Pushing again; nothing was halted.\n',
      );
      return EXIT.ok;
    },
  },
  backup: {
    usage: 'FILE [--force]',
    summary: 'a consistent copy of the live database',
    details: 'The copy is checked before success is reported.\n--force replaces an existing FILE.',
    operator: true,
    options: ['force'],
    async run(ctx) {
      const file = resolve(need(ctx, this, 1)[0]);
      if (existsSync(file) && !ctx.options.force) {
        throw new CliError('file_exists', `${file} exists; pass --force to replace it.`);
      }
      const bytes = await (await ctx.operator()).backup(file);
      // SQLite's driver, loaded only by the one command that opens a database file.
      const { checkBackupFile } = await import('../../common/backup-file');
      const { integrity, schemaVersion } = checkBackupFile(file);
      const verified = `integrity ${integrity}; schema version ${schemaVersion}`;
      ctx.print(
        { file, bytes, verified },
        () => `Backup written to ${printable(file)} (${bytes} bytes): ${verified}\n`,
      );
      return EXIT.ok;
    },
  },
};
