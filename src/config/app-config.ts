import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ForwardTarget, parseForwardTarget } from '../forward/forward-target';
import { ConfigError } from './config.error';
import { EnvSchema } from './env.schema';

export type TwilioMode = 'twilio' | 'simulator';

export interface TwilioSettings {
  readonly accountSid: string;
  readonly authToken: string;
  readonly phoneNumber: string;
  /** Where the SDK sends API calls; unset means Twilio itself. */
  readonly apiBaseUrl?: string;
  readonly timeoutMs: number;
}

/** Pushing inbound messages to a local agent hook (SMS_FORWARD_*); absent when not configured. */
export interface ForwardSettings {
  readonly target: ForwardTarget;
  readonly secret: string;
  readonly retryBaseMs: number;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  readonly pollMs: number;
}

/** The bridge's configuration, parsed and validated once at boot. Injected by class. */
export class AppConfig {
  readonly production!: boolean;
  readonly mode!: TwilioMode;
  readonly envFile!: string;
  readonly host!: string;
  readonly port!: number;
  readonly databasePath!: string;
  readonly auditLogPath!: string;
  /** The https origin Twilio calls (e.g. https://yourdomain.com); signatures are checked against it. */
  readonly publicBaseUrl?: string;
  readonly twilio!: TwilioSettings;
  readonly simulatorPort!: number;
  readonly forward?: ForwardSettings;

  constructor(values: AppConfig) {
    Object.assign(this, values);
  }
}

const CREDENTIALS = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_PHONE_NUMBER'] as const;

/** The number Twilio documents as a valid sender for test credentials. */
export const SIMULATOR_PHONE_NUMBER = '+15005550006';

/**
 * Validates the raw environment (the env file's values overlaid by the process env)
 * and turns it into an AppConfig. Throws ConfigError naming every bad variable.
 */
export function loadAppConfig(raw: Record<string, unknown>, envFile: string): AppConfig {
  // `KEY=` in an env file means "not set", not "set to nothing".
  const present = Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''),
  );
  const env = plainToInstance(EnvSchema, present);
  const where = `(set it in ${envFile} or the environment)`;
  const problems = validateSync(env).map(
    (error) => `${error.property}: ${Object.values(error.constraints ?? {}).join('; ')} ${where}`,
  );

  const production = env.NODE_ENV === 'production';
  const missing = CREDENTIALS.filter((name) => env[name] === undefined);
  if (missing.length > 0 && (production || missing.length < CREDENTIALS.length)) {
    const why = production
      ? 'is required when NODE_ENV=production'
      : 'is required once any Twilio credential is set';
    problems.push(...missing.map((name) => `${name}: ${why} ${where}`));
  }
  const forwardTarget =
    env.SMS_FORWARD_URL === undefined
      ? undefined
      : parseForwardTarget(env.SMS_FORWARD_URL, env.SMS_FORWARD_ALLOW_REMOTE === 'true');
  if (typeof forwardTarget === 'string')
    problems.push(`SMS_FORWARD_URL: ${forwardTarget} ${where}`);
  if (forwardTarget !== undefined && env.SMS_FORWARD_SECRET === undefined) {
    problems.push(`SMS_FORWARD_SECRET: is required when SMS_FORWARD_URL is set ${where}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const mode: TwilioMode = missing.length === 0 ? 'twilio' : 'simulator';
  const databasePath = resolve(env.SMS_DATABASE_PATH);
  return new AppConfig({
    production,
    mode,
    envFile,
    host: env.HOST,
    port: env.PORT,
    databasePath,
    auditLogPath: resolve(env.SMS_AUDIT_LOG_PATH ?? join(dirname(databasePath), 'audit.jsonl')),
    publicBaseUrl: env.SMS_PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    simulatorPort: env.SMS_SIMULATOR_PORT,
    forward:
      typeof forwardTarget === 'object'
        ? {
            target: forwardTarget,
            secret: env.SMS_FORWARD_SECRET!,
            retryBaseMs: env.SMS_FORWARD_RETRY_BASE_MS,
            maxAttempts: env.SMS_FORWARD_MAX_ATTEMPTS,
            timeoutMs: env.SMS_FORWARD_TIMEOUT_MS,
            pollMs: env.SMS_FORWARD_POLL_MS,
          }
        : undefined,
    twilio:
      mode === 'twilio'
        ? {
            accountSid: env.TWILIO_ACCOUNT_SID!,
            authToken: env.TWILIO_AUTH_TOKEN!,
            phoneNumber: env.TWILIO_PHONE_NUMBER!,
            apiBaseUrl: env.TWILIO_API_BASE_URL,
            timeoutMs: env.TWILIO_TIMEOUT_MS,
          }
        : {
            // Fresh per boot: nothing real to protect, and nothing an operator could mistake for real.
            accountSid: `AC${randomBytes(16).toString('hex')}`,
            authToken: randomBytes(16).toString('hex'),
            phoneNumber: SIMULATOR_PHONE_NUMBER,
            timeoutMs: env.TWILIO_TIMEOUT_MS,
          },
  });
}
