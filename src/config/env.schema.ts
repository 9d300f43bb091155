// class-transformer's @Type reads decorator metadata: needed wherever the schema loads outside Nest (the CLI, specs).
import 'reflect-metadata';
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
}
