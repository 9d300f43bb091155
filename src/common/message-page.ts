import { ApiError } from './api-error';
import type { Message, MessagePage } from './message';

const DEFAULT_LIMIT = 100;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Where a page of messages is read from: the inbox or the outbox. */
export interface MessageSource<F> {
  newest(limit: number, filter: F): Promise<Message[]>;
  /** Up to `limit` messages after the one whose `sid` is given, or null if there is none. */
  afterSid(sid: string, limit: number, filter: F): Promise<Message[] | null>;
  afterTime(time: string, limit: number, filter: F): Promise<Message[]>;
}

export interface PageRequest {
  since?: string;
  limit?: number;
}

/**
 * The cursor rules of every message list. Without `since`: the newest messages.
 * With it (an ISO-8601 time or a message id): what came after, oldest first.
 */
export async function readPage<F>(
  source: MessageSource<F>,
  request: PageRequest,
  filter: F,
  options: { listName: string; isCursor: (since: string) => boolean },
): Promise<MessagePage> {
  const limit = request.limit ?? DEFAULT_LIMIT;
  const since = request.since;
  if (since === undefined) return page(await source.newest(limit, filter), null, false);
  // One more than asked says whether another page is waiting.
  const messages = options.isCursor(since)
    ? await source.afterSid(since, limit + 1, filter)
    : await source.afterTime(parseTime(since), limit + 1, filter);
  if (messages === null) {
    throw new ApiError('invalid_since', `since names no message in the ${options.listName}.`);
  }
  return page(messages.slice(0, limit), since, messages.length > limit);
}

/** The instant an ISO-8601 time names (as toISOString writes it), or null if it is not one. */
export function readIsoTime(text: string): string | null {
  const time = Date.parse(text);
  // Whole-string: Date.parse forgives trailing junk ("2026-01-01 junk" is a June date).
  return ISO_TIME.test(text) && !Number.isNaN(time) ? new Date(time).toISOString() : null;
}

function parseTime(since: string): string {
  const time = readIsoTime(since);
  if (time === null) {
    throw new ApiError(
      'invalid_since',
      'since must be an ISO-8601 time (2026-01-31T12:00:00Z) or a message sid.',
    );
  }
  return time;
}

function page(messages: Message[], since: string | null, hasMore: boolean): MessagePage {
  return { messages, nextCursor: messages.at(-1)?.sid ?? since, hasMore };
}
