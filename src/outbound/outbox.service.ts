import { Inject, Injectable } from '@nestjs/common';
import type { Correspondent, Message, ThreadBound, ThreadEntry } from '../common/message';
import { IdempotencyRepository } from './idempotency.repository';
import { OutboundRepository, StatusUpdate, StatusUpdateResult } from './outbound.repository';

/**
 * What other modules may ask of the sent texts (outbound_messages and the answers kept for
 * idempotency keys): the conversations, the message lookup, the status callbacks and retention.
 */
@Injectable()
export class OutboxService {
  constructor(
    @Inject(OutboundRepository) private readonly outbound: OutboundRepository,
    @Inject(IdempotencyRepository) private readonly keys: IdempotencyRepository,
  ) {}

  /** Twilio's status callback for a sent text, unless the text already moved past it. */
  applyStatus(update: StatusUpdate): StatusUpdateResult {
    return this.outbound.applyStatus(update);
  }

  /** A sent message by Twilio sid or the bridge's own id. */
  find(sidOrId: string): Message | null {
    return this.outbound.find(sidOrId);
  }

  /** Each number the bridge texted: how many texts and the latest. */
  correspondents(): Correspondent[] {
    return this.outbound.correspondents();
  }

  /** The newest `limit` texts to `number` before `bound`, newest first. */
  thread(number: string, bound: ThreadBound | null, limit: number): ThreadEntry[] {
    return this.outbound.thread(number, bound, limit);
  }

  /** Where a sent text sits in its conversation, by sid or id. */
  positionOf(sidOrId: string): { number: string; at: string; seq: number } | null {
    return this.outbound.positionOf(sidOrId);
  }

  /**
   * Retention: forgets texts sent before `time`, and the answers kept for idempotency keys
   * (they repeat the text); returns how many texts.
   */
  pruneBefore(time: string): number {
    this.keys.pruneBefore(time);
    return this.outbound.pruneBefore(time);
  }
}
