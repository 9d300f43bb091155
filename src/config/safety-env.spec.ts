import 'reflect-metadata';
import { loadAppConfig } from './app-config';
import { configProblems } from '../../test/helpers/config-problems';

const ENV_FILE = '/opt/openclaw.env';

const problems = (raw: Record<string, string>) => configProblems(raw, ENV_FILE);

describe('safety settings', () => {
  it('defaults to approval on, 100 a day, 20 per recipient, UTC days, 24-hour approvals and 30 waiting', () => {
    expect(loadAppConfig({}, ENV_FILE).safety).toEqual({
      requireApproval: true,
      trustInboundContacts: true,
      dailyLimit: 100,
      dailyLimitPerRecipient: 20,
      timeZone: 'UTC',
      approvalMaxAgeHours: 24,
      maxPendingApprovals: 30,
      sendRatePerMinute: 30,
      webhookRatePerMinute: 600,
    });
  });

  it('reads every variable', () => {
    const safety = loadAppConfig(
      {
        SMS_REQUIRE_APPROVAL: 'false',
        SMS_TRUST_INBOUND_CONTACTS: 'false',
        SMS_DAILY_LIMIT: '5',
        SMS_DAILY_LIMIT_PER_RECIPIENT: '2',
        SMS_TIMEZONE: 'America/New_York',
        SMS_APPROVAL_MAX_AGE_HOURS: '48',
        SMS_MAX_PENDING_APPROVALS: '12',
        SMS_SEND_RATE_PER_MINUTE: '10',
        SMS_WEBHOOK_RATE_PER_MINUTE: '100',
      },
      ENV_FILE,
    ).safety;
    expect(safety).toEqual({
      requireApproval: false,
      trustInboundContacts: false,
      dailyLimit: 5,
      dailyLimitPerRecipient: 2,
      timeZone: 'America/New_York',
      approvalMaxAgeHours: 48,
      maxPendingApprovals: 12,
      sendRatePerMinute: 10,
      webhookRatePerMinute: 100,
    });
  });

  it.each([
    ['SMS_TIMEZONE', 'Eastern', 'must be an IANA time zone'],
    ['SMS_REQUIRE_APPROVAL', 'yes', 'must be true or false'],
    ['SMS_DAILY_LIMIT', '-1', 'must be 0 or more'],
    ['SMS_DAILY_LIMIT_PER_RECIPIENT', 'many', 'must be a whole number'],
    ['SMS_APPROVAL_MAX_AGE_HOURS', '0', 'from 1 to 720 hours'],
    ['SMS_SEND_RATE_PER_MINUTE', '0', 'at least 1'],
    ['SMS_MAX_PENDING_APPROVALS', '0', 'from 1 to 1000 approvals'],
    ['SMS_MAX_PENDING_APPROVALS', '1001', 'from 1 to 1000 approvals'],
  ])('refuses %s=%s and names the variable and the env file', (name, value, problem) => {
    const [line] = problems({ [name]: value });
    expect(line).toContain(name);
    expect(line).toContain(problem);
    expect(line).toContain(ENV_FILE);
  });

  it('refuses to turn approval off in production', () => {
    const lines = problems({
      NODE_ENV: 'production',
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'f'.repeat(32),
      TWILIO_PHONE_NUMBER: '+12025551234',
      SMS_REQUIRE_APPROVAL: 'false',
    });
    expect(lines).toEqual([expect.stringContaining('SMS_REQUIRE_APPROVAL')]);
  });
});
