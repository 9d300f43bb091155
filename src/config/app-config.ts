import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ConfigError } from './config.error';
import { defaultAllowedCountries, KNOWN_COUNTRIES } from '../common/phone-country';
import { EnvSchema } from './env.schema';

export type TwilioMode = 'twilio' | 'simulator';

export interface TwilioSettings {
  readonly accountSid: string;
  readonly authToken: string;
  readonly phoneNumber: string;
  /** Where the SDK sends API calls; unset means Twilio itself. */
  readonly apiBaseUrl?: string;
  readonly timeoutMs: number;
  /** Sent as MaxPrice (USD) with every message when set. */
  readonly maxPrice?: string;
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
  /**
   * The public URL that stands for the bridge's `/` (https://yourdomain.com, or
   * https://yourdomain.com/api/sms behind Caddy handle_path); signatures are checked against it.
   */
  readonly publicBaseUrl?: string;
  readonly twilio!: TwilioSettings;
  readonly simulatorPort!: number;
  /** Inbound texts delivered per `From` number per minute; the rest are stored suppressed. */
  readonly inboundPerSenderPerMinute!: number;
  /** ISO country codes outbound texts may go to (SMS pumping defence). */
  readonly allowedCountries!: readonly string[];

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
  const allowedCountries = env.SMS_ALLOWED_COUNTRIES?.split(',').map((code) =>
    code.trim().toUpperCase(),
  );
  const unknown = allowedCountries?.filter((code) => !KNOWN_COUNTRIES.has(code)) ?? [];
  if (unknown.length > 0) {
    problems.push(
      `SMS_ALLOWED_COUNTRIES: ${unknown.join(', ')} is not a country the bridge can place from a number's prefix; known: ${[...KNOWN_COUNTRIES].sort().join(',')} ${where}`,
    );
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
    inboundPerSenderPerMinute: env.SMS_INBOUND_PER_SENDER_PER_MINUTE,
    allowedCountries:
      allowedCountries ??
      defaultAllowedCountries(env.TWILIO_PHONE_NUMBER ?? SIMULATOR_PHONE_NUMBER),
    twilio:
      mode === 'twilio'
        ? {
            accountSid: env.TWILIO_ACCOUNT_SID!,
            authToken: env.TWILIO_AUTH_TOKEN!,
            phoneNumber: env.TWILIO_PHONE_NUMBER!,
            apiBaseUrl: env.TWILIO_API_BASE_URL,
            timeoutMs: env.TWILIO_TIMEOUT_MS,
            maxPrice: env.SMS_MAX_PRICE,
          }
        : {
            // Fresh per boot: nothing real to protect, and nothing an operator could mistake for real.
            accountSid: `AC${randomBytes(16).toString('hex')}`,
            authToken: randomBytes(16).toString('hex'),
            phoneNumber: SIMULATOR_PHONE_NUMBER,
            timeoutMs: env.TWILIO_TIMEOUT_MS,
            maxPrice: env.SMS_MAX_PRICE,
          },
  });
}
