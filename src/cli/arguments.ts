import { parseArgs } from 'node:util';
import { usageError } from './cli-error';

export const OPTIONS = {
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
  'send-at': { type: 'string' },
} as const;
export type Option = keyof typeof OPTIONS;
/** Every command takes these. */
export const COMMON: Option[] = ['json', 'help', 'version'];

export interface Parsed {
  name: string | undefined;
  args: string[];
  options: Partial<Record<Option, string | boolean>>;
}

export function parse(argv: string[]): Parsed {
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
