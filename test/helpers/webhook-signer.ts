import { randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio';

export function messageSid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

/** An inbound SMS webhook's form fields as Twilio posts them. */
export function inboundParams(
  accountSid: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const sid = overrides.MessageSid ?? messageSid();
  return {
    SmsMessageSid: sid,
    NumMedia: '0',
    SmsSid: sid,
    SmsStatus: 'received',
    Body: 'Hello from a phone',
    To: '+15005550006',
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: accountSid,
    From: '+15551234567',
    ApiVersion: '2010-04-01',
    ...overrides,
  };
}

/** X-Twilio-Signature as Twilio computes it, with the SDK's own helper. */
export function sign(authToken: string, url: string, params: Record<string, string>): string {
  return getExpectedTwilioSignature(authToken, url, params);
}
