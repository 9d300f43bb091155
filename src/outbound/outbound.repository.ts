import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import type {
  Correspondent,
  Message,
  MessageStatusChange,
  ThreadBound,
  ThreadEntry,
} from '../common/message';
import { isSqlite, Store } from '../storage/store';
import type { Tables } from '../storage/tables';
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

type OutboundRow = Selectable<Tables['outbound_messages']>;

/** Outbound messages: recorded as `sending` before Twilio is called, settled after. */
@Injectable()
export class OutboundRepository {
  async recordSending(db: Store, message: Omit<PendingSend, 'id'>): Promise<PendingSend> {
    const pending = { id: randomUUID(), ...message };
    const now = isoNow();
    await db
      .insertInto('outbound_messages')
      .values({
        id: pending.id,
        from_number: pending.from,
        to_number: pending.to,
        body: pending.body,
        media: JSON.stringify(pending.mediaUrl ?? []),
        status: 'sending',
        segments: pending.segments ?? null,
        encoding: pending.encoding ?? null,
        day: pending.day,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return pending;
  }

  async recordAccepted(db: Store, id: string, accepted: AcceptedMessage): Promise<void> {
    const now = isoNow();
    await db
      .updateTable('outbound_messages')
      .set({
        sid: accepted.sid,
        status: accepted.status,
        twilio_segments: accepted.segments,
        from_number: accepted.from,
        messaging_service_sid: accepted.messagingServiceSid,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await addHistory(db, { id, status: accepted.status, errorCode: null, now });
  }

  async recordFailed(
    db: Store,
    id: string,
    errorCode: number | null,
    errorMessage: string,
  ): Promise<void> {
    const now = isoNow();
    await db
      .updateTable('outbound_messages')
      .set({
        status: 'failed',
        error_code: errorCode,
        error_message: errorMessage,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await addHistory(db, { id, status: 'failed', errorCode, now });
  }

  /**
   * In `trx`: applies a status callback unless the message already moved past that status.
   * The row is locked first, so two callbacks for one text (on two bridges) take turns.
   */
  async applyStatus(trx: Store, update: StatusUpdate): Promise<StatusUpdateResult> {
    const row = await trx
      .selectFrom('outbound_messages')
      .select(['id', 'status'])
      .where('sid', '=', update.sid)
      .$if(!isSqlite(trx), (query) => query.forUpdate())
      .executeTakeFirst();
    if (!row) return 'unknown_message';
    if (!movesForward(row.status, update.status)) return 'stale';
    const now = isoNow();
    const from = update.from ?? null;
    await trx
      .updateTable('outbound_messages')
      .set((eb) => ({
        status: update.status,
        error_code: eb.fn.coalesce(eb.val(update.errorCode), 'error_code'),
        // A Messaging Service sender is recorded as its MG sid until a callback names the number.
        from_number: eb
          .case()
          .when('from_number', 'like', 'MG%')
          .then(eb.fn.coalesce(eb.val(from), 'from_number'))
          .else(eb.ref('from_number'))
          .end(),
        updated_at: now,
      }))
      .where('id', '=', row.id)
      .execute();
    await addHistory(trx, { id: row.id, status: update.status, errorCode: update.errorCode, now });
    return 'applied';
  }

  /** An outbound message by Twilio sid, or by the bridge's id if Twilio never gave it one. */
  async find(db: Store, sidOrId: string): Promise<Message | null> {
    const row = await bySidOrId(db, sidOrId);
    return row ? (await toMessages(db, [row]))[0] : null;
  }

  async newest(db: Store, limit: number, filter: OutboxFilter): Promise<Message[]> {
    const rows = await matching(db, filter).orderBy('seq', 'desc').limit(limit).execute();
    return toMessages(db, rows.reverse());
  }

  async afterSid(
    db: Store,
    sidOrId: string,
    limit: number,
    filter: OutboxFilter,
  ): Promise<Message[] | null> {
    const cursor = await bySidOrId(db, sidOrId);
    if (!cursor) return null;
    return this.after(db, { seq: cursor.seq, time: '' }, limit, filter);
  }

  afterTime(db: Store, time: string, limit: number, filter: OutboxFilter): Promise<Message[]> {
    return this.after(db, { seq: 0, time }, limit, filter);
  }

  private async after(
    db: Store,
    from: { seq: number; time: string },
    limit: number,
    filter: OutboxFilter,
  ): Promise<Message[]> {
    const rows = await matching(db, filter)
      .where('seq', '>', from.seq)
      .where('created_at', '>', from.time)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return toMessages(db, rows);
  }

  /** Each number the bridge texted: how many texts and the latest. */
  async correspondents(db: Store): Promise<Correspondent[]> {
    const latest = await db
      .selectFrom('outbound_messages')
      .select((eb) => [
        'to_number',
        eb.fn.max('seq').as('seq'),
        eb.fn.countAll<number>().as('count'),
      ])
      .groupBy('to_number')
      .orderBy('to_number')
      .execute();
    if (latest.length === 0) return [];
    const rows = await db
      .selectFrom('outbound_messages')
      .selectAll()
      .where(
        'seq',
        'in',
        latest.map((row) => row.seq),
      )
      .execute();
    const bySeq = new Map(rows.map((row) => [row.seq, row]));
    const last = await toMessages(
      db,
      latest.map((row) => bySeq.get(row.seq)!),
    );
    return latest.map((row, i) => ({
      number: row.to_number,
      count: Number(row.count),
      last: last[i],
    }));
  }

  /** The newest `limit` texts to `number` before `bound`, newest first. */
  async thread(
    db: Store,
    number: string,
    bound: ThreadBound | null,
    limit: number,
  ): Promise<ThreadEntry[]> {
    const rows = await db
      .selectFrom('outbound_messages')
      .selectAll()
      .where('to_number', '=', number)
      .$if(bound !== null, (query) =>
        query.where((eb) =>
          eb.or([
            eb('created_at', '<', bound!.at),
            eb.and([
              eb('created_at', '=', bound!.at),
              eb('seq', '<', Math.min(bound!.seq, Number.MAX_SAFE_INTEGER)),
            ]),
          ]),
        ),
      )
      .orderBy('created_at', 'desc')
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
    const messages = await toMessages(db, rows);
    return rows.map((row, i) => ({ message: messages[i], at: row.created_at, seq: row.seq }));
  }

  /** Where a sent text sits in its conversation, by sid or the bridge's id. */
  async positionOf(
    db: Store,
    sidOrId: string,
  ): Promise<{ number: string; at: string; seq: number } | null> {
    const row = await bySidOrId(db, sidOrId);
    return row ? { number: row.to_number, at: row.created_at, seq: row.seq } : null;
  }

  /** In `trx`: forgets messages created before `time`; returns how many. */
  async pruneBefore(trx: Store, time: string): Promise<number> {
    // History rows reference their message, so they go first.
    await trx
      .deleteFrom('outbound_status_history')
      .where('message_id', 'in', (eb) =>
        eb
          .selectFrom('outbound_messages')
          .select('outbound_messages.id')
          .where('outbound_messages.created_at', '<', time),
      )
      .execute();
    const result = await trx
      .deleteFrom('outbound_messages')
      .where('created_at', '<', time)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function bySidOrId(db: Store, sidOrId: string): Promise<OutboundRow | undefined> {
  return db
    .selectFrom('outbound_messages')
    .selectAll()
    .where((eb) => eb.or([eb('sid', '=', sidOrId), eb('id', '=', sidOrId)]))
    .executeTakeFirst();
}

function matching(db: Store, filter: OutboxFilter) {
  return db
    .selectFrom('outbound_messages')
    .selectAll()
    .$if(filter.status !== undefined, (query) => query.where('status', '=', filter.status!))
    .$if(filter.to !== undefined, (query) => query.where('to_number', '=', filter.to!));
}

async function addHistory(
  db: Store,
  change: { id: string; status: string; errorCode: number | null; now: string },
): Promise<void> {
  await db
    .insertInto('outbound_status_history')
    .values({
      message_id: change.id,
      status: change.status,
      error_code: change.errorCode,
      at: change.now,
    })
    .execute();
}

/** The messages of `rows`, in their order, with their status histories read in one query. */
async function toMessages(db: Store, rows: OutboundRow[]): Promise<Message[]> {
  if (rows.length === 0) return [];
  const changes = await db
    .selectFrom('outbound_status_history')
    .select(['message_id', 'status', 'error_code as errorCode', 'at'])
    .where(
      'message_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('id')
    .execute();
  const histories = new Map<string, MessageStatusChange[]>();
  for (const { message_id, ...change } of changes) {
    const history = histories.get(message_id);
    if (history) history.push(change);
    else histories.set(message_id, [change]);
  }
  return rows.map((row) => toMessage(row, histories.get(row.id) ?? []));
}

function toMessage(row: OutboundRow, history: MessageStatusChange[]): Message {
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
    encoding: (row.encoding as Encoding | null) ?? undefined,
    twilioSegments: row.twilio_segments,
    messagingServiceSid: row.messaging_service_sid,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    history,
  };
}

function isoNow(): string {
  return new Date().toISOString();
}
