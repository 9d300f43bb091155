import { applyDecorators, SetMetadata } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';

export type RateLimitBucket = 'send' | 'webhook';
export const RATE_LIMIT_BUCKET = 'smsBridge:rateLimitBucket';

const OTHER: Record<RateLimitBucket, RateLimitBucket> = { send: 'webhook', webhook: 'send' };

/**
 * Caps the route's requests a minute: `send` at SMS_SEND_RATE_PER_MINUTE, `webhook` at
 * SMS_WEBHOOK_RATE_PER_MINUTE. Routes without it are not throttled.
 */
export const RateLimited = (bucket: RateLimitBucket) =>
  applyDecorators(SetMetadata(RATE_LIMIT_BUCKET, bucket), SkipThrottle({ [OTHER[bucket]]: true }));
