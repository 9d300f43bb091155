import { applyDecorators, SetMetadata } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request } from 'express';

export type RateLimitBucket = 'send' | 'webhook';
export const RATE_LIMIT_BUCKET = 'smsBridge:rateLimitBucket';
export const RATE_LIMIT_COUNTS = 'smsBridge:rateLimitCounts';

/** Whether a request uses up the route's capacity; the rest pass uncounted. */
export type CountsAgainstCap = (request: Request) => boolean;

const OTHER: Record<RateLimitBucket, RateLimitBucket> = { send: 'webhook', webhook: 'send' };

/**
 * Caps the route's requests a minute: `send` at SMS_SEND_RATE_PER_MINUTE, `webhook` at
 * SMS_WEBHOOK_RATE_PER_MINUTE. Routes without it are not throttled. With `counts`, only
 * the requests it accepts are counted, and RateLimitGuard must also be among the route's
 * own guards, after the one whose verdict `counts` reads (the global one runs first).
 */
export const RateLimited = (bucket: RateLimitBucket, options: { counts?: CountsAgainstCap } = {}) =>
  applyDecorators(
    SetMetadata(RATE_LIMIT_BUCKET, bucket),
    SkipThrottle({ [OTHER[bucket]]: true }),
    ...(options.counts ? [SetMetadata(RATE_LIMIT_COUNTS, options.counts)] : []),
  );
