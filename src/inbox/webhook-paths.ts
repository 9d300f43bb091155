/**
 * Where Twilio's "A message comes in" webhook is served. `/api/sms` is the seed's public
 * path behind Caddy's `handle /api/sms` (path kept); `/` is the same webhook behind
 * `handle_path /api/sms` (prefix stripped), with SMS_PUBLIC_BASE_URL set to
 * https://yourdomain.com/api/sms so the signature is checked against what Twilio called.
 */
export const WEBHOOK_PATHS = ['/sms/webhook', '/api/sms', '/'];
