import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { getMetadataStorage } from 'class-validator';
import { BootFailure } from './boot-failure';
import { AppConfig, loadAppConfig } from './app-config';
import { envFileOf, parseEnvText } from './env-file';
import { EnvSchema } from './env.schema';

/** What the service says about its env file once its logger is up. */
export interface EnvFileNotice {
  level: 'warn' | 'debug';
  message: string;
}

export interface ServiceEnvFile {
  values: Record<string, string>;
  notices: EnvFileNotice[];
}

/** Every variable the bridge reads, from the schema's decorators. */
export const KNOWN_VARIABLES: readonly string[] = [
  ...new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(EnvSchema, '', true, false)
      .map((metadata) => metadata.propertyName),
  ),
  'SMS_BRIDGE_ENV_FILE',
];

/**
 * Variables that say nothing about whether systemd passed the env file in: the unit pins
 * NODE_ENV on its command line, and a shell often has it set.
 */
const NOT_FROM_THE_FILE = new Set(['NODE_ENV', 'SMS_BRIDGE_ENV_FILE']);

/**
 * The env file as the service reads it. Unlike the clients, the service refuses to start
 * when the file exists but this user cannot read it and nothing suggests systemd already
 * passed its settings in (EnvironmentFile= reads it as root): booting without them would
 * fall back to the simulator, or say "required" of variables the file does set.
 */
export function readServiceEnvFile(
  path: string,
  env: Record<string, string | undefined>,
): ServiceEnvFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') return { values: {}, notices: [] };
    const passedIn = KNOWN_VARIABLES.some(
      (name) => !NOT_FROM_THE_FILE.has(name) && env[name] !== undefined,
    );
    if (!passedIn) {
      throw new BootFailure(
        `cannot read ${path} as user ${userInfo().username}: permission denied`,
      );
    }
    const message = `${path} is not readable by this user; its settings are taken from the environment (systemd's EnvironmentFile=)`;
    return { values: {}, notices: [{ level: 'debug', message }] };
  }
  const values = parseEnvText(text);
  return { values, notices: misspellings(Object.keys(values), env, path) };
}

/** The service's configuration: its env file (read as the service reads it) under `env`. */
export function loadServiceConfig(env: Record<string, string | undefined> = process.env): {
  config: AppConfig;
  notices: EnvFileNotice[];
} {
  const envFile = envFileOf(env);
  const file = readServiceEnvFile(envFile, env);
  return { config: loadAppConfig({ ...file.values, ...env }, envFile), notices: file.notices };
}

/**
 * A warning for each name that looks like a known variable but is not one: a typo would
 * otherwise leave the setting at its default without a word. In the process environment
 * only the bridge's prefixes count: the rest of it belongs to other programs.
 */
function misspellings(
  fileNames: string[],
  env: Record<string, string | undefined>,
  path: string,
): EnvFileNotice[] {
  const envNames = Object.keys(env).filter((name) => /^(SMS|TWILIO)_/.test(name));
  const notices: EnvFileNotice[] = [];
  for (const [names, where] of [
    [fileNames, path],
    [envNames, 'the environment'],
  ] as const) {
    for (const name of names) {
      if (KNOWN_VARIABLES.includes(name)) continue;
      const guess = closestVariable(name);
      if (guess) {
        notices.push({
          level: 'warn',
          message: `${name} in ${where} is not a setting of the bridge: did you mean ${guess}?`,
        });
      }
    }
  }
  return notices;
}

/** The known variable at most a few edits away from `name`, if there is one. */
export function closestVariable(name: string): string | undefined {
  const limit = name.length < 10 ? 1 : name.length < 16 ? 2 : 3;
  let best: { name: string; distance: number } | undefined;
  for (const known of KNOWN_VARIABLES) {
    const distance = editDistance(name.toUpperCase(), known);
    if (distance <= limit && (!best || distance < best.distance)) best = { name: known, distance };
  }
  return best?.name;
}

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const rows = [Array.from({ length: b.length + 1 }, (_, index) => index)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j], rows[i - 2][j - 2] + 1);
      }
    }
    rows.push(row);
  }
  return rows[a.length][b.length];
}
