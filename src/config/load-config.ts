import { AppConfig, loadAppConfig } from './app-config';
import { envFileOf, readEnvFile } from './env-file';

/**
 * The configuration outside Nest (the operator CLI): the env file the service reads,
 * when this user may read it, overlaid by the given environment, validated the same way.
 */
export function loadConfigFrom(env: Record<string, string | undefined> = process.env): AppConfig {
  const envFile = envFileOf(env);
  return loadAppConfig({ ...readEnvFile(envFile), ...env }, envFile);
}
