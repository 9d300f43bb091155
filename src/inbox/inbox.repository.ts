import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { SelectQueryBuilder, Selectable } from 'kysely';
import type { Correspondent, Message, ThreadBound, ThreadEntry } from '../common/message';
import { isSqlite, Store } from '../storage/store';
import type { Tables } from '../storage/tables';

export interface InboundMessage {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  body: string;
  media: { url: string; contentType: string }[];
}

type InboundRow = Selectable<Tables['inbound_messages']>;

/**
 * Delivered texts only: `suppressed = 0` as a literal, not a parameter, so that the planner
 * matches the partial index on delivered texts (migration 014).
 */
const DELIVERED = sql.lit(0);

function toMessage(row: InboundRow): Message {
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

/** Leaves out suppressed texts unless they are asked for. */
function withSuppressed<O>(
  includeSuppressed: boolean,
): (
  query: SelectQueryBuilder<Tables, 'inbound_messages', O>,
) => SelectQueryBuilder<Tables, 'inbound_messages', O> {
  return (query) => (includeSuppressed ? query : query.where('suppressed', '=', DELIVERED));
}

/** inbound_messages: the texts Twilio delivered, each once by its sid. */
@Injectable()
export class InboxRepository {
  /** Stores the message unless its sid is already stored (Twilio retries); true if new. */
  async save(
    db: Store,
    message: InboundMessage,
    flags: { suppressed: boolean; optOutHint: boolean },
  ): Promise<boolean> {
    const result = await db
      .insertInto('inbound_messages')
      .values({
        sid: message.sid,
        account_sid: message.accountSid,
        from_number: message.from,
        to_number: message.to,
        body: message.body,
        media: JSON.stringify(message.media),
        received_at: new Date().toISOString(),
        suppressed: flags.suppressed ? 1 : 0,
        opt_out_hint: flags.optOutHint ? 1 : 0,
      })
      // The sid's unique constraint is the dedupe: it holds across bridges too.
      .onConflict((conflict) => conflict.column('sid').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** When the last text from `from` came in (ISO-8601 UTC), or null if none ever did. */
  async lastReceivedFrom(db: Store, from: string): Promise<string | null> {
    const row = await db
      .selectFrom('inbound_messages')
      .select((eb) => eb.fn.max('received_at').as('received_at'))
      .where('from_number', '=', from)
      .executeTakeFirst();
    return row?.received_at ?? null;
  }

  /** How many texts from `from` received after `time` were delivered (not suppressed), up to `atMost`. */
  async deliveredFromSince(db: Store, from: string, time: string, atMost: number): Promise<number> {
    // Counts no further than the limit: a flood from one number must not cost more per text.
    const row = await db
      .selectFrom((eb) =>
        eb
          .selectFrom('inbound_messages')
          .select(sql.lit(1).as('one'))
          .where('from_number', '=', from)
          .where('received_at', '>', time)
          .where('suppressed', '=', DELIVERED)
          .limit(atMost)
          .as('delivered'),
      )
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  async newest(db: Store, limit: number, includeSuppressed: boolean): Promise<Message[]> {
    const rows = await db
      .selectFrom((eb) =>
        eb
          .selectFrom('inbound_messages')
          .selectAll()
          .$call(withSuppressed(includeSuppressed))
          .orderBy('seq', 'desc')
          .limit(limit)
          .as('page'),
      )
      .selectAll()
      .orderBy('seq')
      .execute();
    return rows.map(toMessage);
  }

  /** Up to `limit` messages after the one with `sid`, or null if there is no such message. */
  async afterSid(
    db: Store,
    sid: string,
    limit: number,
    includeSuppressed: boolean,
  ): Promise<Message[] | null> {
    const cursor = await db
      .selectFrom('inbound_messages')
      .select('seq')
      .where('sid', '=', sid)
      .executeTakeFirst();
    if (!cursor) return null;
    const rows = await db
      .selectFrom('inbound_messages')
      .selectAll()
      .where('seq', '>', cursor.seq)
      .$call(withSuppressed(includeSuppressed))
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toMessage);
  }

  async find(db: Store, sid: string): Promise<Message | null> {
    const row = await this.bySid(db, sid);
    return row ? toMessage(row) : null;
  }

  async afterTime(
    db: Store,
    time: string,
    limit: number,
    includeSuppressed: boolean,
  ): Promise<Message[]> {
    const rows = await db
      .selectFrom('inbound_messages')
      .selectAll()
      .where('received_at', '>', time)
      .$call(withSuppressed(includeSuppressed))
      // Ordered as the received_at index is (time, then seq), so the page is read straight
      // off the index. ORDER BY seq alone made SQLite walk the table from its first row:
      // 350 ms for the newest page of 1M messages (npm run bench, docs/BENCHMARKS.md).
      .orderBy('received_at')
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toMessage);
  }

  /** Each number that texted the bridge: how many texts it sent and its latest (not suppressed). */
  async correspondents(db: Store): Promise<Correspondent[]> {
    const delivered = db.selectFrom('inbound_messages').where('suppressed', '=', DELIVERED);
    // Each dialect's own way to a group's latest row: SQLite gives the bare columns of an
    // aggregate query from the row max() picked; PostgreSQL has DISTINCT ON.
    const rows = isSqlite(db)
      ? await delivered
          .selectAll()
          .select((eb) => [eb.fn.max('seq').as('latest'), eb.fn.countAll<number>().as('count')])
          .groupBy('from_number')
          .execute()
      : await delivered
          .distinctOn('from_number')
          .selectAll()
          .select((eb) =>
            eb.fn
              .countAll<number>()
              .over((over) => over.partitionBy('from_number'))
              .as('count'),
          )
          .orderBy('from_number')
          .orderBy('seq', 'desc')
          .execute();
    return rows.map((row) => ({
      number: row.from_number,
      count: Number(row.count),
      last: toMessage(row),
    }));
  }

  /** The newest `limit` texts from `number` before `bound`, newest first. */
  async thread(
    db: Store,
    number: string,
    bound: ThreadBound | null,
    limit: number,
    includeSuppressed: boolean,
  ): Promise<ThreadEntry[]> {
    const rows = await db
      .selectFrom('inbound_messages')
      .selectAll()
      .where('from_number', '=', number)
      .$call(withSuppressed(includeSuppressed))
      .$call((query) =>
        bound === null
          ? query
          : query.where((eb) =>
              eb.or([
                eb('received_at', '<', bound.at),
                eb.and([
                  eb('received_at', '=', bound.at),
                  // Infinity (every row at that instant) as the largest number a row can have.
                  eb('seq', '<', Math.min(bound.seq, Number.MAX_SAFE_INTEGER)),
                ]),
              ]),
            ),
      )
      .orderBy('received_at', 'desc')
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ message: toMessage(row), at: row.received_at, seq: row.seq }));
  }

  /** Where a stored text sits in its conversation, by sid. */
  async positionOf(
    db: Store,
    sid: string,
  ): Promise<{ number: string; at: string; seq: number } | null> {
    const row = await this.bySid(db, sid);
    return row ? { number: row.from_number, at: row.received_at, seq: row.seq } : null;
  }

  /** Retention: forgets messages received before `time`; returns how many. */
  async pruneBefore(db: Store, time: string): Promise<number> {
    const result = await db
      .deleteFrom('inbound_messages')
      .where('received_at', '<', time)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private bySid(db: Store, sid: string): Promise<InboundRow | undefined> {
    return db.selectFrom('inbound_messages').selectAll().where('sid', '=', sid).executeTakeFirst();
  }
}
