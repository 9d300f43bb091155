import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { BridgeClient } from '../common/bridge-client';
import { BridgeError } from '../common/bridge-error';
import { BridgeUnreachableError } from '../common/bridge-unreachable-error';
import type { AppConfig } from '../config/app-config';
import { loadBridgeUrl } from '../config/bridge-url';
import { ConfigError } from '../config/config.error';
import { loadConfigFrom } from '../config/load-config';
import { renderFields, renderTable, rowsOf } from './table';

export const EXIT = { ok: 0, refused: 1, usage: 2, down: 3 } as const;

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** The environment to read the config from; the process's own when unset. */
  env?: Record<string, string | undefined>;
}

const USAGE = `Usage: sms-bridge <command> [options]

Talks to the running bridge over its local HTTP API (SMS_BRIDGE_URL, or HOST and PORT from
/opt/openclaw.env or the environment; SMS_BRIDGE_ENV_FILE names another env file).

Commands:
  status                      readiness: database, disk, Twilio account (exit 1 if not ready)
  inbox [--since T] [--limit N]
  outbox [--since T] [--limit N] [--status S] [--to NUMBER]
  send TO BODY...             send a text (it may be held for approval)
  contacts                    known numbers and their state
  approve-number NUMBER       pre-approve a number: sends to it are no longer held
  approvals                   messages held for approval
  approve ID | deny ID        decide a held message
  audit [--since T] [--limit N]   the audit log (default: the last 24 hours)
  limits                      daily send limits and usage
  backup FILE [--force]       a consistent copy of the live database
  mcp                         serve the bridge's tools to an agent over MCP (stdio)

approve-number, approve, deny and backup are the operator's: they send the operator token
(SMS_OPERATOR_TOKEN_FILE, default operator.token beside the database), which only the
service user and root can read: run them with sudo.

Options:
  --json    print the bridge's JSON answer instead of a table
  --help    this text

Exit status: 0 done, 1 the bridge refused or is not ready, 2 usage or config error,
3 the bridge is not running or not reachable.
`;

const MESSAGE_COLUMNS = ['createdAt', 'from', 'to', 'status', 'body', 'sid'];
const AUDIT_COLUMNS = [
  'at',
  'action',
  'phase',
  'outcome',
  'reason',
  'recipient',
  'body',
  'requestId',
];

interface Parsed {
  command: string | undefined;
  args: string[];
  json: boolean;
  force: boolean;
  query: Record<string, string | undefined>;
}

function parse(argv: string[]): Parsed {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      since: { type: 'string' },
      limit: { type: 'string' },
      status: { type: 'string' },
      to: { type: 'string' },
    },
  });
  const [command, ...args] = positionals;
  return {
    command: values.help ? 'help' : command,
    args,
    json: values.json,
    force: values.force,
    query: { since: values.since, limit: values.limit, status: values.status, to: values.to },
  };
}

class UsageError extends Error {}

/**
 * The operator's Authorization header, from the token file the bridge wrote at boot. Read
 * before the request is made: without it the bridge would only refuse (and audit) it.
 */
function operatorHeaders(config: AppConfig, argv: string[]): Record<string, string> {
  const file = config.operatorTokenFile;
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `${file} does not exist: the bridge creates it when it starts; is SMS_DATABASE_PATH (or SMS_OPERATOR_TOKEN_FILE) the service's?`
        : `${file} cannot be read (${code ?? (error as Error).message})`;
    throw new UsageError(
      `This command needs the operator token, and ${why}\nRun as the service user or root: sudo sms-bridge ${argv.join(' ')}`,
    );
  }
  return { Authorization: `Bearer ${token}` };
}

function need(args: string[], count: number, usage: string): string[] {
  if (args.length < count) throw new UsageError(`Usage: sms-bridge ${usage}`);
  return args;
}

/** Checks a backup file the way a restore would use it, and says what it holds. */
function verifyBackup(file: string): string {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const check = db.pragma('quick_check', { simple: true });
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return `integrity ${String(check)}; ${count('inbound_messages')} inbound, ${count('outbound_messages')} outbound messages, ${count('audit_log')} audit entries`;
  } finally {
    db.close();
  }
}

async function run(
  parsed: Parsed,
  client: BridgeClient,
  io: CliIo,
  operator: () => Record<string, string>,
): Promise<number> {
  const out = (text: string) => io.stdout.write(text);
  const print = (body: unknown, human: () => string) =>
    out(parsed.json ? JSON.stringify(body, null, 2) + '\n' : human());
  const { args, query } = parsed;

  switch (parsed.command) {
    case 'status': {
      const { status, body } = await client.request<{
        status: string;
        mode: string;
        checks: unknown;
      }>('GET', '/health/ready', { answers: [503] });
      print(
        body,
        () =>
          `sms-bridge at ${client.baseUrl}: ${body.status} (${body.mode})\n` +
          renderFields(body.checks),
      );
      return status === 200 ? EXIT.ok : EXIT.refused;
    }
    case 'inbox':
    case 'outbox': {
      const { body } = await client.request('GET', `/sms/${parsed.command}`, { query });
      print(body, () => renderTable(rowsOf(body), MESSAGE_COLUMNS));
      return EXIT.ok;
    }
    case 'send': {
      const [to, ...words] = need(args, 2, 'send TO BODY...');
      const { body } = await client.request('POST', '/sms/send', {
        body: { to, body: words.join(' ') },
      });
      print(body, () => renderFields(body));
      return EXIT.ok;
    }
    case 'approve-number': {
      const [number] = need(args, 1, 'approve-number NUMBER');
      const { body } = await client.request('POST', '/sms/contacts', {
        body: { number },
        headers: operator(),
      });
      print(body, () => renderFields(body));
      return EXIT.ok;
    }
    case 'contacts':
    case 'approvals': {
      const { body } = await client.request('GET', `/sms/${parsed.command}`);
      print(body, () => renderTable(rowsOf(body)));
      return EXIT.ok;
    }
    case 'approve':
    case 'deny': {
      const [id] = need(args, 1, `${parsed.command} ID`);
      const { body } = await client.request(
        'POST',
        `/sms/approvals/${encodeURIComponent(id)}/${parsed.command}`,
        { headers: operator() },
      );
      print(body, () => renderFields(body));
      return EXIT.ok;
    }
    case 'audit': {
      const { body } = await client.request('GET', '/sms/audit', {
        query: { since: query.since, limit: query.limit },
      });
      print(body, () => renderTable(rowsOf(body), AUDIT_COLUMNS));
      return EXIT.ok;
    }
    case 'limits': {
      const { body } = await client.request('GET', '/sms/limits');
      print(body, () => renderFields(body));
      return EXIT.ok;
    }
    case 'backup': {
      const file = resolve(need(args, 1, 'backup FILE [--force]')[0]);
      if (existsSync(file) && !parsed.force) {
        throw new UsageError(`${file} exists; pass --force to replace it.`);
      }
      const bytes = await client.download('/sms/backup', file, operator());
      const verified = verifyBackup(file);
      print(
        { file, bytes, verified },
        () => `Backup written to ${file} (${bytes} bytes): ${verified}\n`,
      );
      return EXIT.ok;
    }
    case undefined:
    case 'help':
      out(USAGE);
      return parsed.command ? EXIT.ok : EXIT.usage;
    default:
      throw new UsageError(`Unknown command "${parsed.command}". Run sms-bridge --help.`);
  }
}

/** Runs one CLI command; returns the exit status. Never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const fail = (code: number, message: string) => {
    io.stderr.write(`sms-bridge: ${message}\n`);
    return code;
  };
  let parsed: Parsed;
  let config: AppConfig;
  let client: BridgeClient;
  try {
    parsed = parse(argv);
    config = loadConfigFrom(io.env);
    client = new BridgeClient(loadBridgeUrl(io.env));
  } catch (error) {
    return fail(
      EXIT.usage,
      error instanceof ConfigError ? error.message : (error as Error).message,
    );
  }
  try {
    return await run(parsed, client, io, () => operatorHeaders(config, argv));
  } catch (error) {
    if (error instanceof UsageError) return fail(EXIT.usage, error.message);
    // An operator at a terminal gets the journal too, where the agent's sentence stops short.
    if (error instanceof BridgeUnreachableError) {
      return fail(
        EXIT.down,
        `The bridge is not answering at ${error.baseUrl} (${error.reason}).\nIs it running? Check: systemctl status sms-bridge; journalctl -u sms-bridge -n 50`,
      );
    }
    if (error instanceof BridgeError) return fail(EXIT.refused, `${error.message} (${error.code})`);
    return fail(EXIT.refused, (error as Error).message);
  }
}
