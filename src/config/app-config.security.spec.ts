import 'reflect-metadata';
import { loadAppConfig } from './app-config';
import { configProblems } from '../../test/helpers/config-problems';

const CREDENTIALS = {
  TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'f'.repeat(32),
  TWILIO_PHONE_NUMBER: '+12025551234',
};

function load(env: Record<string, string>) {
  return loadAppConfig({ ...CREDENTIALS, ...env }, '/opt/openclaw.env');
}

const problems = (env: Record<string, string>) => configProblems({ ...CREDENTIALS, ...env });

describe('security settings in the configuration', () => {
  it('has safe defaults: 20 inbound texts per sender per minute, US,CA, no MaxPrice', () => {
    const config = load({});
    expect(config.inboundPerSenderPerMinute).toBe(20);
    expect(config.allowedCountries).toEqual(['US', 'CA']);
    expect(config.twilio.maxPrice).toBeUndefined();
  });

  it('defaults the allowlist to the sender number’s country', () => {
    expect(load({ TWILIO_PHONE_NUMBER: '+447700900123' }).allowedCountries).toEqual(['GB']);
  });

  it('defaults the allowlist to a Ukrainian sender’s country, not to the US', () => {
    expect(load({ TWILIO_PHONE_NUMBER: '+380501234567' }).allowedCountries).toEqual(['UA']);
  });

  it.each(['UA', 'XK', 'GG', 'NU'])('accepts SMS_ALLOWED_COUNTRIES=%s: any country', (code) => {
    expect(load({ SMS_ALLOWED_COUNTRIES: code }).allowedCountries).toEqual([code]);
  });

  it('reads SMS_ALLOWED_COUNTRIES in any case and spacing', () => {
    expect(load({ SMS_ALLOWED_COUNTRIES: ' us, ca ,gb' }).allowedCountries).toEqual([
      'US',
      'CA',
      'GB',
    ]);
  });

  it('reads SMS_ALLOWED_HOSTS as lowercase names; none by default', () => {
    expect(load({}).allowedHosts).toEqual([]);
    expect(
      load({ SMS_ALLOWED_HOSTS: ' SMS-Bridge.lan, box.local ,[fd00::1]' }).allowedHosts,
    ).toEqual(['sms-bridge.lan', 'box.local', '[fd00::1]']);
  });

  it.each([
    [
      'SMS_ALLOWED_HOSTS',
      'http://sms-bridge.lan',
      /SMS_ALLOWED_HOSTS: must be comma-separated host names/,
    ],
    ['SMS_ALLOWED_HOSTS', 'sms-bridge.lan:3032', /without a scheme or port/],
    ['SMS_ALLOWED_HOSTS', '*', /without a scheme or port/],
    ['SMS_ALLOWED_HOSTS', 'a.lan;b.lan', /without a scheme or port/],
    ['SMS_ALLOWED_COUNTRIES', 'UK', /SMS_ALLOWED_COUNTRIES: UK is not an ISO country code.*GB/],
    ['SMS_ALLOWED_COUNTRIES', 'US,ZZ,EU', /SMS_ALLOWED_COUNTRIES: ZZ, EU are not/],
    ['SMS_ALLOWED_COUNTRIES', 'USA', /two-letter ISO country codes/],
    ['SMS_ALLOWED_COUNTRIES', 'US;CA', /two-letter ISO country codes/],
    ['SMS_MAX_PRICE', 'abc', /SMS_MAX_PRICE: must be a price/],
    ['SMS_MAX_PRICE', '0', /SMS_MAX_PRICE: must be a price/],
    ['SMS_MAX_PRICE', '-1', /SMS_MAX_PRICE: must be a price/],
    [
      'SMS_INBOUND_PER_SENDER_PER_MINUTE',
      '0',
      /SMS_INBOUND_PER_SENDER_PER_MINUTE: must be at least 1/,
    ],
    ['SMS_INBOUND_PER_SENDER_PER_MINUTE', 'lots', /whole number/],
    ['SMS_PUBLIC_BASE_URL', 'https://example.com/api/sms?x=1', /must not have a query/],
  ])('refuses %s=%s at boot', (name, value, message) => {
    expect(problems({ [name]: value }).join('\n')).toMatch(message);
  });

  it('keeps a path in SMS_PUBLIC_BASE_URL (Caddy handle_path) and drops a trailing slash', () => {
    expect(load({ SMS_PUBLIC_BASE_URL: 'https://example.com/api/sms/' }).publicBaseUrl).toBe(
      'https://example.com/api/sms',
    );
  });

  it('passes SMS_MAX_PRICE to the Twilio settings', () => {
    expect(load({ SMS_MAX_PRICE: '0.05' }).twilio.maxPrice).toBe('0.05');
  });

  it('never echoes a bad auth token in its complaint', () => {
    const token = 'short-secret';
    const complaint = problems({ TWILIO_AUTH_TOKEN: token }).join('\n');
    expect(complaint).toMatch(/TWILIO_AUTH_TOKEN/);
    expect(complaint).not.toContain(token);
  });
});
