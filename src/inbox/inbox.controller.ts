import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { Message, MESSAGE_SID_PATTERN, MessagePage } from '../common/message';
import { InboxQueryDto } from './dto/inbox-query.dto';
import { InboxRepository } from './inbox.repository';

const DEFAULT_LIMIT = 100;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

@Controller('sms')
export class InboxController {
  constructor(@Inject(InboxRepository) private readonly inbox: InboxRepository) {}

  /** Without `since`: the newest messages. With it: what came after, oldest first. */
  @Get('inbox')
  list(@Query() query: InboxQueryDto): MessagePage {
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (query.since === undefined) {
      return page(this.inbox.newest(limit), null, false);
    }
    // One more than asked says whether another page is waiting.
    const messages = MESSAGE_SID_PATTERN.test(query.since)
      ? this.inbox.afterSid(query.since, limit + 1)
      : this.inbox.afterTime(parseTime(query.since), limit + 1);
    if (messages === null) {
      throw new ApiError(400, 'invalid_since', 'since names no message in the inbox.');
    }
    return page(messages.slice(0, limit), query.since, messages.length > limit);
  }
}

function parseTime(since: string): string {
  const time = Date.parse(since);
  // Whole-string: Date.parse forgives trailing junk ("2026-01-01 junk" is a June date).
  if (!ISO_TIME.test(since) || Number.isNaN(time)) {
    throw new ApiError(
      400,
      'invalid_since',
      'since must be an ISO-8601 time (2026-01-31T12:00:00Z) or a message sid.',
    );
  }
  return new Date(time).toISOString();
}

function page(messages: Message[], since: string | null, hasMore: boolean): MessagePage {
  return { messages, nextCursor: messages.at(-1)?.sid ?? since, hasMore };
}
