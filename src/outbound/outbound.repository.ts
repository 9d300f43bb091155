import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type {
  Correspondent,
  Message,
  MessageStatusChange,
  ThreadBound,
  ThreadEntry,
} from '../common/message';
import type { MessageSource } from '../common/message-page';
import { Database } from '../storage/database';
import type { AcceptedMessage } from '../twilio/accepted-message';
import { movesForward } from './delivery-status';
import type { Encoding } from '../common/segments';

export interface PendingSend {
  id: string;
  to: string;
  from: string;
  body: string;
  /** The local day the send counts against (daily limits). */
  day: string;
  mediaUrl?: string[];
  segments?: number;
  encoding?: Encoding;
}

export interface StatusUpdate {
  sid: string;
  status: string;
  errorCode: number | null;
  /** The number a Messaging Service picked, when the callback says. */
  from?: string;
}

export type StatusUpdateResult = 'applied' | 'stale' | 'unknown_message';

export interface OutboxFilter {
  status?: string;
  to?: string;
}

interface OutboundRow {
  seq: number;
  id: string;
  sid: string | null;
  from_number: string;
  to_number: string;
  body: string;
  media: string;
  status: string;
  segments: number | null;
  encoding: Encoding | null;
  twilio_segments: number | null;
  messaging_service_sid: string | null;
  error_code: number | null;
  error_message: string | null;
  created_at: string;
  updated_at: string;
}

/** Outbound messages: recorded as `sending` before Twilio is called, settled after. */
@Injectable()
export class OutboundRepository implements MessageSource<OutboxFilter> {
  private readonly insert;
  private readonly accept;
  private readonly fail;
  private readonly selectBySid;
  private readonly selectByIdOrSid;
  private readonly updateStatus;
  private readonly insertHistory;
  private readonly selectHistory;
  private readonly selectNewest;
  private readonly selectAfter;
  private readonly applyUpdate;
  private readonly deleteBefore;
  private readonly selectCorrespondents;
  private readonly selectThread;

  constructor(@Inject(Database) database: Database) {
    this.insert = database.prepare(
      `INSERT INTO outbound_messages (id, from_number, to_number, body, media, status, segments, encoding,
         day, created_at, updated_at)
       VALUES (@id, @from, @to, @body, @media, 'sending', @segments, @encoding, @day, @now, @now)`,
    );
    this.accept = database.prepare(
      `UPDATE outbound_messages SET sid = @sid, status = @status, twilio_segments = @segments,
         from_number = @from, messaging_service_sid = @messagingServiceSid, updated_at = @now
       WHERE id = @id`,
    );
    this.fail = database.prepare(
      `UPDATE outbound_messages SET status = 'failed', error_code = @errorCode, error_message = @errorMessage,
       updated_at = @now WHERE id = @id`,
    );
    this.selectBySid = database.prepare<[string], OutboundRow>(
      'SELECT * FROM outbound_messages WHERE sid = ?',
    );
    this.selectByIdOrSid = database.prepare<[string, string], OutboundRow>(
      'SELECT * FROM outbound_messages WHERE sid = ? OR id = ?',
    );
    // A Messaging Service sender is recorded as its MG sid until a callback names the number.
    this.updateStatus = database.prepare(
      `UPDATE outbound_messages SET status = @status, error_code = coalesce(@errorCode, error_code),
         from_number = CASE WHEN from_number LIKE 'MG%' THEN coalesce(@from, from_number) ELSE from_number END,
         updated_at = @now
       WHERE id = @id`,
    );
    this.insertHistory = database.prepare(
      `INSERT INTO outbound_status_history (message_id, status, error_code, at)
       VALUES (@id, @status, @errorCode, @now)`,
    );
    this.selectHistory = database.prepare<[string], MessageStatusChange>(
      `SELECT status, error_code AS "errorCode", at FROM outbound_status_history
       WHERE message_id = ? ORDER BY id`,
    );
    // Each parameter is compared to a column before it is tested for NULL: PostgreSQL types
    // a parameter where it first appears.
    const matches = '(status = @status OR @status IS NULL) AND (to_number = @to OR @to IS NULL)';
    this.selectNewest = database.prepare<object, OutboundRow>(
      `SELECT * FROM (SELECT * FROM outbound_messages WHERE ${matches} ORDER BY seq DESC LIMIT @limit) AS page
       ORDER BY seq`,
    );
    this.selectAfter = database.prepare<object, OutboundRow>(
      `SELECT * FROM outbound_messages WHERE ${matches} AND seq > @seq AND created_at > @time
       ORDER BY seq LIMIT @limit`,
    );
    this.applyUpdate = database.transaction((update: StatusUpdate): StatusUpdateResult => {
      const row = this.selectBySid.get(update.sid);
      if (!row) return 'unknown_message';
      if (!movesForward(row.status, update.status)) return 'stale';
      const change = { id: row.id, ...update, from: update.from ?? null, now: isoNow() };
      this.updateStatus.run(change);
      this.insertHistory.run(change);
      return 'applied';
    });
    this.selectCorrespondents = database.prepare<[], OutboundRow & { count: number }>({
      // SQLite gives the bare columns of an aggregate query from the row max() picked.
      sqlite: 'SELECT *, max(seq), count(*) AS count FROM outbound_messages GROUP BY to_number',
      postgres: `SELECT DISTINCT ON (to_number) *, count(*) OVER (PARTITION BY to_number) AS count
        FROM outbound_messages ORDER BY to_number, seq DESC`,
    });
    this.selectThread = database.prepare<object, OutboundRow>(
      `SELECT * FROM outbound_messages WHERE to_number = @number
         AND (created_at < @at OR (created_at = @at AND seq < @seq) OR @at IS NULL)
       ORDER BY created_at DESC, seq DESC LIMIT @limit`,
    );
    const deleteHistory = database.prepare<[string]>(
      `DELETE FROM outbound_status_history
       WHERE message_id IN (SELECT id FROM outbound_messages WHERE created_at < ?)`,
    );
    const deleteMessages = database.prepare<[string]>(
      'DELETE FROM outbound_messages WHERE created_at < ?',
    );
    // History rows reference their message, so they go first, in the same transaction.
    this.deleteBefore = database.transaction(
      (time: string) => (deleteHistory.run(time), deleteMessages.run(time).changes),
    );
  }

  recordSending(message: Omit<PendingSend, 'id'>): PendingSend {
    const pending = { id: randomUUID(), ...message };
    this.insert.run({
      ...pending,
      media: JSON.stringify(pending.mediaUrl ?? []),
      segments: pending.segments ?? null,
      encoding: pending.encoding ?? null,
      now: isoNow(),
    });
    return pending;
  }

  recordAccepted(id: string, accepted: AcceptedMessage): void {
    const now = isoNow();
    this.accept.run({
      id,
      sid: accepted.sid,
      status: accepted.status,
      segments: accepted.segments,
      from: accepted.from,
      messagingServiceSid: accepted.messagingServiceSid,
      now,
    });
    this.insertHistory.run({ id, status: accepted.status, errorCode: null, now });
  }

  recordFailed(id: string, errorCode: number | null, errorMessage: string): void {
    const now = isoNow();
    this.fail.run({ id, errorCode, errorMessage, now });
    this.insertHistory.run({ id, status: 'failed', errorCode, now });
  }

  /** Applies a status callback unless the message already moved past that status. */
  applyStatus(update: StatusUpdate): StatusUpdateResult {
    return this.applyUpdate(update);
  }

  /** An outbound message by Twilio sid, or by the bridge's id if Twilio never gave it one. */
  find(sidOrId: string): Message | null {
    const row = this.selectByIdOrSid.get(sidOrId, sidOrId);
    return row ? this.toMessage(row) : null;
  }

  newest(limit: number, filter: OutboxFilter): Message[] {
    return this.selectNewest.all({ ...params(filter), limit }).map((row) => this.toMessage(row));
  }

  afterSid(sidOrId: string, limit: number, filter: OutboxFilter): Message[] | null {
    const cursor = this.selectByIdOrSid.get(sidOrId, sidOrId);
    if (!cursor) return null;
    return this.after({ seq: cursor.seq, time: '' }, limit, filter);
  }

  afterTime(time: string, limit: number, filter: OutboxFilter): Message[] {
    return this.after({ seq: 0, time }, limit, filter);
  }

  private after(from: { seq: number; time: string }, limit: number, filter: OutboxFilter) {
    return this.selectAfter
      .all({ ...params(filter), ...from, limit })
      .map((row) => this.toMessage(row));
  }

  private toMessage(row: OutboundRow): Message {
    return {
      sid: row.sid ?? row.id,
      direction: 'outbound',
      from: row.from_number,
      to: row.to_number,
      body: row.body,
      media: (JSON.parse(row.media) as string[]).map((url) => ({ url, contentType: null })),
      status: row.status,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      segments: row.segments ?? undefined,
      encoding: row.encoding ?? undefined,
      twilioSegments: row.twilio_segments,
      messagingServiceSid: row.messaging_service_sid,
      errorCode: row.error_code,
      errorMessage: row.error_message,
      history: this.selectHistory.all(row.id),
    };
  }

  /** Each number the bridge texted: how many texts and the latest. */
  correspondents(): Correspondent[] {
    return this.selectCorrespondents
      .all()
      .map((row) => ({ number: row.to_number, count: row.count, last: this.toMessage(row) }));
  }

  /** The newest `limit` texts to `number` before `bound`, newest first. */
  thread(number: string, bound: ThreadBound | null, limit: number): ThreadEntry[] {
    return this.selectThread
      .all({
        number,
        at: bound?.at ?? null,
        seq: bound ? Math.min(bound.seq, Number.MAX_SAFE_INTEGER) : 0,
        limit,
      })
      .map((row) => ({ message: this.toMessage(row), at: row.created_at, seq: row.seq }));
  }

  /** Where a sent text sits in its conversation, by sid or the bridge's id. */
  positionOf(sidOrId: string): { number: string; at: string; seq: number } | null {
    const row = this.selectByIdOrSid.get(sidOrId, sidOrId);
    return row ? { number: row.to_number, at: row.created_at, seq: row.seq } : null;
  }

  /** Retention: forgets messages created before `time`; returns how many. */
  pruneBefore(time: string): number {
    return this.deleteBefore(time);
  }
}

function params(filter: OutboxFilter) {
  return { status: filter.status ?? null, to: filter.to ?? null };
}

function isoNow(): string {
  return new Date().toISOString();
}
