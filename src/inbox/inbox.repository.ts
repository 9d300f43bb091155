import { Inject, Injectable } from '@nestjs/common';
import type { Message } from '../common/message';
import { Database } from '../storage/database';

export interface InboundMessage {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  body: string;
  media: { url: string; contentType: string }[];
}

interface InboundRow {
  seq: number;
  sid: string;
  from_number: string;
  to_number: string;
  body: string;
  media: string;
  received_at: string;
}

function toMessage(row: InboundRow): Message {
  return {
    sid: row.sid,
    direction: 'inbound',
    from: row.from_number,
    to: row.to_number,
    body: row.body,
    media: JSON.parse(row.media) as Message['media'],
    status: 'received',
    createdAt: row.received_at,
  };
}

@Injectable()
export class InboxRepository {
  private readonly insert;
  private readonly selectNewest;
  private readonly selectAfterSeq;
  private readonly selectAfterTime;
  private readonly selectSeq;

  constructor(@Inject(Database) database: Database) {
    this.insert = database.prepare(
      `INSERT INTO inbound_messages (sid, account_sid, from_number, to_number, body, media, received_at)
       VALUES (@sid, @accountSid, @from, @to, @body, @media, @receivedAt)
       ON CONFLICT (sid) DO NOTHING`,
    );
    this.selectNewest = database.prepare<[number], InboundRow>(
      'SELECT * FROM (SELECT * FROM inbound_messages ORDER BY seq DESC LIMIT ?) ORDER BY seq',
    );
    this.selectAfterSeq = database.prepare<[number, number], InboundRow>(
      'SELECT * FROM inbound_messages WHERE seq > ? ORDER BY seq LIMIT ?',
    );
    // Ordered as the received_at index is (time, then seq), so the page is read straight
    // off the index. ORDER BY seq alone made SQLite walk the table from its first row:
    // 350 ms for the newest page of 1M messages (npm run bench, docs/BENCHMARKS.md).
    this.selectAfterTime = database.prepare<[string, number], InboundRow>(
      'SELECT * FROM inbound_messages WHERE received_at > ? ORDER BY received_at, seq LIMIT ?',
    );
    this.selectSeq = database.prepare<[string], { seq: number }>(
      'SELECT seq FROM inbound_messages WHERE sid = ?',
    );
  }

  /** Stores the message unless its sid is already stored (Twilio retries); true if new. */
  save(message: InboundMessage): boolean {
    const result = this.insert.run({
      ...message,
      media: JSON.stringify(message.media),
      receivedAt: new Date().toISOString(),
    });
    return result.changes === 1;
  }

  newest(limit: number): Message[] {
    return this.selectNewest.all(limit).map(toMessage);
  }

  /** Up to `limit` messages after the one with `sid`, or null if there is no such message. */
  afterSid(sid: string, limit: number): Message[] | null {
    const cursor = this.selectSeq.get(sid);
    return cursor ? this.selectAfterSeq.all(cursor.seq, limit).map(toMessage) : null;
  }

  afterTime(time: string, limit: number): Message[] {
    return this.selectAfterTime.all(time, limit).map(toMessage);
  }
}
