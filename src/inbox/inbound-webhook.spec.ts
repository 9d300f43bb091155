import { ApiError } from '../common/api-error';
import { parseInboundWebhook, WebhookParams } from './inbound-webhook';

const SID = 'SM' + '0123456789abcdef'.repeat(2);
const ACCOUNT = 'AC' + 'fedcba9876543210'.repeat(2);

/** An inbound SMS exactly as Twilio posts it (https://www.twilio.com/docs/messaging/guides/webhook-request). */
function twilioParams(extra: WebhookParams = {}): WebhookParams {
  return {
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: SID,
    NumMedia: '0',
    ToCity: '',
    FromZip: '94105',
    SmsSid: SID,
    FromState: 'CA',
    SmsStatus: 'received',
    FromCity: 'SAN FRANCISCO',
    Body: 'Hello from a phone',
    FromCountry: 'US',
    To: '+12025551234',
    MessagingServiceSid: '',
    ToZip: '',
    NumSegments: '1',
    MessageSid: SID,
    AccountSid: ACCOUNT,
    From: '+15551234567',
    ApiVersion: '2010-04-01',
    ...extra,
  };
}

function refusal(params: WebhookParams): ApiError {
  try {
    parseInboundWebhook(params);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('the webhook was accepted');
}

describe(parseInboundWebhook.name, () => {
  it('reads an SMS and ignores the fields it does not store', () => {
    expect(parseInboundWebhook(twilioParams())).toEqual({
      sid: SID,
      accountSid: ACCOUNT,
      from: '+15551234567',
      to: '+12025551234',
      body: 'Hello from a phone',
      media: [],
    });
  });

  it('reads an MMS with its media URLs and types, in order', () => {
    const mmsSid = 'MM' + 'a'.repeat(32);
    const message = parseInboundWebhook(
      twilioParams({
        MessageSid: mmsSid,
        Body: '',
        NumMedia: '2',
        MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1',
        MediaContentType0: 'image/jpeg',
        MediaUrl1: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME2',
      }),
    );
    expect(message.sid).toBe(mmsSid);
    expect(message.body).toBe('');
    expect(message.media).toEqual([
      {
        url: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1',
        contentType: 'image/jpeg',
      },
      {
        url: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME2',
        contentType: 'application/octet-stream',
      },
    ]);
  });

  it('takes a missing Body as empty and a missing NumMedia as none', () => {
    const params = twilioParams();
    delete params.Body;
    delete params.NumMedia;
    expect(parseInboundWebhook(params)).toMatchObject({ body: '', media: [] });
  });

  it('keeps the body exactly as sent, whitespace and unicode included', () => {
    const body = '  two\nlines 👋 ';
    expect(parseInboundWebhook(twilioParams({ Body: body })).body).toBe(body);
  });

  it.each<[string, WebhookParams]>([
    ['a missing MessageSid', { MessageSid: undefined }],
    ['a malformed MessageSid', { MessageSid: 'SM123' }],
    ['an upper-case MessageSid', { MessageSid: 'SM' + 'A'.repeat(32) }],
    ['a repeated MessageSid', { MessageSid: [SID, SID] }],
    ['a missing From', { From: undefined }],
    ['an empty To', { To: '' }],
    ['a repeated Body', { Body: ['a', 'b'] }],
    ['a NumMedia that is not a number', { NumMedia: 'two' }],
    ['a negative NumMedia', { NumMedia: '-1' }],
    ['a fractional NumMedia', { NumMedia: '1.5' }],
    ['more media than Twilio sends', { NumMedia: '11' }],
    ['a missing media URL', { NumMedia: '1' }],
  ])('refuses %s with 400 invalid_webhook', (_name, extra) => {
    const error = refusal(twilioParams(extra));
    expect(error.getStatus()).toBe(400);
    expect(error.body.error.code).toBe('invalid_webhook');
  });
});
