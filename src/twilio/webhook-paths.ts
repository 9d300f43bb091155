/**
 * Where Twilio's "A message comes in" webhook is served. `/api/sms` is the seed's public
 * path behind Caddy's `handle /api/sms` (path kept); `/` is the same webhook behind
 * `handle_path /api/sms` (prefix stripped), with SMS_PUBLIC_BASE_URL set to
 * https://yourdomain.com/api/sms so the signature is checked against what Twilio called.
 */
export const WEBHOOK_PATHS = ['/sms/webhook', '/api/sms', '/'];

/** Where Twilio's delivery status callbacks are served, on the same terms as the webhook. */
export const STATUS_CALLBACK_PATHS = ['/sms/status', '/api/sms/status', '/status'];

/** Every path Twilio posts forms to: these take form bodies, all others JSON. */
export const TWILIO_FORM_PATHS = [...WEBHOOK_PATHS, ...STATUS_CALLBACK_PATHS];
