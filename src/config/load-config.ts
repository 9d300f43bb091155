import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { AppConfig, loadAppConfig } from './app-config';
import { DEFAULT_ENV_FILE } from './config.module';

/**
 * The configuration outside Nest (the operator CLI): the env file the service reads,
 * when this user may read it, overlaid by the given environment, validated the same way.
 */
export function loadConfigFrom(env: Record<string, string | undefined> = process.env): AppConfig {
  const envFile = env.SMS_BRIDGE_ENV_FILE ?? DEFAULT_ENV_FILE;
  let fileValues: Record<string, string | undefined> = {};
  try {
    fileValues = parseEnv(readFileSync(envFile, 'utf8'));
  } catch {
    // Missing or root-only: the environment alone decides, as in the service.
  }
  return loadAppConfig({ ...fileValues, ...env }, envFile);
}
