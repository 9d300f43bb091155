import { ApiError } from '../common/api-error';
import { E164_PATTERN } from '../common/e164';
import { MESSAGE_SID_PATTERN } from '../common/message';
import type { StatusUpdate } from './outbound.repository';

export type CallbackParams = Record<string, string | string[] | undefined>;

function single(params: CallbackParams, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads Twilio's message status callback
 * (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status):
 * MessageSid, MessageStatus, ErrorCode when it failed, From once a Messaging Service
 * picked the number. Other fields are signed, so they pass and are ignored.
 */
export function parseStatusCallback(params: CallbackParams): StatusUpdate {
  const sid = single(params, 'MessageSid');
  const status = single(params, 'MessageStatus') ?? single(params, 'SmsStatus');
  if (!sid || !MESSAGE_SID_PATTERN.test(sid) || !status) {
    throw new ApiError(
      'invalid_status_callback',
      'The callback is not a message status: MessageSid and MessageStatus are required.',
    );
  }
  const errorCode = Number(single(params, 'ErrorCode'));
  const from = single(params, 'From');
  return {
    sid,
    status: status.toLowerCase(),
    errorCode: Number.isInteger(errorCode) && errorCode > 0 ? errorCode : null,
    from: from && E164_PATTERN.test(from) ? from : undefined,
  };
}
