import { ApiError } from '../common/api-error';
import { IDEMPOTENCY_KEY_RULE, MAX_IDEMPOTENCY_KEY_LENGTH } from '../safety/message/message-limits';

const KEY_PATTERN = new RegExp(`^[\\x20-\\x7e]{1,${MAX_IDEMPOTENCY_KEY_LENGTH}}$`);

/**
 * The Idempotency-Key header's value: undefined when absent, the key when well formed,
 * else 400 invalid_idempotency_key (an empty or repeated header included).
 */
export function readIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header === 'string' && KEY_PATTERN.test(header) && header.trim() !== '') {
    return header;
  }
  throw new ApiError(
    'invalid_idempotency_key',
    `Idempotency-Key must appear once and be ${IDEMPOTENCY_KEY_RULE}.`,
  );
}
