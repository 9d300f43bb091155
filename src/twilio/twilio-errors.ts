import { ApiError } from '../common/api-error';
import type { ErrorCode } from '../common/error-codes';

interface TwilioErrorRule {
  code: ErrorCode;
  message: string;
}

/**
 * Twilio error codes (https://www.twilio.com/docs/api/errors) as the agent and
 * the operator should see them: a bridge code (whose status says whose problem it is)
 * and a sentence that says what to do about it.
 */
const RULES: Record<number, TwilioErrorRule> = {
  21211: {
    code: 'invalid_recipient',
    message: 'The recipient number is not a valid phone number. Check it and send again.',
  },
  21608: {
    code: 'recipient_not_verified',
    message:
      'This is a Twilio trial account and the recipient is not a verified number. Verify it in the Twilio console (Phone Numbers, Verified Caller IDs) or upgrade the account.',
  },
  21610: {
    code: 'recipient_opted_out',
    message:
      'The recipient replied STOP to this number, so the bridge now treats them as opted out. Do not text them again unless they reply START.',
  },
  21612: {
    code: 'recipient_unreachable',
    message:
      'Twilio cannot reach the recipient from this sender number. Try another number or channel.',
  },
  21614: {
    code: 'recipient_not_mobile',
    message: 'The recipient number is not a mobile number and cannot receive SMS.',
  },
  21408: {
    code: 'region_not_enabled',
    message:
      "Sending to the recipient's country is not enabled on this account. Enable it in the Twilio console under Messaging, Settings, Geo permissions.",
  },
  21606: {
    code: 'sender_not_usable',
    message:
      'TWILIO_PHONE_NUMBER is not an SMS-capable number of this account. Check it in the Twilio console under Active numbers.',
  },
  21659: {
    code: 'sender_not_usable',
    message:
      'TWILIO_PHONE_NUMBER is not a Twilio number of this account. Check it in the Twilio console under Active numbers.',
  },
  21212: {
    code: 'sender_not_usable',
    message: 'TWILIO_PHONE_NUMBER is not a valid phone number. Fix it in the env file and restart.',
  },
  20003: {
    code: 'twilio_auth_failed',
    message:
      'Twilio rejected the credentials. Check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN in the env file and restart.',
  },
  20429: {
    code: 'twilio_rate_limited',
    message: 'Twilio is rate limiting this account. Wait a minute and send again.',
  },
  14107: {
    code: 'twilio_rate_limited',
    message: 'Twilio is rate limiting sends from this number. Wait a minute and send again.',
  },
  30007: {
    code: 'carrier_filtered',
    message:
      'The carrier filtered the message as spam. Register the number for A2P 10DLC (Twilio console, Messaging, Regulatory Compliance).',
  },
};

export function twilioErrorToApiError(
  twilioCode: number | undefined,
  twilioMessage: string,
  moreInfo: string | undefined,
): ApiError {
  const rule = twilioCode !== undefined ? RULES[twilioCode] : undefined;
  const details = {
    twilioCode: twilioCode ?? null,
    moreInfo: moreInfo ?? (twilioCode ? `https://www.twilio.com/docs/errors/${twilioCode}` : null),
  };
  if (rule) return new ApiError(rule.code, rule.message, details);
  return new ApiError('twilio_error', `Twilio refused the request: ${twilioMessage}`, details);
}
