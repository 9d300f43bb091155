import { runCli } from '../../src/cli/cli';
import type { TestApp } from './test-app';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A running bridge: a TestApp, or just a port (where nothing, or an impostor, listens). */
export type Target = TestApp | number;

/**
 * Runs the CLI as the operator would, against the bridge over real HTTP. Given the TestApp
 * it has the bridge's database path, so it finds the operator token and socket beside the
 * database as `sudo sms-bridge` does on a server.
 */
export async function cliWith(
  target: Target,
  env: Record<string, string>,
  ...argv: string[]
): Promise<CliResult> {
  const port = typeof target === 'number' ? target : Number(new URL(target.url).port);
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      SMS_BRIDGE_ENV_FILE: '/nonexistent/env',
      SMS_DATABASE_PATH: typeof target === 'number' ? undefined : target.env.SMS_DATABASE_PATH,
      ...env,
    },
  });
  return { code, stdout, stderr };
}

export const cli = (target: Target, ...argv: string[]) => cliWith(target, {}, ...argv);
