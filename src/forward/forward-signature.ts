import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-SMS-Bridge-Signature';
export const TIMESTAMP_HEADER = 'X-SMS-Bridge-Timestamp';
export const DELIVERY_HEADER = 'X-SMS-Bridge-Delivery';

/**
 * `sha256=` + hex HMAC-SHA256, keyed with SMS_FORWARD_SECRET, of `<timestamp>.<raw body>`
 * (the timestamp header's value, a dot, the body bytes as sent). Signing the timestamp
 * lets a hook refuse old replays; the Stripe and Slack webhooks use the same recipe.
 */
export function signForward(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}
