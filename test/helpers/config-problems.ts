import { loadAppConfig } from '../../src/config/app-config';
import { ConfigError } from '../../src/config/config.error';

/** The problems loadAppConfig finds in `raw`, one line each; empty when it is valid. */
export function configProblems(
  raw: Record<string, string>,
  envFile = '/opt/openclaw.env',
): string[] {
  try {
    loadAppConfig(raw, envFile);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
