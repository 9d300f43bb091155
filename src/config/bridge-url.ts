import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ConfigError } from './config.error';
import { envFileOf, readEnvFile } from './env-file';
import { EnvSchema } from './env.schema';

/** What a local client of the bridge needs to know; only these variables are checked. */
const CLIENT_VARIABLES = new Set(['HOST', 'PORT', 'SMS_BRIDGE_URL']);

/**
 * The bridge's local base URL, for its local clients (the operator CLI, the MCP server):
 * SMS_BRIDGE_URL, or http://HOST:PORT from the same env file and environment the bridge
 * reads. It does not need the Twilio credentials, so an agent's user that cannot read them
 * still gets it.
 */
export function loadBridgeUrl(env: Record<string, string | undefined> = process.env): string {
  const envFile = envFileOf(env);
  const present = Object.fromEntries(
    Object.entries({ ...readEnvFile(envFile), ...env }).filter(
      ([, value]) => value !== undefined && value !== '',
    ),
  );
  const parsed = plainToInstance(EnvSchema, present);
  const problems = validateSync(parsed)
    .filter((error) => CLIENT_VARIABLES.has(error.property))
    .map(
      (error) =>
        `${error.property}: ${Object.values(error.constraints ?? {}).join('; ')} (set it in ${envFile} or the environment)`,
    );
  if (problems.length > 0) throw new ConfigError(problems);
  if (parsed.SMS_BRIDGE_URL) return parsed.SMS_BRIDGE_URL.replace(/\/+$/, '');
  // A bridge listening on every interface is still reached on loopback, where the guard admits it.
  const host = parsed.HOST === '0.0.0.0' ? '127.0.0.1' : parsed.HOST === '::' ? '::1' : parsed.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${parsed.PORT}`;
}
