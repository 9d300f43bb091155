import { FormParams, postSigned } from './signed-post';
import type { SimulatedMessage } from './messages.resource';
import { newSid, type SimulatedAccount } from './twilio-http';

export interface InboundText {
  from: string;
  body: string;
  to?: string;
  messageSid?: string;
  /** Extra or replacement form fields, exactly as Twilio would post them. */
  params?: Record<string, string | string[]>;
  /** The URL to sign, when Twilio would have called a different one than it reaches (a proxy). */
  signedUrl?: string;
  /** The URL to post to; defaults to the webhook URL. */
  url?: string;
  /** More request headers, e.g. the X-Forwarded-* a proxy adds. */
  headers?: Record<string, string>;
}

export interface InboundResult {
  status: number;
  body: string;
  messageSid: string;
  /** The X-Twilio-Signature sent. */
  signature: string;
}

export interface StatusCallbackRequest {
  messageSid: string;
  status: string;
  errorCode?: number;
  /** Defaults to the StatusCallback the message was sent with. */
  url?: string;
  /** Extra or replacement form fields. */
  params?: FormParams;
}

export interface StatusCallbackResult {
  messageSid: string;
  messageStatus: string;
  /** The bridge's HTTP status; 0 when it could not be reached. */
  status: number;
  body: string;
}

/** A text to the bridge's "A message comes in" webhook, as Twilio posts it: form-encoded, signed. */
export async function postInbound(
  text: InboundText,
  url: string,
  account: SimulatedAccount,
): Promise<InboundResult> {
  const messageSid = text.messageSid ?? newSid('SM');
  const params: FormParams = {
    ToCountry: 'US',
    SmsMessageSid: messageSid,
    NumMedia: '0',
    SmsSid: messageSid,
    SmsStatus: 'received',
    Body: text.body,
    To: text.to ?? '+15005550006',
    NumSegments: '1',
    MessageSid: messageSid,
    AccountSid: account.accountSid,
    From: text.from,
    ApiVersion: '2010-04-01',
    ...text.params,
  };
  const response = await postSigned({
    url,
    signedUrl: text.signedUrl ?? url,
    params,
    authToken: account.authToken,
    headers: text.headers,
  });
  return { ...response, messageSid };
}

/**
 * A message's status callback, signed for `url`. With `callbackOrigin` it goes there
 * instead, path kept, as Caddy in front of the bridge forwards Twilio's request.
 */
export async function postStatusCallback(
  callback: StatusCallbackRequest,
  url: string,
  message: SimulatedMessage | undefined,
  account: SimulatedAccount,
  callbackOrigin: string | undefined,
): Promise<StatusCallbackResult> {
  const params: FormParams = {
    AccountSid: account.accountSid,
    ApiVersion: '2010-04-01',
    MessageSid: callback.messageSid,
    SmsSid: callback.messageSid,
    MessageStatus: callback.status,
    SmsStatus: callback.status,
    ...(message?.to ? { To: message.to } : {}),
    ...(message?.from ? { From: message.from } : {}),
    ...(message?.messagingServiceSid ? { MessagingServiceSid: message.messagingServiceSid } : {}),
    ...(callback.errorCode !== undefined ? { ErrorCode: String(callback.errorCode) } : {}),
    ...callback.params,
  };
  const target = callbackOrigin ? new URL(url) : undefined;
  const answered = { messageSid: callback.messageSid, messageStatus: callback.status };
  try {
    const response = await postSigned({
      url: target ? callbackOrigin + target.pathname + target.search : url,
      signedUrl: url,
      params,
      authToken: account.authToken,
      // What Caddy adds when it forwards Twilio's request.
      headers: target
        ? {
            'X-Forwarded-For': '54.172.60.0',
            'X-Forwarded-Proto': 'https',
            'X-Forwarded-Host': target.host,
          }
        : {},
    });
    return { ...answered, ...response };
  } catch (error) {
    return { ...answered, status: 0, body: (error as Error).message };
  }
}
