import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { E164_PATTERN } from '../common/e164';

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

  @IsString()
  SMS_DATABASE_PATH: string = 'data/sms-bridge.db';

  @IsOptional()
  @IsString()
  SMS_AUDIT_LOG_PATH?: string;

  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'must be the public URL Twilio calls, such as https://yourdomain.com' },
  )
  SMS_PUBLIC_BASE_URL?: string;

  @Type(() => Number)
  @IsInt({ message: 'must be a port number' })
  @Min(0, { message: 'must be a port number from 0 to 65535' })
  @Max(65535, { message: 'must be a port number from 0 to 65535' })
  SMS_SIMULATOR_PORT: number = 3033;

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
