import { usageError } from '../cli-error';
import type { Command } from '../command';
import { APPROVAL_COMMANDS } from './approvals';
import { MESSAGE_COMMANDS } from './messages';
import { OPERATION_COMMANDS } from './operations';
import { SCHEDULED_COMMANDS } from './scheduled';

const {
  status,
  audit,
  limits,
  forward,
  backup,
  'operator-texts': operatorTexts,
} = OPERATION_COMMANDS;
const { inbox, outbox, thread, send } = MESSAGE_COMMANDS;

/** Every command, in the order `sms-bridge --help` lists them. */
export const COMMANDS: Record<string, Command> = {
  status,
  inbox,
  outbox,
  thread,
  'operator-texts': operatorTexts,
  send,
  ...APPROVAL_COMMANDS,
  ...SCHEDULED_COMMANDS,
  audit,
  limits,
  forward,
  backup,
  mcp: {
    usage: '',
    summary: "serve the bridge's tools to an agent over MCP (stdio)",
    details:
      'Register the absolute path of this command with the MCP client, with the\nargument mcp; see docs/AGENTS.md. It never needs the operator token.',
    run() {
      // main.ts serves `sms-bridge mcp` before the table commands are reached.
      return Promise.reject(usageError('sms-bridge mcp takes no options.'));
    },
  },
};

export function lookup(name: string): Command {
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw usageError(`Unknown command "${name}". Run sms-bridge --help.`);
  return command;
}
