import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ForwardTarget, parseForwardTarget } from './forward-target';
import { ConfigError } from './config.error';
import { defaultAllowedCountries, isKnownCountry } from '../common/phone-country';
import { EnvSchema } from './env.schema';

export type TwilioMode = 'twilio' | 'simulator';

export interface TwilioSettings {
  readonly accountSid: string;
  readonly authToken: string;
  /** The sending number; beside a Messaging Service it picks that number from the service's pool. */
  readonly phoneNumber?: string;
  /** Send through this Messaging Service (MG...) rather than from a bare number. */
  readonly messagingServiceSid?: string;
  /** Where Twilio posts delivery status for each send (StatusCallback); unset: no callbacks. */
  readonly statusCallbackUrl?: string;
  /** Where the SDK sends API calls; unset means Twilio itself. */
  readonly apiBaseUrl?: string;
  readonly timeoutMs: number;
  /** Sent as MaxPrice (USD) with every message when set. */
  readonly maxPrice?: string;
}

export interface SafetySettings {
  /** A number must be approved (or have texted first) before the first send to it. */
  readonly requireApproval: boolean;
  /** A number that texted the bridge first counts as known. */
  readonly trustInboundContacts: boolean;
  readonly dailyLimit: number;
  readonly dailyLimitPerRecipient: number;
  /** IANA name; the daily limits reset at midnight there. */
  readonly timeZone: string;
  readonly approvalMaxAgeHours: number;
  /** Approvals waiting at once; past it a new one is 429 too_many_pending_approvals. */
  readonly maxPendingApprovals: number;
  readonly sendRatePerMinute: number;
  readonly webhookRatePerMinute: number;
}

/** Bounds on PostgreSQL's round trips (SMS_DATABASE_*_MS); SQLite has its busy_timeout. */
export interface DatabaseTimeouts {
  readonly connectMs: number;
  /** Server side (statement_timeout), and on the client a little later, for a silent network. */
  readonly statementMs: number;
  readonly lockMs: number;
  readonly idleInTransactionMs: number;
  /** TCP keepalive: the first probe after this much silence. */
  readonly keepAliveMs: number;
}

/** Sends at a later time (POST /sms/send with sendAt). */
export interface ScheduleSettings {
  readonly maxDays: number;
  /** A send that fell due while the bridge was down goes out at boot unless this late. */
  readonly maxLateMinutes: number;
}

/** SMS_QUIET_HOURS: a window of the recipient's local day, in minutes after midnight. */
export interface QuietHoursSettings {
  readonly start: number;
  readonly end: number;
  readonly mode: 'defer' | 'refuse';
  /** A reply this soon after the recipient's own text goes out at once. */
  readonly replyMinutes: number;
}

/** Which sender Twilio is asked to use, as /health and the boot log show it. */
export interface SenderSettings {
  readonly kind: 'phone_number' | 'messaging_service';
  readonly phoneNumber: string | null;
  readonly messagingServiceSid: string | null;
}

/** Pushing inbound messages to a local agent hook (SMS_FORWARD_*); absent when not configured. */
export interface ForwardSettings {
  readonly target: ForwardTarget;
  /** signed: HMAC-SHA256 key. openclaw: OpenClaw's hooks.token, sent as the bearer. */
  readonly secret: string;
  readonly format: ForwardFormat;
  /** SMS_FORWARD_BEARER: signed only. */
  readonly bearer?: string;
  readonly openclaw: OpenClawHookSettings;
  readonly retryBaseMs: number;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  readonly pollMs: number;
}

export type ForwardFormat = 'signed' | 'openclaw';

/** How an OpenClaw hook turn is addressed (SMS_OPENCLAW_*). */
export interface OpenClawHookSettings {
  readonly agentId: string;
  /** Set: each correspondent is one persistent session, `<prefix><number>`. */
  readonly sessionPrefix?: string;
}

/** The operator's phones that are texted held sends and may decide them by reply. */
export interface OperatorTextSettings {
  readonly numbers: readonly string[];
  /** Texts a day to each of those numbers, so a looping agent cannot flood a phone. */
  readonly perDay: number;
}

/** The bridge's configuration, parsed and validated once at boot. Injected by class. */
export class AppConfig {
  readonly production!: boolean;
  readonly mode!: TwilioMode;
  readonly envFile!: string;
  readonly host!: string;
  readonly port!: number;
  readonly databasePath!: string;
  /** Set: PostgreSQL is the store (several bridges share it); unset: SQLite at databasePath. */
  readonly databaseUrl?: string;
  readonly databaseTimeouts!: DatabaseTimeouts;
  readonly auditLogPath!: string;
  /** Holds the operator's token: only its owner (the service user) and root can read it. */
  readonly operatorTokenFile!: string;
  /**
   * The bridge also listens here; the CLI sends the token only over it. Its directory is the
   * service user's, so no other user can put a listener there, as one can on a TCP port.
   */
  readonly operatorSocket!: string;
  /**
   * The public URL that stands for the bridge's `/` (https://yourdomain.com, or
   * https://yourdomain.com/api/sms behind Caddy handle_path); signatures are checked against it.
   */
  readonly publicBaseUrl?: string;
  /** Host names local routes answer to besides localhost, 127.0.0.1 and [::1]; lowercase. */
  readonly allowedHosts!: readonly string[];
  readonly twilio!: TwilioSettings;
  readonly sender!: SenderSettings;
  readonly simulatorPort!: number;
  readonly safety!: SafetySettings;
  readonly schedule!: ScheduleSettings;
  /** Absent when SMS_QUIET_HOURS is not set. */
  readonly quietHours?: QuietHoursSettings;
  /** Inbound texts delivered per `From` number per minute; the rest are stored suppressed. */
  readonly inboundPerSenderPerMinute!: number;
  /** ISO country codes outbound texts may go to (SMS pumping defence). */
  readonly allowedCountries!: readonly string[];
  readonly logLevel!: string;
  /** Readiness fails when the database's file system has less free space than this. */
  readonly minFreeDiskMb!: number;
  /** Messages older than this are pruned; unset keeps them forever. The audit log is never pruned. */
  readonly retentionDays?: number;
  /** How long SIGTERM waits for in-flight requests before cutting them off. */
  readonly shutdownTimeoutMs!: number;
  readonly forward?: ForwardSettings;
  /** Approval by text (SMS_OPERATOR_NUMBERS); absent when no operator number is set. */
  readonly operatorTexts?: OperatorTextSettings;

  constructor(values: AppConfig) {
    Object.assign(this, values);
  }
}

const CREDENTIALS = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'] as const;
const SENDERS = ['TWILIO_PHONE_NUMBER', 'TWILIO_MESSAGING_SERVICE_SID'] as const;

/** sun_path holds 108 bytes on Linux and 104 on macOS, the terminating NUL included. */
const MAX_SOCKET_PATH_BYTES = 103;

/** The number Twilio documents as a valid sender for test credentials. */
export const SIMULATOR_PHONE_NUMBER = '+15005550006';

/**
 * Validates the raw environment (the env file's values overlaid by the process env)
 * and turns it into an AppConfig. Throws ConfigError naming every bad variable.
 */
function isSafeApiOrigin(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

export function loadAppConfig(raw: Record<string, unknown>, envFile: string): AppConfig {
  // `KEY=` in an env file means "not set", not "set to nothing".
  const present = Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''),
  );
  const env = plainToInstance(EnvSchema, present);
  const where = `(set it in ${envFile} or the environment)`;
  // One problem per variable. class-validator lists a property's failed constraints from the
  // last decorator up, so the last one is the first written: the type check, which says the most.
  const problems = validateSync(env).map(
    (error) => `${error.property}: ${Object.values(error.constraints ?? {}).at(-1)} ${where}`,
  );

  const production = env.NODE_ENV === 'production';
  const missing = CREDENTIALS.filter((name) => env[name] === undefined);
  const anySet = [...CREDENTIALS, ...SENDERS].some((name) => env[name] !== undefined);
  if (production || anySet) {
    const why = production
      ? 'is required when NODE_ENV=production'
      : 'is required once any Twilio credential is set';
    problems.push(...missing.map((name) => `${name}: ${why} ${where}`));
    if (SENDERS.every((name) => env[name] === undefined)) {
      problems.push(`${SENDERS.join(' or ')}: one ${why} ${where}`);
    }
  }
  if (production && env.SMS_REQUIRE_APPROVAL === 'false') {
    problems.push(
      `SMS_REQUIRE_APPROVAL: false is refused when NODE_ENV=production; pre-approve numbers with POST /sms/contacts instead ${where}`,
    );
  }
  // The SDK sends the account's credentials to this origin in every request: in production
  // only over TLS, or to a Twilio-compatible endpoint on this machine.
  if (production && env.TWILIO_API_BASE_URL && !isSafeApiOrigin(env.TWILIO_API_BASE_URL)) {
    problems.push(
      `TWILIO_API_BASE_URL: must be an https URL or on this machine (127.0.0.1, localhost) when NODE_ENV=production, since the credentials are sent to it ${where}`,
    );
  }
  const allowedCountries = env.SMS_ALLOWED_COUNTRIES?.split(',').map((code) =>
    code.trim().toUpperCase(),
  );
  const unknown = allowedCountries?.filter((code) => !isKnownCountry(code)) ?? [];
  if (unknown.length > 0) {
    const are = unknown.length === 1 ? 'is not an ISO country code' : 'are not ISO country codes';
    problems.push(
      `SMS_ALLOWED_COUNTRIES: ${unknown.join(', ')} ${are} (ISO 3166-1 alpha-2: GB for the United Kingdom, US, UA, ...) ${where}`,
    );
  }
  const forwardTarget =
    env.SMS_FORWARD_URL === undefined
      ? undefined
      : parseForwardTarget(env.SMS_FORWARD_URL, env.SMS_FORWARD_ALLOW_REMOTE === 'true');
  if (typeof forwardTarget === 'string')
    problems.push(`SMS_FORWARD_URL: ${forwardTarget} ${where}`);
  if (forwardTarget !== undefined && env.SMS_FORWARD_SECRET === undefined) {
    const what = env.SMS_FORWARD_FORMAT === 'openclaw' ? "OpenClaw's hooks.token" : 'the HMAC key';
    problems.push(`SMS_FORWARD_SECRET: is required when SMS_FORWARD_URL is set (${what}) ${where}`);
  }
  if (env.SMS_FORWARD_FORMAT === 'openclaw' && env.SMS_FORWARD_BEARER !== undefined) {
    problems.push(
      `SMS_FORWARD_BEARER: is for SMS_FORWARD_FORMAT=signed; with openclaw the bearer is SMS_FORWARD_SECRET (hooks.token) ${where}`,
    );
  }
  const databasePath = resolve(env.SMS_DATABASE_PATH);
  if (env.SMS_DATABASE_URL === undefined && isFolder(databasePath)) {
    problems.push(
      `SMS_DATABASE_PATH: ${databasePath} is a folder; name the database file in it, such as ${join(databasePath, 'sms-bridge.db')} ${where}`,
    );
  }
  const operatorSocket = resolve(
    env.SMS_OPERATOR_SOCKET ?? join(dirname(databasePath), 'operator.sock'),
  );
  if (Buffer.byteLength(operatorSocket) > MAX_SOCKET_PATH_BYTES) {
    problems.push(
      `SMS_OPERATOR_SOCKET: ${operatorSocket} is longer than the ${MAX_SOCKET_PATH_BYTES} bytes a Unix socket path may have; choose a shorter path ${where}`,
    );
  }
  const quietHours = env.SMS_QUIET_HOURS?.split('-').map(minutesOfDay);
  if (quietHours && quietHours[0] === quietHours[1]) {
    problems.push(
      `SMS_QUIET_HOURS: must start and end at different times, such as 21:00-08:00 ${where}`,
    );
  }
  const operatorNumbers = env.SMS_OPERATOR_NUMBERS?.split(',').map((number) => number.trim());
  if (operatorNumbers?.includes(env.TWILIO_PHONE_NUMBER ?? SIMULATOR_PHONE_NUMBER)) {
    problems.push(
      `SMS_OPERATOR_NUMBERS: must not include the bridge's own number, which would text itself ${where}`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const mode: TwilioMode = anySet ? 'twilio' : 'simulator';
  const publicBaseUrl = env.SMS_PUBLIC_BASE_URL?.replace(/\/+$/, '');
  // Behind Caddy `handle /api/sms*` the base is the origin and the path is kept; behind
  // `handle_path /api/sms*` the base already ends in /api/sms and the bridge sees /status.
  const statusCallbackUrl = publicBaseUrl
    ? `${publicBaseUrl}${new URL(publicBaseUrl).pathname === '/' ? '/api/sms' : ''}/status`
    : undefined;
  return new AppConfig({
    production,
    mode,
    envFile,
    host: env.HOST,
    port: env.PORT,
    databasePath,
    databaseUrl: env.SMS_DATABASE_URL,
    databaseTimeouts: databaseTimeouts(env),
    auditLogPath: resolve(env.SMS_AUDIT_LOG_PATH ?? join(dirname(databasePath), 'audit.jsonl')),
    operatorTokenFile: resolve(
      env.SMS_OPERATOR_TOKEN_FILE ?? join(dirname(databasePath), 'operator.token'),
    ),
    operatorSocket,
    publicBaseUrl,
    allowedHosts: env.SMS_ALLOWED_HOSTS?.split(',').map((name) => name.trim().toLowerCase()) ?? [],
    simulatorPort: env.SMS_SIMULATOR_PORT,
    safety: {
      requireApproval: env.SMS_REQUIRE_APPROVAL === 'true',
      trustInboundContacts: env.SMS_TRUST_INBOUND_CONTACTS === 'true',
      dailyLimit: env.SMS_DAILY_LIMIT,
      dailyLimitPerRecipient: env.SMS_DAILY_LIMIT_PER_RECIPIENT,
      timeZone: env.SMS_TIMEZONE,
      approvalMaxAgeHours: env.SMS_APPROVAL_MAX_AGE_HOURS,
      maxPendingApprovals: env.SMS_MAX_PENDING_APPROVALS,
      sendRatePerMinute: env.SMS_SEND_RATE_PER_MINUTE,
      webhookRatePerMinute: env.SMS_WEBHOOK_RATE_PER_MINUTE,
    },
    schedule: {
      maxDays: env.SMS_SCHEDULE_MAX_DAYS,
      maxLateMinutes: env.SMS_SCHEDULE_MAX_LATE_MINUTES,
    },
    quietHours: quietHours && {
      start: quietHours[0],
      end: quietHours[1],
      mode: env.SMS_QUIET_HOURS_MODE as 'defer' | 'refuse',
      replyMinutes: env.SMS_QUIET_HOURS_REPLY_MINUTES,
    },
    sender: senderOf(mode === 'twilio' ? env : { TWILIO_PHONE_NUMBER: SIMULATOR_PHONE_NUMBER }),
    inboundPerSenderPerMinute: env.SMS_INBOUND_PER_SENDER_PER_MINUTE,
    allowedCountries:
      allowedCountries ??
      // A Messaging Service alone says nothing of a country: the US and Canada, as for +1.
      defaultAllowedCountries(env.TWILIO_PHONE_NUMBER ?? SIMULATOR_PHONE_NUMBER),
    logLevel: env.SMS_LOG_LEVEL,
    minFreeDiskMb: env.SMS_MIN_FREE_DISK_MB,
    retentionDays: env.SMS_RETENTION_DAYS,
    shutdownTimeoutMs: env.SMS_SHUTDOWN_TIMEOUT_MS,
    forward:
      typeof forwardTarget === 'object'
        ? {
            target: forwardTarget,
            secret: env.SMS_FORWARD_SECRET!,
            format: env.SMS_FORWARD_FORMAT,
            bearer: env.SMS_FORWARD_BEARER,
            openclaw: {
              agentId: env.SMS_OPENCLAW_AGENT_ID,
              sessionPrefix: env.SMS_OPENCLAW_SESSION_PREFIX,
            },
            retryBaseMs: env.SMS_FORWARD_RETRY_BASE_MS,
            maxAttempts: env.SMS_FORWARD_MAX_ATTEMPTS,
            timeoutMs: env.SMS_FORWARD_TIMEOUT_MS,
            pollMs: env.SMS_FORWARD_POLL_MS,
          }
        : undefined,
    operatorTexts: operatorNumbers && {
      numbers: [...new Set(operatorNumbers)],
      perDay: env.SMS_OPERATOR_NOTIFY_PER_DAY,
    },
    twilio:
      mode === 'twilio'
        ? {
            accountSid: env.TWILIO_ACCOUNT_SID!,
            authToken: env.TWILIO_AUTH_TOKEN!,
            phoneNumber: env.TWILIO_PHONE_NUMBER,
            messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
            statusCallbackUrl,
            apiBaseUrl: env.TWILIO_API_BASE_URL,
            timeoutMs: env.TWILIO_TIMEOUT_MS,
            maxPrice: env.SMS_MAX_PRICE,
          }
        : {
            // Fresh per boot: nothing real to protect, and nothing an operator could mistake for real.
            accountSid: `AC${randomBytes(16).toString('hex')}`,
            authToken: randomBytes(16).toString('hex'),
            phoneNumber: SIMULATOR_PHONE_NUMBER,
            // Without a public URL the simulator calls the bridge back directly, as the
            // built-in simulator delivers inbound texts, so delivery shows with no settings.
            statusCallbackUrl: statusCallbackUrl ?? `http://127.0.0.1:${env.PORT}/sms/status`,
            timeoutMs: env.TWILIO_TIMEOUT_MS,
            maxPrice: env.SMS_MAX_PRICE,
          },
  });
}

function minutesOfDay(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

function senderOf(env: Pick<EnvSchema, (typeof SENDERS)[number]>): SenderSettings {
  return {
    kind: env.TWILIO_MESSAGING_SERVICE_SID ? 'messaging_service' : 'phone_number',
    phoneNumber: env.TWILIO_PHONE_NUMBER ?? null,
    messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID ?? null,
  };
}

/** The SMS_DATABASE_*_MS settings of a parsed environment (its defaults, for a bare EnvSchema). */
export function databaseTimeouts(env: EnvSchema): DatabaseTimeouts {
  return {
    connectMs: env.SMS_DATABASE_CONNECT_TIMEOUT_MS,
    statementMs: env.SMS_DATABASE_STATEMENT_TIMEOUT_MS,
    lockMs: env.SMS_DATABASE_LOCK_TIMEOUT_MS,
    idleInTransactionMs: env.SMS_DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    keepAliveMs: env.SMS_DATABASE_KEEPALIVE_MS,
  };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
