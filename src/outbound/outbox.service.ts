import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import type { Correspondent, Message, ThreadBound, ThreadEntry } from '../common/message';
import type { MessageSource } from '../common/message-page';
import type { Store } from '../storage/store';
import { IdempotencyRepository } from './idempotency.repository';
import {
  OutboundRepository,
  OutboxFilter,
  StatusUpdate,
  StatusUpdateResult,
} from './outbound.repository';

/**
 * What other modules may ask of the sent texts (outbound_messages and the answers kept for
 * idempotency keys): the outbox pages, the conversations, the message lookup, the status
 * callbacks and retention.
 */
@Injectable()
export class OutboxService implements MessageSource<OutboxFilter> {
  constructor(
    @Inject(Kysely) private readonly store: Store,
    @Inject(OutboundRepository) private readonly outbound: OutboundRepository,
    @Inject(IdempotencyRepository) private readonly keys: IdempotencyRepository,
  ) {}

  /** Twilio's status callback for a sent text, unless the text already moved past it. */
  applyStatus(update: StatusUpdate): Promise<StatusUpdateResult> {
    return this.store.transaction().execute((trx) => this.outbound.applyStatus(trx, update));
  }

  /** A sent message by Twilio sid or the bridge's own id. */
  find(sidOrId: string): Promise<Message | null> {
    return this.outbound.find(this.store, sidOrId);
  }

  newest(limit: number, filter: OutboxFilter): Promise<Message[]> {
    return this.outbound.newest(this.store, limit, filter);
  }

  afterSid(sidOrId: string, limit: number, filter: OutboxFilter): Promise<Message[] | null> {
    return this.outbound.afterSid(this.store, sidOrId, limit, filter);
  }

  afterTime(time: string, limit: number, filter: OutboxFilter): Promise<Message[]> {
    return this.outbound.afterTime(this.store, time, limit, filter);
  }

  /** Each number the bridge texted: how many texts and the latest. */
  correspondents(): Promise<Correspondent[]> {
    return this.outbound.correspondents(this.store);
  }

  /** The newest `limit` texts to `number` before `bound`, newest first. */
  thread(number: string, bound: ThreadBound | null, limit: number): Promise<ThreadEntry[]> {
    return this.outbound.thread(this.store, number, bound, limit);
  }

  /** Where a sent text sits in its conversation, by sid or id. */
  positionOf(sidOrId: string): Promise<{ number: string; at: string; seq: number } | null> {
    return this.outbound.positionOf(this.store, sidOrId);
  }

  /**
   * Retention, in `trx`: forgets texts sent before `time`, and the answers kept for
   * idempotency keys (they repeat the text); returns how many texts.
   */
  async pruneBefore(trx: Store, time: string): Promise<number> {
    await this.keys.pruneBefore(trx, time);
    return this.outbound.pruneBefore(trx, time);
  }
}
