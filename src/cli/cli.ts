import { existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BridgeClient } from '../common/bridge-client';
import { BridgeError } from '../common/bridge-error';
import { BridgeUnreachableError } from '../common/bridge-unreachable-error';
import { VERSION } from '../common/version';
import type { AppConfig } from '../config/app-config';
import { loadBridgeUrl } from '../config/bridge-url';
import { ConfigError } from '../config/config.error';
import { loadConfigFrom } from '../config/load-config';
import {
  Column,
  DEFAULT_WIDTH,
  minute,
  printable,
  renderFields,
  renderTable,
  rowsOf,
} from './table';
import { checkBackupFile } from '../storage/backup-file';

export const EXIT = { ok: 0, refused: 1, usage: 2, down: 3 } as const;

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** The environment to read the config from; the process's own when unset. */
  env?: Record<string, string | undefined>;
  /** The terminal's width; tables keep to 80 columns without it. */
  columns?: number;
}

/** A failure the CLI finds on its own, with a stable code as the bridge's refusals have. */
class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exit: number = EXIT.usage,
  ) {
    super(message);
  }
}

const usageError = (message: string) => new CliError('invalid_usage', message);

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean' },
  version: { type: 'boolean' },
  force: { type: 'boolean' },
  since: { type: 'string' },
  after: { type: 'string' },
  limit: { type: 'string' },
  before: { type: 'string' },
  status: { type: 'string' },
  to: { type: 'string' },
} as const;
type Option = keyof typeof OPTIONS;
/** Every command takes these. */
const COMMON: Option[] = ['json', 'help', 'version'];

interface Context {
  name: string;
  args: string[];
  options: Partial<Record<Option, string | boolean>>;
  json: boolean;
  width: number;
  /** The local API over TCP, for everything but the operator's decisions. */
  client: BridgeClient;
  /** The operator socket and the token's header: for the decisions only. */
  operator: () => { client: BridgeClient; headers: Record<string, string> };
  out(text: string): void;
  /** A word to the person at the terminal, kept out of stdout (scripts read that). */
  hint(text: string): void;
  /** The bridge's JSON answer under --json, `human()` otherwise. */
  print(body: unknown, human: () => string): void;
}

interface Command {
  /** Arguments and options, after the command's name. */
  usage: string;
  summary: string;
  /** More, for `sms-bridge help COMMAND`. */
  details?: string;
  operator?: boolean;
  options?: Option[];
  run(ctx: Context): Promise<number>;
}

const MESSAGE_TIME: Column = { key: 'createdAt', header: 'time (UTC)', format: minute };
const NUMBER = { max: 16 };

/** Prints a page of a list, and how to get the next one when the bridge has more. */
function printPage(
  ctx: Context,
  body: Record<string, unknown>,
  columns: Column[],
  cursorFlag: '--since' | '--after',
  details?: string[],
): void {
  ctx.print(body, () => renderTable(rowsOf(body), columns, { width: ctx.width, details }));
  if (ctx.json || !body.hasMore || body.nextCursor == null) return;
  const kept = Object.entries(ctx.options)
    .filter(([name, value]) => typeof value === 'string' && !['since', 'after'].includes(name))
    .map(([name, value]) => ` --${name} ${String(value)}`)
    .join('');
  ctx.hint(
    `More to see: sms-bridge ${ctx.name}${kept} ${cursorFlag} ${printable(`${body.nextCursor as string}`)}\n`,
  );
}

function need(ctx: Context, count: number): string[] {
  if (ctx.args.length < count) {
    throw usageError(`Usage: sms-bridge ${ctx.name} ${COMMANDS[ctx.name].usage}`);
  }
  return ctx.args;
}

const decide = (decision: 'approve' | 'deny'): Command['run'] => {
  return async (ctx) => {
    const [id] = need(ctx, 1);
    const { client, headers } = ctx.operator();
    const { body } = await client.request(
      'POST',
      `/sms/approvals/${encodeURIComponent(id)}/${decision}`,
      { headers },
    );
    ctx.print(body, () => renderFields(body));
    return EXIT.ok;
  };
};

export const COMMANDS: Record<string, Command> = {
  status: {
    usage: '',
    summary: 'readiness: database, disk, Twilio account',
    details: 'Exit status 1 when the bridge is not ready.',
    async run(ctx) {
      const { status, body } = await ctx.client.request<{
        status: string;
        mode: string;
        checks: unknown;
      }>('GET', '/health/ready', { answers: [503] });
      ctx.print(
        body,
        () =>
          `sms-bridge at ${ctx.client.baseUrl}: ${printable(body.status)} (${printable(body.mode)})\n` +
          renderFields(body.checks),
      );
      return status === 200 ? EXIT.ok : EXIT.refused;
    },
  },
  inbox: {
    usage: '[--since T] [--limit N]',
    summary: 'texts received, oldest first',
    details:
      'Without --since: the newest N (default 100, at most 500). --since takes an\nISO-8601 time or a message sid: what arrived after it.',
    options: ['since', 'limit'],
    async run(ctx) {
      const { since, limit } = ctx.options as Record<string, string | undefined>;
      const { body } = await ctx.client.request('GET', '/sms/inbox', { query: { since, limit } });
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
      const { body } = await ctx.client.request('GET', '/sms/outbox', {
        query: ctx.options as Record<string, string | undefined>,
      });
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
      const [number] = need(ctx, 1);
      const { before, limit } = ctx.options as Record<string, string | undefined>;
      const { body } = await ctx.client.request(
        'GET',
        `/sms/conversations/${encodeURIComponent(number)}`,
        { query: { before, limit } },
      );
      const rows = (body.messages as Record<string, unknown>[]).map((message) => ({
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
  'operator-texts': {
    usage: '[--before ID] [--limit N]',
    summary: "texts to and from the operator's phones, codes masked",
    details:
      'The approval notifications, YES/NO replies and confirmations of approval by\ntext (SMS_OPERATOR_NUMBERS), with what each did: over_cap, wrong_code, locked...',
    operator: true,
    options: ['before', 'limit'],
    async run(ctx) {
      const { client, headers } = ctx.operator();
      const { before, limit } = ctx.options as Record<string, string | undefined>;
      const { body } = await client.request('GET', '/sms/operator-texts', {
        query: { before, limit },
        headers,
      });
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
        ctx.hint(`Older texts: sms-bridge operator-texts --before ${body.nextCursor as string}\n`);
      }
      return EXIT.ok;
    },
  },
  send: {
    usage: 'TO BODY...',
    summary: 'send a text (it may be held for approval)',
    details: 'The words after TO are joined with spaces into the text.',
    async run(ctx) {
      const [to, ...words] = need(ctx, 2);
      const { body } = await ctx.client.request('POST', '/sms/send', {
        body: { to, body: words.join(' ') },
      });
      ctx.print(body, () => renderFields(body));
      return EXIT.ok;
    },
  },
  contacts: {
    usage: '',
    summary: 'known numbers and their state',
    async run(ctx) {
      const { body } = await ctx.client.request('GET', '/sms/contacts');
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
      const [number] = need(ctx, 1);
      const { client, headers } = ctx.operator();
      const { body } = await client.request('POST', '/sms/contacts', {
        body: { number },
        headers,
      });
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
        if (show !== 'show' || !id) throw usageError(`Usage: sms-bridge approvals show ID`);
        const { body } = await ctx.client.request(
          'GET',
          `/sms/approvals/${encodeURIComponent(id)}`,
        );
        ctx.print(body, () => renderFields(body));
        return EXIT.ok;
      }
      const wanted = (ctx.options.status as string | undefined) ?? 'pending';
      const { body } = await ctx.client.request('GET', '/sms/approvals', {
        query: { status: wanted === 'all' ? undefined : wanted },
      });
      ctx.print(body, () =>
        renderTable(
          rowsOf(body),
          [
            { key: 'id' },
            { key: 'to', ...NUMBER },
            { key: 'status' },
            { key: 'createdAt', header: 'asked (UTC)', format: minute },
          ],
          { width: ctx.width, details: ['reason', 'body', 'mediaUrl'] },
        ),
      );
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
  scheduled: {
    usage: '[--status S]',
    summary: 'texts scheduled for later, soonest first',
    details:
      'S is scheduled, awaiting_approval, sending, sent, refused, failed, unknown,\ncancelled or expired; all by default. Under each one: the text, and the\ncode that refused it.',
    options: ['status'],
    async run(ctx) {
      const { body } = await ctx.client.request('GET', '/sms/scheduled', {
        query: { status: ctx.options.status as string | undefined },
      });
      ctx.print(body, () =>
        renderTable(
          rowsOf(body),
          [
            { key: 'id' },
            { key: 'to', ...NUMBER },
            { key: 'status' },
            { key: 'sendAt', header: 'send at (UTC)', format: minute },
          ],
          { width: ctx.width, details: ['body', 'reason', 'errorCode'] },
        ),
      );
      return EXIT.ok;
    },
  },
  cancel: {
    usage: 'ID',
    summary: 'cancel a text scheduled for later',
    details: 'Refused (scheduled_send_already_sent) once it went out.',
    async run(ctx) {
      const [id] = need(ctx, 1);
      const { body } = await ctx.client.request(
        'DELETE',
        `/sms/scheduled/${encodeURIComponent(id)}`,
      );
      ctx.print(body, () => renderFields(body));
      return EXIT.ok;
    },
  },
  audit: {
    usage: '[--since T] [--after ID] [--limit N]',
    summary: 'the audit log (default: the last 24 hours)',
    details: '--after takes the nextCursor of the last page: the entries after it.',
    options: ['since', 'after', 'limit'],
    async run(ctx) {
      const { body } = await ctx.client.request('GET', '/sms/audit', {
        query: ctx.options as Record<string, string | undefined>,
      });
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
      const { body } = await ctx.client.request('GET', '/sms/limits', {
        query: { to: ctx.options.to as string | undefined },
      });
      ctx.print(body, () => renderFields(body));
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
      const file = resolve(need(ctx, 1)[0]);
      if (existsSync(file) && !ctx.options.force) {
        throw new CliError('file_exists', `${file} exists; pass --force to replace it.`);
      }
      const { client, headers } = ctx.operator();
      const bytes = await client.download('/sms/backup', file, headers);
      const { integrity, schemaVersion } = checkBackupFile(file);
      const verified = `integrity ${integrity}; schema version ${schemaVersion}`;
      ctx.print(
        { file, bytes, verified },
        () => `Backup written to ${printable(file)} (${bytes} bytes): ${verified}\n`,
      );
      return EXIT.ok;
    },
  },
  mcp: {
    usage: '',
    summary: "serve the bridge's tools to an agent over MCP (stdio)",
    details:
      'Register the absolute path of this command with the MCP client, with the\nargument mcp; see the README. It never needs the operator token.',
    run() {
      // main.ts serves `sms-bridge mcp` before the table commands are reached.
      return Promise.reject(usageError('sms-bridge mcp takes no options.'));
    },
  },
};

function usage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, command]) =>
      `  ${command.operator ? '*' : ' '} ${name.padEnd(width)}  ${command.summary}`,
  );
  return `Usage: sms-bridge COMMAND [options]
       sms-bridge help COMMAND, or COMMAND --help: its arguments and options

Talks to the running bridge over its local API: SMS_BRIDGE_URL, or HOST and PORT
from /opt/openclaw.env (SMS_BRIDGE_ENV_FILE names another) or the environment.

Commands:
${lines.join('\n')}

* The operator's: they read the operator token (SMS_OPERATOR_TOKEN_FILE), which
  only the service user and root can read: run them with sudo. They send it only
  over the bridge's Unix socket (SMS_OPERATOR_SOCKET), never to a TCP port.

Options:
  --json     the bridge's JSON answer instead of a table; a failure is printed
             on stdout as {"error":{"code","message"}}, with the exit status
  --help     this text
  --version  the version of this CLI

Exit status: 0 done, 1 the bridge refused or is not ready, 2 usage or
configuration error, 3 the bridge is not running or not reachable.
`;
}

function commandHelp(name: string): string {
  const command = COMMANDS[name];
  const operator = command.operator
    ? "\nThe operator's: run it as the service user or root (sudo). It sends the token\nto the bridge over its Unix socket only.\n"
    : '';
  return (
    `Usage: sms-bridge ${name} ${command.usage}`.trimEnd() +
    `\n\n${command.summary[0].toUpperCase()}${command.summary.slice(1)}.\n${command.details ? `${command.details}\n` : ''}${operator}\n--json prints the bridge's JSON answer instead.\n`
  );
}

function lookup(name: string): Command {
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw usageError(`Unknown command "${name}". Run sms-bridge --help.`);
  return command;
}

/**
 * The operator's token, from the file the bridge wrote at boot, and its owner: the user the
 * bridge runs as. Read before anything is asked: without it the bridge would only refuse.
 */
function readOperatorToken(config: AppConfig, argv: string[]): { token: string; owner: number } {
  const file = config.operatorTokenFile;
  try {
    return { token: readFileSync(file, 'utf8').trim(), owner: statSync(file).uid };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `${file} does not exist: the bridge creates it when it starts; is SMS_DATABASE_PATH (or SMS_OPERATOR_TOKEN_FILE) the service's?`
        : `${file} cannot be read (${code ?? (error as Error).message})`;
    throw new CliError(
      'operator_token_unreadable',
      `This command needs the operator token, and ${why}\nRun as the service user or root: sudo sms-bridge ${argv.join(' ')}`,
    );
  }
}

/**
 * The token goes only to a socket that the token's owner (the bridge's user) made, in a
 * directory no one else can write: no other user can then have put a listener there.
 */
function trustedSocket(path: string, owner: number): void {
  const dir = dirname(path);
  let socket;
  let folder;
  try {
    socket = lstatSync(path);
    folder = statSync(dir);
  } catch (error) {
    throw new BridgeUnreachableError(`unix:${path}`, (error as NodeJS.ErrnoException).code ?? '');
  }
  const refuse = (why: string) =>
    new CliError('operator_socket_untrusted', `Not sending the operator token to ${path}: ${why}.`);
  if (!socket.isSocket() || socket.uid !== owner) {
    throw refuse(
      `it is not a socket of uid ${owner}, who owns the token file; is SMS_OPERATOR_SOCKET the service's?`,
    );
  }
  if ((folder.uid !== owner && folder.uid !== 0) || (folder.mode & 0o022) !== 0) {
    throw refuse(
      `other users can write ${dir}, so anyone could have put it there: chmod 700 ${dir}`,
    );
  }
}

interface Parsed {
  name: string | undefined;
  args: string[];
  options: Partial<Record<Option, string | boolean>>;
}

function parse(argv: string[]): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: OPTIONS,
    });
    const [name, ...args] = positionals;
    return { name, args, options: values };
  } catch (error) {
    throw usageError(`${(error as Error).message}. Run sms-bridge --help.`);
  }
}

async function dispatch(parsed: Parsed, io: CliIo, argv: string[]): Promise<number> {
  const { name, args, options } = parsed;
  const json = options.json === true;
  const out = (text: string) => io.stdout.write(text);
  if (options.version) {
    out(json ? `${JSON.stringify({ version: VERSION })}\n` : `sms-bridge ${VERSION}\n`);
    return EXIT.ok;
  }
  if (name === undefined) {
    out(usage());
    return options.help ? EXIT.ok : EXIT.usage;
  }
  if (name === 'help') {
    if (args[0] !== undefined) lookup(args[0]);
    out(args[0] === undefined ? usage() : commandHelp(args[0]));
    return EXIT.ok;
  }
  const command = lookup(name);
  if (options.help) {
    out(commandHelp(name));
    return EXIT.ok;
  }
  const allowed = new Set([...COMMON, ...(command.options ?? [])]);
  const stray = Object.keys(options).find((option) => !allowed.has(option as Option));
  if (stray) {
    throw usageError(`${name} does not take --${stray}. Run sms-bridge help ${name}.`);
  }

  const env = io.env;
  const client = new BridgeClient(loadBridgeUrl(env));
  const ctx: Context = {
    name,
    args,
    // The command's own options: the query of the list commands.
    options: Object.fromEntries(
      Object.entries(options).filter(([option]) => !COMMON.includes(option as Option)),
    ),
    json,
    width: io.columns ?? DEFAULT_WIDTH,
    client,
    operator: () => {
      const config = loadConfigFrom(env);
      const { token, owner } = readOperatorToken(config, argv);
      trustedSocket(config.operatorSocket, owner);
      return {
        client: BridgeClient.overSocket(config.operatorSocket),
        headers: { Authorization: `Bearer ${token}` },
      };
    },
    out,
    hint: (text) => io.stderr.write(text),
    print: (body, human) => out(json ? `${JSON.stringify(body, null, 2)}\n` : human()),
  };
  return command.run(ctx);
}

/** Runs one CLI command; returns the exit status. Never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // Known before parsing, so that a malformed command line is answered in JSON too.
  const json = argv.includes('--json');
  const fail = (exit: number, code: string, message: string, details = {}) => {
    if (json) {
      io.stdout.write(`${JSON.stringify({ error: { code, message, ...details } }, null, 2)}\n`);
    } else {
      io.stderr.write(`sms-bridge: ${message.split('\n').map(printable).join('\n')}\n`);
    }
    return exit;
  };
  try {
    return await dispatch(parse(argv), io, argv);
  } catch (error) {
    if (error instanceof CliError) return fail(error.exit, error.code, error.message);
    if (error instanceof ConfigError) return fail(EXIT.usage, 'invalid_config', error.message);
    if (error instanceof BridgeUnreachableError) {
      // An operator at a terminal gets the journal too, where the agent's sentence stops short.
      return fail(
        EXIT.down,
        error.code,
        json
          ? error.message
          : `The bridge is not answering at ${error.baseUrl} (${error.reason}).\nIs it running? Check: systemctl status sms-bridge; journalctl -u sms-bridge -n 50`,
      );
    }
    if (error instanceof BridgeError) {
      const message = json ? error.message : `${error.message} (${error.code})`;
      return fail(EXIT.refused, error.code, message, error.details);
    }
    return fail(EXIT.refused, 'cli_failed', (error as Error).message);
  }
}
