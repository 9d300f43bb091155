import { Inject, Injectable } from '@nestjs/common';
import type { Correspondent, Message, ThreadBound, ThreadEntry } from '../common/message';
import { InboxRepository } from './inbox.repository';

/**
 * What other modules may ask of the received texts (inbound_messages): the conversations,
 * the forwarder, the schedule's quiet hours, the message lookup and retention.
 */
@Injectable()
export class InboxService {
  constructor(@Inject(InboxRepository) private readonly inbox: InboxRepository) {}

  find(sid: string): Message | null {
    return this.inbox.find(sid);
  }

  /** When the last text from `from` came in (ISO-8601 UTC), or null if none ever did. */
  lastReceivedFrom(from: string): string | null {
    return this.inbox.lastReceivedFrom(from);
  }

  /** Each number that texted the bridge: how many texts it sent and its latest (not suppressed). */
  correspondents(): Correspondent[] {
    return this.inbox.correspondents();
  }

  /** The newest `limit` texts from `number` before `bound`, newest first. */
  thread(
    number: string,
    bound: ThreadBound | null,
    limit: number,
    includeSuppressed = false,
  ): ThreadEntry[] {
    return this.inbox.thread(number, bound, limit, includeSuppressed);
  }

  /** Where a stored text sits in its conversation, by sid. */
  positionOf(sid: string): { number: string; at: string; seq: number } | null {
    return this.inbox.positionOf(sid);
  }

  /** Retention: forgets texts received before `time`; returns how many. */
  pruneBefore(time: string): number {
    return this.inbox.pruneBefore(time);
  }
}
