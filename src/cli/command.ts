import type { BridgeClient } from '../client/bridge-client';
import type { Option } from './arguments';
import { usageError } from './cli-error';

export interface Context {
  name: string;
  args: string[];
  options: Partial<Record<Option, string | boolean>>;
  json: boolean;
  width: number;
  /** The local API over TCP, for everything but the operator's decisions. */
  client: BridgeClient;
  /** The operator socket with the token: for the decisions only. */
  operator(): Promise<BridgeClient>;
  out(text: string): void;
  /** A word to the person at the terminal, kept out of stdout (scripts read that). */
  hint(text: string): void;
  /** The bridge's JSON answer under --json, `human()` otherwise. */
  print(body: unknown, human: () => string): void;
}

export interface Command {
  /** Arguments and options, after the command's name. */
  usage: string;
  summary: string;
  /** More, for `sms-bridge help COMMAND`. */
  details?: string;
  operator?: boolean;
  options?: Option[];
  run(ctx: Context): Promise<number>;
}

/** The command's arguments, at least `count` of them. */
export function need(ctx: Context, command: Command, count: number): string[] {
  if (ctx.args.length < count) {
    throw usageError(`Usage: sms-bridge ${ctx.name} ${command.usage}`);
  }
  return ctx.args;
}

/** The command's string options (the list routes' query). */
export const stringOptions = (ctx: Context) => ctx.options as Record<string, string | undefined>;
