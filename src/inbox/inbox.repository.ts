import { Inject, Injectable } from '@nestjs/common';
import type { Correspondent, Message, ThreadBound, ThreadEntry } from '../common/message';
import type { MessageSource } from '../common/message-page';
import { Database } from '../storage/database';

export interface InboundMessage {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  body: string;
  media: { url: string; contentType: string }[];
}

export interface InboundRow {
  seq: number;
  sid: string;
  from_number: string;
  to_number: string;
  body: string;
  media: string;
  received_at: string;
  suppressed: 0 | 1;
  opt_out_hint: 0 | 1;
}

export function toMessage(row: InboundRow): Message {
  return {
    sid: row.sid,
    direction: 'inbound',
    from: row.from_number,
    to: row.to_number,
    body: row.body,
    media: JSON.parse(row.media) as Message['media'],
    // Over the per-sender limit: kept, shown only when asked for.
    status: row.suppressed ? 'suppressed' : 'received',
    createdAt: row.received_at,
    ...(row.opt_out_hint ? { optOutHint: true } : {}),
  };
}

@Injectable()
/** The filter of a page is whether suppressed texts are included. */
export class InboxRepository implements MessageSource<boolean> {
  private readonly insert;
  private readonly selectLastFrom;
  private readonly selectNewest;
  private readonly selectAfterSeq;
  private readonly selectAfterTime;
  private readonly selectSeq;
  private readonly countDelivered;
  private readonly selectBySid;
  private readonly deleteBefore;
  private readonly selectCorrespondents;
  private readonly selectThread;

  constructor(@Inject(Database) database: Database) {
    this.insert = database.prepare(
      `INSERT INTO inbound_messages (sid, account_sid, from_number, to_number, body, media, received_at, suppressed, opt_out_hint)
       VALUES (@sid, @accountSid, @from, @to, @body, @media, @receivedAt, @suppressed, @optOutHint)
       ON CONFLICT (sid) DO NOTHING`,
    );
    // `all` = 1 includes suppressed messages.
    this.selectNewest = database.prepare<[number, number], InboundRow>(
      `SELECT * FROM (SELECT * FROM inbound_messages WHERE (? OR suppressed = 0) ORDER BY seq DESC LIMIT ?) AS page
       ORDER BY seq`,
    );
    this.selectAfterSeq = database.prepare<[number, number, number], InboundRow>(
      'SELECT * FROM inbound_messages WHERE seq > ? AND (? OR suppressed = 0) ORDER BY seq LIMIT ?',
    );
    // Ordered as the received_at index is (time, then seq), so the page is read straight
    // off the index. ORDER BY seq alone made SQLite walk the table from its first row:
    // 350 ms for the newest page of 1M messages (npm run bench, docs/BENCHMARKS.md).
    this.selectAfterTime = database.prepare<[string, number, number], InboundRow>(
      'SELECT * FROM inbound_messages WHERE received_at > ? AND (? OR suppressed = 0) ORDER BY received_at, seq LIMIT ?',
    );
    // Counts no further than the limit: a flood from one number must not cost more per text.
    this.countDelivered = database.prepare<[string, string, number], { count: number }>(
      `SELECT count(*) AS count FROM (SELECT 1 FROM inbound_messages
       WHERE from_number = ? AND received_at > ? AND suppressed = 0 LIMIT ?) AS delivered`,
    );
    this.selectLastFrom = database.prepare<[string], { received_at: string }>(
      'SELECT max(received_at) AS received_at FROM inbound_messages WHERE from_number = ?',
    );
    this.selectSeq = database.prepare<[string], { seq: number }>(
      'SELECT seq FROM inbound_messages WHERE sid = ?',
    );
    this.selectBySid = database.prepare<[string], InboundRow>(
      'SELECT * FROM inbound_messages WHERE sid = ?',
    );
    this.deleteBefore = database.prepare<[string]>(
      'DELETE FROM inbound_messages WHERE received_at < ?',
    );
    this.selectCorrespondents = database.prepare<[], InboundRow & { count: number }>({
      // SQLite gives the bare columns of an aggregate query from the row max() picked.
      sqlite: `SELECT *, max(seq), count(*) AS count FROM inbound_messages WHERE suppressed = 0
       GROUP BY from_number`,
      postgres: `SELECT DISTINCT ON (from_number) *, count(*) OVER (PARTITION BY from_number) AS count
        FROM inbound_messages WHERE suppressed = 0 ORDER BY from_number, seq DESC`,
    });
    this.selectThread = database.prepare<object, InboundRow>(
      `SELECT * FROM inbound_messages WHERE from_number = @number AND (@all OR suppressed = 0)
         AND (received_at < @at OR (received_at = @at AND seq < @seq) OR @at IS NULL)
       ORDER BY received_at DESC, seq DESC LIMIT @limit`,
    );
  }

  /** Stores the message unless its sid is already stored (Twilio retries); true if new. */
  save(message: InboundMessage, flags: { suppressed: boolean; optOutHint: boolean }): boolean {
    const result = this.insert.run({
      ...message,
      media: JSON.stringify(message.media),
      receivedAt: new Date().toISOString(),
      suppressed: flags.suppressed ? 1 : 0,
      optOutHint: flags.optOutHint ? 1 : 0,
    });
    return result.changes === 1;
  }

  /** When the last text from `from` came in (ISO-8601 UTC), or null if none ever did. */
  lastReceivedFrom(from: string): string | null {
    return this.selectLastFrom.get(from)?.received_at ?? null;
  }

  /** How many texts from `from` received after `time` were delivered (not suppressed), up to `atMost`. */
  deliveredFromSince(from: string, time: string, atMost: number): number {
    return this.countDelivered.get(from, time, atMost)?.count ?? 0;
  }

  newest(limit: number, includeSuppressed = false): Message[] {
    return this.selectNewest.all(Number(includeSuppressed), limit).map(toMessage);
  }

  /** Up to `limit` messages after the one with `sid`, or null if there is no such message. */
  afterSid(sid: string, limit: number, includeSuppressed = false): Message[] | null {
    const cursor = this.selectSeq.get(sid);
    if (!cursor) return null;
    return this.selectAfterSeq.all(cursor.seq, Number(includeSuppressed), limit).map(toMessage);
  }

  find(sid: string): Message | null {
    const row = this.selectBySid.get(sid);
    return row ? toMessage(row) : null;
  }

  afterTime(time: string, limit: number, includeSuppressed = false): Message[] {
    return this.selectAfterTime.all(time, Number(includeSuppressed), limit).map(toMessage);
  }

  /** Each number that texted the bridge: how many texts it sent and its latest (not suppressed). */
  correspondents(): Correspondent[] {
    return this.selectCorrespondents
      .all()
      .map((row) => ({ number: row.from_number, count: row.count, last: toMessage(row) }));
  }

  /** The newest `limit` texts from `number` before `bound`, newest first. */
  thread(
    number: string,
    bound: ThreadBound | null,
    limit: number,
    includeSuppressed = false,
  ): ThreadEntry[] {
    return this.selectThread
      .all({
        number,
        all: Number(includeSuppressed),
        at: bound?.at ?? null,
        seq: bound ? Math.min(bound.seq, Number.MAX_SAFE_INTEGER) : 0,
        limit,
      })
      .map((row) => ({ message: toMessage(row), at: row.received_at, seq: row.seq }));
  }

  /** Where a stored text sits in its conversation, by sid. */
  positionOf(sid: string): { number: string; at: string; seq: number } | null {
    const row = this.selectBySid.get(sid);
    return row ? { number: row.from_number, at: row.received_at, seq: row.seq } : null;
  }

  /** Retention: forgets messages received before `time`; returns how many. */
  pruneBefore(time: string): number {
    return this.deleteBefore.run(time).changes;
  }
}
