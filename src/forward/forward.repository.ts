import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { NotNull } from 'kysely';
import { isSqlite, Store } from '../storage/store';

export type ForwardState = 'pending' | 'delivered' | 'failed';

export interface DueForward {
  sid: string;
  attempts: number;
}

/** Pushes stopped on a refusal that retrying cannot fix (migration 017). */
export interface ForwardHalt {
  since: string;
  reason: string;
  /** Fingerprint of the forward settings the hook refused. */
  settings: string;
}

export interface ForwardRecord {
  sid: string;
  state: ForwardState;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  deliveredAt: string | null;
}

/**
 * Arrival order: rows are queued as messages are stored. SQLite's implicit rowid; on
 * PostgreSQL a column of that name (migration 006), so the queue reads the same. Neither is
 * a column of the typed tables, hence the raw name.
 */
const ARRIVAL = sql<number>`rowid`;

/**
 * The outbox of inbound messages to push (migration 006). Rows are queued by a trigger
 * on inbound_messages while forwarding is enabled; this class turns it on or off and
 * settles each row, by its sid.
 */
@Injectable()
export class ForwardRepository {
  /** While enabled, every newly stored inbound message is queued. */
  async enable(db: Store, enabled: boolean): Promise<void> {
    await db
      .updateTable('forward_settings')
      .set({ enabled: enabled ? 1 : 0 })
      .where('id', '=', 1)
      .execute();
  }

  /**
   * Pending pushes whose time has come, oldest message first, leased until `leaseUntil`: due
   * again then only if their push neither settled nor rescheduled them (a crash mid-push).
   * One statement, so it needs no transaction: another bridge on the same database does not
   * see a leased row as due, so each message is pushed once.
   */
  async claim(db: Store, now: string, limit: number, leaseUntil: string): Promise<DueForward[]> {
    const due = db
      .selectFrom('inbound_forwards')
      .select('sid')
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('leased_until', 'is', null), eb('leased_until', '<=', now)]))
      .orderBy(ARRIVAL)
      .limit(limit)
      // PostgreSQL: a row another bridge is claiming at this instant is passed over, not
      // waited for. SQLite has one writer, and rejects FOR UPDATE.
      .$if(!isSqlite(db), (query) => query.forUpdate().skipLocked());
    const claimed = await db
      .updateTable('inbound_forwards')
      .set({ leased_until: leaseUntil })
      .where('sid', 'in', due)
      .returning(['sid', 'attempts', ARRIVAL.as('arrival')])
      .execute();
    // RETURNING comes in no promised order.
    return claimed
      .sort((a, b) => Number(a.arrival) - Number(b.arrival))
      .map(({ sid, attempts }) => ({ sid, attempts }));
  }

  async markDelivered(db: Store, sid: string): Promise<void> {
    await db
      .updateTable('inbound_forwards')
      .set((eb) => ({
        state: 'delivered',
        attempts: eb('attempts', '+', 1),
        delivered_at: new Date().toISOString(),
        last_error: null,
        leased_until: null,
      }))
      .where('sid', '=', sid)
      .where('state', '=', 'pending')
      .execute();
  }

  async markRetry(db: Store, sid: string, nextAttemptAt: string, error: string): Promise<void> {
    await db
      .updateTable('inbound_forwards')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        next_attempt_at: nextAttemptAt,
        last_error: error,
        leased_until: null,
      }))
      .where('sid', '=', sid)
      .where('state', '=', 'pending')
      .execute();
  }

  async markFailed(db: Store, sid: string, error: string): Promise<void> {
    await db
      .updateTable('inbound_forwards')
      .set((eb) => ({
        state: 'failed',
        attempts: eb('attempts', '+', 1),
        last_error: error,
        leased_until: null,
      }))
      .where('sid', '=', sid)
      .where('state', '=', 'pending')
      .execute();
  }

  /** Makes every pending push due now (at boot: whatever stopped the hook may be gone). */
  async retryPendingNow(db: Store): Promise<void> {
    await db
      .updateTable('inbound_forwards')
      .set({ next_attempt_at: new Date().toISOString() })
      .where('state', '=', 'pending')
      .execute();
  }

  /** Whether pushing is halted, since when and why; null while pushes go out. */
  async halt(db: Store): Promise<ForwardHalt | null> {
    const halt = await db
      .selectFrom('forward_settings')
      .select(['halted_since as since', 'halted_reason as reason', 'halted_settings as settings'])
      .where('id', '=', 1)
      .where('halted_since', 'is not', null)
      // haltPushes sets the three together.
      .$narrowType<{ since: NotNull; reason: NotNull; settings: NotNull }>()
      .executeTakeFirst();
    return halt ?? null;
  }

  /** Halts pushing; true when this call did (the first refusal), false when it already was. */
  async haltPushes(db: Store, reason: string, settings: string): Promise<boolean> {
    const result = await db
      .updateTable('forward_settings')
      .set({
        halted_since: new Date().toISOString(),
        halted_reason: reason,
        halted_settings: settings,
      })
      // Only the first refusal sets it: since stays the time pushing stopped.
      .where('id', '=', 1)
      .where('halted_since', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Gives back claimed pushes that were not made. */
  async release(db: Store, sids: string[]): Promise<void> {
    if (sids.length === 0) return;
    await db
      .updateTable('inbound_forwards')
      .set({ leased_until: null })
      .where('sid', 'in', sids)
      .execute();
  }

  /** Lifts a halt; the pending pushes are due again at once. Both or neither: pass a transaction. */
  async resume(trx: Store): Promise<void> {
    await trx
      .updateTable('forward_settings')
      .set({ halted_since: null, halted_reason: null, halted_settings: null })
      .where('id', '=', 1)
      .execute();
    await this.retryPendingNow(trx);
  }

  async all(db: Store): Promise<ForwardRecord[]> {
    const rows = await db
      .selectFrom('inbound_forwards')
      .select(['sid', 'state', 'attempts', 'next_attempt_at', 'last_error', 'delivered_at'])
      .orderBy(ARRIVAL)
      .execute();
    return rows.map((row) => ({
      sid: row.sid,
      state: row.state as ForwardState,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at,
      lastError: row.last_error,
      deliveredAt: row.delivered_at,
    }));
  }
}
