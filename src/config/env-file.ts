import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

export const DEFAULT_ENV_FILE = '/opt/openclaw.env';

/** The env file the bridge and its local clients read: SMS_BRIDGE_ENV_FILE or the guide's. */
export function envFileOf(env: Record<string, string | undefined>): string {
  return env.SMS_BRIDGE_ENV_FILE ?? DEFAULT_ENV_FILE;
}

/**
 * Editors on Windows save a UTF-8 BOM; parseEnv would read it as part of the first name,
 * and the first variable would silently not be set.
 */
export function parseEnvText(text: string): Record<string, string> {
  return parseEnv(text.replace(/^\uFEFF/, '')) as Record<string, string>;
}

/**
 * The env file's values, parsed one way for the service, the CLI and the MCP server alike.
 * For the clients a missing or unreadable file (often root-only: systemd passes its values
 * to the service) reads as empty, and the process environment and defaults decide.
 */
export function readEnvFile(path: string): Record<string, string> {
  try {
    return parseEnvText(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
}
