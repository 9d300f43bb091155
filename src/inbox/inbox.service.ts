import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import type { Correspondent, Message, ThreadBound, ThreadEntry } from '../common/message';
import type { MessageSource } from '../common/message-page';
import type { Store } from '../storage/store';
import { InboxRepository } from './inbox.repository';

/**
 * What other modules may ask of the received texts (inbound_messages): the inbox's pages, the
 * conversations, the forwarder, the schedule's quiet hours, the message lookup and retention.
 * The filter of a page is whether suppressed texts are included.
 */
@Injectable()
export class InboxService implements MessageSource<boolean> {
  constructor(
    @Inject(InboxRepository) private readonly inbox: InboxRepository,
    @Inject(Kysely) private readonly store: Store,
  ) {}

  newest(limit: number, includeSuppressed: boolean): Promise<Message[]> {
    return this.inbox.newest(this.store, limit, includeSuppressed);
  }

  /** Up to `limit` texts after the one with `sid`, or null if there is no such text. */
  afterSid(sid: string, limit: number, includeSuppressed: boolean): Promise<Message[] | null> {
    return this.inbox.afterSid(this.store, sid, limit, includeSuppressed);
  }

  afterTime(time: string, limit: number, includeSuppressed: boolean): Promise<Message[]> {
    return this.inbox.afterTime(this.store, time, limit, includeSuppressed);
  }

  find(sid: string): Promise<Message | null> {
    return this.inbox.find(this.store, sid);
  }

  /** When the last text from `from` came in (ISO-8601 UTC), or null if none ever did. */
  lastReceivedFrom(from: string): Promise<string | null> {
    return this.inbox.lastReceivedFrom(this.store, from);
  }

  /** Each number that texted the bridge: how many texts it sent and its latest (not suppressed). */
  correspondents(): Promise<Correspondent[]> {
    return this.inbox.correspondents(this.store);
  }

  /** The newest `limit` texts from `number` before `bound`, newest first. */
  thread(
    number: string,
    bound: ThreadBound | null,
    limit: number,
    includeSuppressed = false,
  ): Promise<ThreadEntry[]> {
    return this.inbox.thread(this.store, number, bound, limit, includeSuppressed);
  }

  /** Where a stored text sits in its conversation, by sid. */
  positionOf(sid: string): Promise<{ number: string; at: string; seq: number } | null> {
    return this.inbox.positionOf(this.store, sid);
  }

  /** Retention, in the caller's transaction: forgets texts received before `time`; returns how many. */
  pruneBefore(trx: Store, time: string): Promise<number> {
    return this.inbox.pruneBefore(trx, time);
  }
}
