import { ApiError } from '../common/api-error';
import { MESSAGE_SID_PATTERN } from '../common/message';
import type { InboundMessage } from './inbox.repository';

export type WebhookParams = Record<string, string | string[] | undefined>;

const MAX_MEDIA = 10;

function single(params: WebhookParams, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
}

function invalid(problem: string): ApiError {
  return new ApiError('invalid_webhook', `The webhook is not an inbound message: ${problem}.`);
}

/**
 * Reads Twilio's inbound message webhook
 * (https://www.twilio.com/docs/messaging/guides/webhook-request). Twilio sends more
 * fields than these and adds new ones; they are signed, so they pass and are ignored.
 */
export function parseInboundWebhook(params: WebhookParams): InboundMessage {
  const sid = single(params, 'MessageSid');
  if (!sid || !MESSAGE_SID_PATTERN.test(sid)) throw invalid('MessageSid is missing or malformed');
  const from = single(params, 'From');
  const to = single(params, 'To');
  if (!from || !to) throw invalid('From and To are required');
  const body = params.Body === undefined ? '' : single(params, 'Body');
  if (body === undefined) throw invalid('Body must appear once');
  const numMedia = Number(single(params, 'NumMedia') ?? '0');
  if (!Number.isInteger(numMedia) || numMedia < 0 || numMedia > MAX_MEDIA) {
    throw invalid(`NumMedia must be a whole number from 0 to ${MAX_MEDIA}`);
  }
  const media = [];
  for (let i = 0; i < numMedia; i++) {
    const url = single(params, `MediaUrl${i}`);
    if (!url) throw invalid(`MediaUrl${i} is missing`);
    media.push({
      url,
      contentType: single(params, `MediaContentType${i}`) ?? 'application/octet-stream',
    });
  }
  return { sid, accountSid: single(params, 'AccountSid') ?? '', from, to, body, media };
}
