import { ApiError } from '../common/api-error';
import {
  IDEMPOTENCY_KEY_CHARACTERS,
  IDEMPOTENCY_KEY_RULE,
  MAX_IDEMPOTENCY_KEY_LENGTH,
} from '../safety/message/message-limits';

/**
 * The Idempotency-Key header's value: undefined when absent, the key when well formed,
 * else 400 invalid_idempotency_key (an empty or repeated header included).
 */
export function readIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (
    typeof header === 'string' &&
    header.length <= MAX_IDEMPOTENCY_KEY_LENGTH &&
    IDEMPOTENCY_KEY_CHARACTERS.test(header) &&
    header.trim() !== ''
  ) {
    return header;
  }
  throw new ApiError(
    'invalid_idempotency_key',
    `Idempotency-Key must appear once and be ${IDEMPOTENCY_KEY_RULE}.`,
  );
}
