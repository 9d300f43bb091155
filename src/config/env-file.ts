import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

export const DEFAULT_ENV_FILE = '/opt/openclaw.env';

/** The env file the bridge and its local clients read: SMS_BRIDGE_ENV_FILE or the guide's. */
export function envFileOf(env: Record<string, string | undefined>): string {
  return env.SMS_BRIDGE_ENV_FILE ?? DEFAULT_ENV_FILE;
}

/**
 * The env file's values, parsed one way for the service, the CLI and the MCP server alike.
 * A missing or unreadable file (often root-only: systemd passes its values to the service)
 * reads as empty, and the process environment and defaults decide.
 */
export function readEnvFile(path: string): Record<string, string> {
  try {
    return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}
