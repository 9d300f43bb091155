// The decorators below read design types; this file must work without Nest having loaded it.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { E164_PATTERN } from '../common/e164';

/** How far ahead a send may be scheduled unless SMS_SCHEDULE_MAX_DAYS says otherwise. */
export const DEFAULT_SCHEDULE_MAX_DAYS = 30;

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST = `(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9A-Fa-f:.]+\\])`;
const HOST_LIST = new RegExp(`^\\s*${HOST}(?:\\s*,\\s*${HOST})*\\s*$`);

/**
 * The environment as the operator writes it (/opt/openclaw.env or the process env).
 * Messages never interpolate the value: a bad TWILIO_AUTH_TOKEN must not end up in a log.
 */
export class EnvSchema {
  @IsIn(['development', 'production', 'test'], {
    message: 'must be one of development, production, test',
  })
  NODE_ENV: string = 'development';

  @IsOptional()
  @Matches(/^AC[0-9a-f]{32}$/, { message: 'must be "AC" followed by 32 lowercase hex characters' })
  TWILIO_ACCOUNT_SID?: string;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'looks truncated: a Twilio auth token is 32 characters' })
  TWILIO_AUTH_TOKEN?: string;

  @IsOptional()
  @Matches(E164_PATTERN, { message: 'must be an E.164 number such as +12025551234' })
  TWILIO_PHONE_NUMBER?: string;

  /** A Messaging Service (A2P 10DLC campaigns send through one) as the sender. */
  @IsOptional()
  @Matches(/^MG[0-9a-f]{32}$/, {
    message: 'must be "MG" followed by 32 lowercase hex characters',
  })
  TWILIO_MESSAGING_SERVICE_SID?: string;

  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'must be an http(s) URL such as http://127.0.0.1:3033' },
  )
  TWILIO_API_BASE_URL?: string;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100, { message: 'must be at least 100 ms' })
  @Max(120_000, { message: 'must be at most 120000 ms' })
  TWILIO_TIMEOUT_MS: number = 10_000;

  @Type(() => Number)
  @IsInt({ message: 'must be a port number' })
  @Min(0, { message: 'must be a port number from 0 to 65535' })
  @Max(65535, { message: 'must be a port number from 0 to 65535' })
  PORT: number = 3032;

  @IsString()
  HOST: string = '127.0.0.1';

  /** With SMS_DATABASE_URL, only the directory counts: the audit file, socket and token go there. */
  @IsString()
  SMS_DATABASE_PATH: string = 'data/sms-bridge.db';

  /** PostgreSQL shared by several bridges (postgres://user:password@host/db); unset: SQLite. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'must be a PostgreSQL connection URL such as postgres://sms:secret@db.internal/sms',
  })
  SMS_DATABASE_URL?: string;

  // Bounds on every PostgreSQL round trip, so that a stalled server or network is a fast
  // 503 storage_unavailable, never a frozen bridge. SQLite keeps its own busy_timeout.
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100, { message: 'must be at least 100 ms' })
  @Max(60_000, { message: 'must be at most 60000 ms' })
  SMS_DATABASE_CONNECT_TIMEOUT_MS: number = 5000;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100, { message: 'must be at least 100 ms' })
  @Max(60_000, { message: 'must be at most 60000 ms' })
  SMS_DATABASE_STATEMENT_TIMEOUT_MS: number = 5000;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100, { message: 'must be at least 100 ms' })
  @Max(60_000, { message: 'must be at most 60000 ms' })
  SMS_DATABASE_LOCK_TIMEOUT_MS: number = 2000;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1000, { message: 'must be at least 1000 ms' })
  @Max(600_000, { message: 'must be at most 600000 ms' })
  SMS_DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: number = 10_000;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1000, { message: 'must be at least 1000 ms' })
  @Max(600_000, { message: 'must be at most 600000 ms' })
  SMS_DATABASE_KEEPALIVE_MS: number = 10_000;

  @IsOptional()
  @IsString()
  SMS_AUDIT_LOG_PATH?: string;

  /** The operator's secret for decisions (approve, deny, pre-approve, backup); created if missing. */
  @IsOptional()
  @IsString()
  SMS_OPERATOR_TOKEN_FILE?: string;

  /** The Unix socket the operator CLI speaks over, so the token never goes to a TCP port. */
  @IsOptional()
  @IsString()
  SMS_OPERATOR_SOCKET?: string;

  /** The public URL that stands for the bridge's `/`; a path is kept (Caddy handle_path). */
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'must be the public URL Twilio calls, such as https://yourdomain.com' },
  )
  @Matches(/^[^?#]*$/, {
    message: 'must not have a query or fragment: put a query in the Twilio console URL only',
  })
  SMS_PUBLIC_BASE_URL?: string;

  /** More Host names local routes answer to, besides localhost, 127.0.0.1 and [::1]. */
  @IsOptional()
  @Matches(HOST_LIST, {
    message:
      'must be comma-separated host names without a scheme or port, such as sms-bridge.lan,box.local',
  })
  SMS_ALLOWED_HOSTS?: string;

  @Type(() => Number)
  @IsInt({ message: 'must be a port number' })
  @Min(0, { message: 'must be a port number from 0 to 65535' })
  @Max(65535, { message: 'must be a port number from 0 to 65535' })
  SMS_SIMULATOR_PORT: number = 3033;

  // Safety rails (docs/SAFETY.md). Booleans are the words true or false.
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  SMS_REQUIRE_APPROVAL: string = 'true';

  @IsIn(['true', 'false'], { message: 'must be true or false' })
  SMS_TRUST_INBOUND_CONTACTS: string = 'true';

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of messages' })
  @Min(0, { message: 'must be 0 or more' })
  SMS_DAILY_LIMIT: number = 100;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of messages' })
  @Min(0, { message: 'must be 0 or more' })
  SMS_DAILY_LIMIT_PER_RECIPIENT: number = 20;

  @IsTimeZone({ message: 'must be an IANA time zone such as UTC or America/New_York' })
  SMS_TIMEZONE: string = 'UTC';

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of days' })
  @Min(1, { message: 'must be from 1 to 365 days' })
  @Max(365, { message: 'must be from 1 to 365 days' })
  SMS_SCHEDULE_MAX_DAYS: number = DEFAULT_SCHEDULE_MAX_DAYS;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of minutes' })
  @Min(0, { message: 'must be 0 or more minutes' })
  SMS_SCHEDULE_MAX_LATE_MINUTES: number = 60;

  @IsOptional()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, {
    message: 'must be a window of local times such as 21:00-08:00',
  })
  SMS_QUIET_HOURS?: string;

  @IsIn(['defer', 'refuse'], { message: 'must be defer or refuse' })
  SMS_QUIET_HOURS_MODE: string = 'defer';

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of minutes' })
  @Min(0, { message: 'must be 0 or more minutes' })
  SMS_QUIET_HOURS_REPLY_MINUTES: number = 15;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of hours' })
  @Min(1, { message: 'must be from 1 to 720 hours' })
  @Max(720, { message: 'must be from 1 to 720 hours' })
  SMS_APPROVAL_MAX_AGE_HOURS: number = 24;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of approvals' })
  @Min(1, { message: 'must be from 1 to 1000 approvals' })
  @Max(1000, { message: 'must be from 1 to 1000 approvals' })
  SMS_MAX_PENDING_APPROVALS: number = 30;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of requests' })
  @Min(1, { message: 'must be at least 1' })
  SMS_SEND_RATE_PER_MINUTE: number = 30;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of requests' })
  @Min(1, { message: 'must be at least 1' })
  SMS_WEBHOOK_RATE_PER_MINUTE: number = 600;

  /** Inbound texts delivered per sender per minute; the excess is stored but suppressed. */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of messages per minute' })
  @Min(1, { message: 'must be at least 1' })
  @Max(10_000, { message: 'must be at most 10000' })
  SMS_INBOUND_PER_SENDER_PER_MINUTE: number = 20;

  /** ISO 3166 codes the bridge may text, e.g. `US,CA`; unset means the sender number's country. */
  @IsOptional()
  @Matches(/^\s*[A-Za-z]{2}(\s*,\s*[A-Za-z]{2})*\s*$/, {
    message: 'must be comma-separated two-letter ISO country codes such as US,CA',
  })
  SMS_ALLOWED_COUNTRIES?: string;

  /** The operator's phones: held sends are texted there, and a YES/NO reply with the code decides. */
  @IsOptional()
  @Matches(/^\s*\+[1-9]\d{1,14}(\s*,\s*\+[1-9]\d{1,14})*\s*$/, {
    message: 'must be comma-separated E.164 numbers such as +12025551234,+447911123456',
  })
  SMS_OPERATOR_NUMBERS?: string;

  /** Texts a day to each operator phone (notifications, confirmations), apart from the agent's budget. */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of texts' })
  @Min(0, { message: 'must be 0 or more' })
  @Max(10_000, { message: 'must be at most 10000' })
  SMS_OPERATOR_NOTIFY_PER_DAY: number = 50;

  /** Passed to Twilio as MaxPrice (USD per message); Twilio fails a send that would cost more. */
  @IsOptional()
  @Matches(/^(0\.\d{1,4}|[1-9]\d{0,2}(\.\d{1,4})?)$/, {
    message: 'must be a price in USD per message such as 0.05',
  })
  SMS_MAX_PRICE?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'must be one of fatal, error, warn, info, debug, trace, silent',
  })
  SMS_LOG_LEVEL: string = 'info';

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of megabytes' })
  @Min(0, { message: 'must be 0 or more megabytes' })
  SMS_MIN_FREE_DISK_MB: number = 100;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of days (unset keeps messages forever)' })
  // Two days at least: today's messages count towards the daily limit and a day can last 25 hours.
  @Min(2, { message: 'must be at least 2 days (unset keeps messages forever)' })
  SMS_RETENTION_DAYS?: number;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0, { message: 'must be 0 or more milliseconds' })
  @Max(600_000, { message: 'must be at most 600000 ms' })
  SMS_SHUTDOWN_TIMEOUT_MS: number = 10_000;

  /** Where the MCP server (and other local clients) reach the bridge; default http://HOST:PORT. */
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: "must be the bridge's local URL, such as http://127.0.0.1:3032" },
  )
  SMS_BRIDGE_URL?: string;

  /** Checked in loadAppConfig: loopback and unix: targets only, unless SMS_FORWARD_ALLOW_REMOTE. */
  @IsOptional()
  @IsString()
  SMS_FORWARD_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  SMS_FORWARD_SECRET?: string;

  @IsIn(['true', 'false'], { message: 'must be true or false' })
  SMS_FORWARD_ALLOW_REMOTE: string = 'false';

  /** signed: the bridge's HMAC-signed event; openclaw: an OpenClaw Gateway /hooks/agent turn. */
  @IsIn(['signed', 'openclaw'], { message: 'must be signed or openclaw' })
  SMS_FORWARD_FORMAT: 'signed' | 'openclaw' = 'signed';

  /** signed only: also sent as Authorization: Bearer, for receivers that want a token. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  SMS_FORWARD_BEARER?: string;

  @Matches(/^[a-z0-9][a-z0-9_-]{0,63}$/i, {
    message: 'must be an OpenClaw agent id such as main (letters, digits, - and _)',
  })
  SMS_OPENCLAW_AGENT_ID: string = 'main';

  /** Set: one persistent OpenClaw session per correspondent, keyed <prefix><number>. */
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,64}$/, {
    message: 'must be 1 to 64 printable characters without spaces, such as sms:',
  })
  SMS_OPENCLAW_SESSION_PREFIX?: string;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(10, { message: 'must be at least 10 ms' })
  @Max(600_000, { message: 'must be at most 600000 ms' })
  SMS_FORWARD_RETRY_BASE_MS: number = 1000;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(1000, { message: 'must be at most 1000' })
  SMS_FORWARD_MAX_ATTEMPTS: number = 20;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100, { message: 'must be at least 100 ms' })
  @Max(60_000, { message: 'must be at most 60000 ms' })
  SMS_FORWARD_TIMEOUT_MS: number = 5000;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(10, { message: 'must be at least 10 ms' })
  @Max(60_000, { message: 'must be at most 60000 ms' })
  SMS_FORWARD_POLL_MS: number = 1000;
}
