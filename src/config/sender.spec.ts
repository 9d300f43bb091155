import 'reflect-metadata';
import { loadAppConfig, SIMULATOR_PHONE_NUMBER } from './app-config';
import { configProblems } from '../../test/helpers/config-problems';

const CREDENTIALS = {
  TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'f'.repeat(32),
};
const SERVICE_SID = `MG${'a'.repeat(32)}`;

const problems = (env: Record<string, string>) => configProblems(env);

describe('the sender in AppConfig', () => {
  it('uses the phone number alone', () => {
    const config = loadAppConfig({ ...CREDENTIALS, TWILIO_PHONE_NUMBER: '+12025551234' }, 'x');
    expect(config.sender).toEqual({
      kind: 'phone_number',
      phoneNumber: '+12025551234',
      messagingServiceSid: null,
    });
  });

  it('uses a Messaging Service alone, without a phone number', () => {
    const config = loadAppConfig(
      { ...CREDENTIALS, TWILIO_MESSAGING_SERVICE_SID: SERVICE_SID },
      'x',
    );
    expect(config.mode).toBe('twilio');
    expect(config.sender).toEqual({
      kind: 'messaging_service',
      phoneNumber: null,
      messagingServiceSid: SERVICE_SID,
    });
    expect(config.twilio).toMatchObject({ messagingServiceSid: SERVICE_SID });
    expect(config.twilio.phoneNumber).toBeUndefined();
  });

  it('uses a Messaging Service with a pinned phone number', () => {
    const config = loadAppConfig(
      {
        ...CREDENTIALS,
        TWILIO_MESSAGING_SERVICE_SID: SERVICE_SID,
        TWILIO_PHONE_NUMBER: '+12025551234',
      },
      'x',
    );
    expect(config.sender).toMatchObject({ kind: 'messaging_service', phoneNumber: '+12025551234' });
  });

  it('requires one sender once credentials are set', () => {
    expect(problems(CREDENTIALS)).toEqual([
      'TWILIO_PHONE_NUMBER or TWILIO_MESSAGING_SERVICE_SID: one is required once any Twilio credential is set (set it in /opt/openclaw.env or the environment)',
    ]);
  });

  it('requires the credentials for a Messaging Service too', () => {
    expect(problems({ TWILIO_MESSAGING_SERVICE_SID: SERVICE_SID })).toEqual([
      expect.stringMatching(/^TWILIO_ACCOUNT_SID: is required once/),
      expect.stringMatching(/^TWILIO_AUTH_TOKEN: is required once/),
    ]);
  });

  it('refuses a malformed Messaging Service sid, without echoing it', () => {
    const found = problems({ ...CREDENTIALS, TWILIO_MESSAGING_SERVICE_SID: 'MGnot-a-sid' });
    expect(found).toEqual([expect.stringMatching(/^TWILIO_MESSAGING_SERVICE_SID: must be "MG"/)]);
    expect(found.join()).not.toContain('MGnot-a-sid');
  });

  it('sends from the simulator number without credentials', () => {
    const config = loadAppConfig({}, 'x');
    expect(config.mode).toBe('simulator');
    expect(config.sender).toEqual({
      kind: 'phone_number',
      phoneNumber: SIMULATOR_PHONE_NUMBER,
      messagingServiceSid: null,
    });
  });

  it('derives the status callback URL from SMS_PUBLIC_BASE_URL', () => {
    const base = { ...CREDENTIALS, TWILIO_PHONE_NUMBER: '+12025551234' };
    expect(loadAppConfig(base, 'x').twilio.statusCallbackUrl).toBeUndefined();
    const config = loadAppConfig({ ...base, SMS_PUBLIC_BASE_URL: 'https://sms.example.com/' }, 'x');
    expect(config.twilio.statusCallbackUrl).toBe('https://sms.example.com/api/sms/status');
  });

  it('in simulator mode, has the simulator call the bridge itself back unless a public URL is set', () => {
    expect(loadAppConfig({ PORT: '4032' }, 'x').twilio.statusCallbackUrl).toBe(
      'http://127.0.0.1:4032/sms/status',
    );
    const behindCaddy = loadAppConfig({ SMS_PUBLIC_BASE_URL: 'https://sms.example.com' }, 'x');
    expect(behindCaddy.twilio.statusCallbackUrl).toBe('https://sms.example.com/api/sms/status');
  });
});
