import { BridgeClient } from '../client/bridge-client';
import { BridgeError } from '../client/bridge-error';
import { BridgeUnreachableError } from '../client/bridge-unreachable-error';
import { VERSION } from '../common/version';
import { ConfigError } from '../config/config.error';
import { COMMON, Option, parse, Parsed } from './arguments';
import { CliError, EXIT, usageError } from './cli-error';
import type { Context } from './command';
import { COMMANDS, lookup } from './commands';
import { operatorClient } from './credentials';
import { commandHelp, usage } from './help';
import { DEFAULT_WIDTH, printable } from './table';

export { COMMANDS, EXIT };

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** The environment to read the config from; the process's own when unset. */
  env?: Record<string, string | undefined>;
  /** The terminal's width; tables keep to 80 columns without it. */
  columns?: number;
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

  // Validating the config loads class-validator: help and --version above answer without it.
  const { loadBridgeUrl } = await import('../config/bridge-url');
  const ctx: Context = {
    name,
    args,
    // The command's own options: the query of the list commands.
    options: Object.fromEntries(
      Object.entries(options).filter(([option]) => !COMMON.includes(option as Option)),
    ),
    json,
    width: io.columns ?? DEFAULT_WIDTH,
    client: BridgeClient.at(loadBridgeUrl(io.env)),
    operator: () => operatorClient(io.env, argv),
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
