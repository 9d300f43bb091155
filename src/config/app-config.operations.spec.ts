import { ConfigError } from './config.error';
import { loadAppConfig } from './app-config';

const load = (env: Record<string, string>) => loadAppConfig(env, '/opt/openclaw.env');

describe('operations settings', () => {
  it('defaults: info logs, a 100 MB disk floor, messages kept forever, 10 s to shut down', () => {
    expect(load({})).toMatchObject({
      logLevel: 'info',
      minFreeDiskMb: 100,
      retentionDays: undefined,
      shutdownTimeoutMs: 10_000,
    });
  });

  it('reads SMS_LOG_LEVEL, SMS_MIN_FREE_DISK_MB, SMS_RETENTION_DAYS and SMS_SHUTDOWN_TIMEOUT_MS', () => {
    expect(
      load({
        SMS_LOG_LEVEL: 'warn',
        SMS_MIN_FREE_DISK_MB: '500',
        SMS_RETENTION_DAYS: '90',
        SMS_SHUTDOWN_TIMEOUT_MS: '2500',
      }),
    ).toMatchObject({
      logLevel: 'warn',
      minFreeDiskMb: 500,
      retentionDays: 90,
      shutdownTimeoutMs: 2500,
    });
  });

  it.each([
    ['SMS_LOG_LEVEL', 'loud', /SMS_LOG_LEVEL: must be one of/],
    ['SMS_MIN_FREE_DISK_MB', '-1', /SMS_MIN_FREE_DISK_MB: must be 0 or more/],
    ['SMS_RETENTION_DAYS', '1', /SMS_RETENTION_DAYS: must be at least 2 days/],
    ['SMS_RETENTION_DAYS', 'forever', /SMS_RETENTION_DAYS: .*must be a whole number of days/],
    ['SMS_SHUTDOWN_TIMEOUT_MS', '1h', /SMS_SHUTDOWN_TIMEOUT_MS: .*must be a whole number/],
  ])('refuses %s=%s with a message naming it', (name, value, message) => {
    expect(() => load({ [name]: value })).toThrow(ConfigError);
    expect(() => load({ [name]: value })).toThrow(message);
  });
});
