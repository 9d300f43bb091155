import { Injectable } from '@nestjs/common';
import type { ExpressionBuilder, Selectable } from 'kysely';
import { isSqlite, Store } from '../storage/store';
import type { Tables } from '../storage/tables';
import type { ScheduledStatus } from './scheduled-status';

/** A row as stored, its status one the schedule knows. */
export type ScheduledRow = Omit<Selectable<Tables['scheduled_sends']>, 'status'> & {
  status: ScheduledStatus;
};

/** A new send is held by no one. */
export type NewScheduledRow = Omit<ScheduledRow, 'leased_by' | 'leased_until'>;

/** Who holds a send while sending it, and until when (ISO). */
export interface Lease {
  owner: string;
  until: string;
}

/** What a change of status may also set. */
export type Settled = Partial<Pick<ScheduledRow, 'send_at' | 'sid' | 'error_code' | 'approval_id'>>;

/** At most this many sends are listed. */
const LIST_LIMIT = 500;

/** scheduled_sends: the schedule module's own table. Times are ISO-8601 UTC text. */
@Injectable()
export class ScheduledRepository {
  async create(db: Store, row: NewScheduledRow): Promise<void> {
    await db.insertInto('scheduled_sends').values(row).execute();
  }

  get(db: Store, id: string): Promise<ScheduledRow | undefined> {
    return rows(db).where('id', '=', id).executeTakeFirst();
  }

  list(db: Store, status?: ScheduledStatus): Promise<ScheduledRow[]> {
    return rows(db)
      .$if(status !== undefined, (query) => query.where('status', '=', status!))
      .orderBy('send_at')
      .orderBy('id')
      .limit(LIST_LIMIT)
      .execute();
  }

  due(db: Store, now: string): Promise<ScheduledRow[]> {
    return rows(db)
      .where('status', '=', 'scheduled')
      .where('send_at', '<=', now)
      .orderBy('send_at')
      .orderBy('id')
      .execute();
  }

  /** Sends a crash cut short: marked sending, never settled, and no bridge's lease on them. */
  interrupted(db: Store, now: string): Promise<ScheduledRow[]> {
    return rows(db)
      .where('status', '=', 'sending')
      .$if(!isSqlite(db), (query) => query.where(leaseRanOut(now)))
      .orderBy('send_at')
      .orderBy('id')
      .execute();
  }

  /** The earliest time something waits for, if anything does. */
  async next(db: Store): Promise<string | null> {
    const row = await db
      .selectFrom('scheduled_sends')
      .select((eb) => eb.fn.min('send_at').as('send_at'))
      .where('status', '=', 'scheduled')
      .executeTakeFirst();
    return row?.send_at ?? null;
  }

  /** The sends for later that asked for this approval, whatever became of them since. */
  askedFor(db: Store, approvalId: string): Promise<ScheduledRow[]> {
    return rows(db)
      .where('approval_id', '=', approvalId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** The sends for later to a number that wait for their time. */
  waitingTo(db: Store, number: string): Promise<ScheduledRow[]> {
    return rows(db)
      .where('to_number', '=', number)
      .where('status', '=', 'scheduled')
      .orderBy('send_at')
      .orderBy('id')
      .execute();
  }

  /** Moves a row from one status to another; false when it was no longer in `from`. */
  async move(
    db: Store,
    id: string,
    from: ScheduledStatus,
    to: ScheduledStatus,
    set: Settled = {},
  ): Promise<boolean> {
    const result = await db
      .updateTable('scheduled_sends')
      .set({ status: to, ...definedOnly(set), updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Takes a scheduled send to send it; false when another bridge took it first. */
  async claim(db: Store, id: string, lease: Lease): Promise<boolean> {
    const result = await db
      .updateTable('scheduled_sends')
      .set({
        status: 'sending',
        leased_by: lease.owner,
        leased_until: lease.until,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .where('status', '=', 'scheduled')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Takes over a send whose holder is gone (its lease ran out); false when another took it. */
  async takeOver(db: Store, id: string, lease: Lease, now: string): Promise<boolean> {
    const result = await db
      .updateTable('scheduled_sends')
      .set({
        leased_by: lease.owner,
        leased_until: lease.until,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .$if(!isSqlite(db), (query) => query.where(leaseRanOut(now)))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Keeps holding a send still being sent, while it is still this owner's. */
  async renew(db: Store, id: string, lease: Lease): Promise<void> {
    await db
      .updateTable('scheduled_sends')
      .set({ leased_until: lease.until })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('leased_by', '=', lease.owner)
      .execute();
  }

  /** A bridge that stops lets go of what it was sending: the next to boot takes it up at once. */
  async release(db: Store, owner: string, now: string): Promise<void> {
    await db
      .updateTable('scheduled_sends')
      .set({ leased_until: now })
      .where('status', '=', 'sending')
      .where('leased_by', '=', owner)
      .execute();
  }

  /**
   * Retention: forgets settled sends last changed before `time`; returns how many. A send
   * still waiting (scheduled, awaiting approval, sending) keeps its text to send it.
   */
  async pruneBefore(trx: Store, time: string): Promise<number> {
    const result = await trx
      .deleteFrom('scheduled_sends')
      .where('updated_at', '<', time)
      .where('status', 'not in', ['scheduled', 'awaiting_approval', 'sending'])
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function rows(db: Store) {
  return db.selectFrom('scheduled_sends').selectAll().$narrowType<ScheduledRow>();
}

/**
 * On PostgreSQL a row sending may be a live neighbour's: only a lease that ran out lets it
 * go. Not applied on SQLite, one bridge per file: a row sending at boot was cut short by this
 * file's previous process, whatever its lease says.
 */
function leaseRanOut(now: string) {
  return (eb: ExpressionBuilder<Tables, 'scheduled_sends'>) =>
    eb.or([eb('leased_until', 'is', null), eb('leased_until', '<=', now)]);
}

/** A column left out, or given no value, keeps what it had. */
function definedOnly(set: Settled): Settled {
  return Object.fromEntries(Object.entries(set).filter(([, value]) => value != null));
}
