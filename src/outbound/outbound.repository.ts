import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../storage/database';
import type { AcceptedMessage } from '../twilio/twilio.client';

export interface PendingSend {
  id: string;
  to: string;
  from: string;
  body: string;
}

/** Outbound messages: recorded as `sending` before Twilio is called, settled after. */
@Injectable()
export class OutboundRepository {
  private readonly insert;
  private readonly accept;
  private readonly fail;
  private readonly deleteBefore;

  constructor(@Inject(Database) database: Database) {
    this.insert = database.prepare(
      `INSERT INTO outbound_messages (id, from_number, to_number, body, status, created_at, updated_at)
       VALUES (@id, @from, @to, @body, 'sending', @now, @now)`,
    );
    this.accept = database.prepare(
      `UPDATE outbound_messages SET sid = @sid, status = @status, segments = @segments, updated_at = @now
       WHERE id = @id`,
    );
    this.fail = database.prepare(
      `UPDATE outbound_messages SET status = 'failed', error_code = @errorCode, error_message = @errorMessage,
       updated_at = @now WHERE id = @id`,
    );
    this.deleteBefore = database.prepare<[string]>(
      'DELETE FROM outbound_messages WHERE created_at < ?',
    );
  }

  recordSending(message: Omit<PendingSend, 'id'>): PendingSend {
    const pending = { id: randomUUID(), ...message };
    this.insert.run({ ...pending, now: new Date().toISOString() });
    return pending;
  }

  recordAccepted(id: string, accepted: AcceptedMessage): void {
    this.accept.run({
      id,
      sid: accepted.sid,
      status: accepted.status,
      segments: accepted.segments,
      now: new Date().toISOString(),
    });
  }

  recordFailed(id: string, errorCode: number | null, errorMessage: string): void {
    this.fail.run({ id, errorCode, errorMessage, now: new Date().toISOString() });
  }

  /** Retention: forgets messages created before `time`; returns how many. */
  pruneBefore(time: string): number {
    return this.deleteBefore.run(time).changes;
  }
}
