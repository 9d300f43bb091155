import { Injectable } from '@nestjs/common';
import { isSqlite, Store } from '../storage/store';

export type OperatorTextKind =
  'notification' | 'confirmation' | 'lockout' | 'approvals_full' | 'reply';

/** A text to or from an operator phone, as kept: the code is masked. */
export interface OperatorText {
  id: number;
  direction: 'inbound' | 'outbound';
  kind: OperatorTextKind;
  number: string;
  body: string;
  sid: string | null;
  /**
   * Outbound: sending, queued (or Twilio's status), failed, over_cap, refused, stopped.
   * Inbound: approved, denied, wrong_code, locked, stop, start, ignored, failed.
   */
  status: string;
  approvalId: string | null;
  error: string | null;
  createdAt: string;
}

export interface OperatorPhone {
  stopped: boolean;
  lockedAt: string | null;
  unlockedAt: string | null;
}

/** Statuses of outbound texts that never reached Twilio, and so do not count against the cap. */
const NOT_SENT = ['over_cap', 'refused', 'stopped'];
/**
 * Statuses of a notification that did not reach the phone, or not yet: its code is not
 * valid from that phone. 'sending' is the moment before Twilio answers.
 */
const NOT_NOTIFIED = [...NOT_SENT, 'sending', 'failed', 'undelivered'];

/**
 * The texts exchanged with the operator's phones, and what each phone asked or earned. Each
 * method runs on the executor it is given: the store, or a caller's transaction.
 */
@Injectable()
export class OperatorTextsRepository {
  /** Records a text; null when its sid is already recorded (a Twilio retry of a reply). */
  async record(
    db: Store,
    text: {
      direction: 'inbound' | 'outbound';
      kind: OperatorTextKind;
      number: string;
      body: string;
      status: string;
      day: string;
      sid?: string;
      approvalId?: string;
      error?: string;
    },
  ): Promise<number | null> {
    const row = await db
      .insertInto('operator_texts')
      .values({
        direction: text.direction,
        kind: text.kind,
        number: text.number,
        body: text.body,
        sid: text.sid ?? null,
        status: text.status,
        approval_id: text.approvalId ?? null,
        error: text.error ?? null,
        day: text.day,
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.column('sid').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id ?? null;
  }

  /** A sid given replaces the one kept; none keeps it. */
  async settle(
    db: Store,
    id: number,
    outcome: { status: string; sid?: string; error?: string },
  ): Promise<void> {
    await db
      .updateTable('operator_texts')
      .set({
        status: outcome.status,
        error: outcome.error ?? null,
        ...(outcome.sid !== undefined && { sid: outcome.sid }),
      })
      .where('id', '=', id)
      .execute();
  }

  /**
   * A text Twilio took for an operator phone, by its sid. On PostgreSQL its row stays locked
   * until `db`'s transaction ends, so that two callbacks for one text settle one after the
   * other, each seeing what the other wrote (SQLite's transaction already is the only writer).
   */
  async sent(db: Store, sid: string): Promise<{ id: number; status: string } | null> {
    const row = await db
      .selectFrom('operator_texts')
      .select(['id', 'status'])
      .where('sid', '=', sid)
      .where('direction', '=', 'outbound')
      .$if(!isSqlite(db), (query) => query.forUpdate())
      .executeTakeFirst();
    return row ?? null;
  }

  /** Whether Twilio took the notification of this approval for this phone. */
  async notified(db: Store, approvalId: string, number: string): Promise<boolean> {
    const row = await db
      .selectFrom('operator_texts')
      .select('id')
      .where('approval_id', '=', approvalId)
      .where('number', '=', number)
      .where('direction', '=', 'outbound')
      .where('kind', '=', 'notification')
      .where('status', 'not in', NOT_NOTIFIED)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Texts sent (or being sent) to a phone on a local day: what its daily cap counts. */
  async sentOn(db: Store, number: string, day: string): Promise<number> {
    const row = await db
      .selectFrom('operator_texts')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('number', '=', number)
      .where('day', '=', day)
      .where('direction', '=', 'outbound')
      .where('status', 'not in', NOT_SENT)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async wrongCodesSince(db: Store, number: string, time: string): Promise<number> {
    const row = await db
      .selectFrom('operator_texts')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('number', '=', number)
      .where('created_at', '>', time)
      .where('direction', '=', 'inbound')
      .where('status', '=', 'wrong_code')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async phone(db: Store, number: string): Promise<OperatorPhone> {
    const row = await db
      .selectFrom('operator_phones')
      .select(['stopped', 'locked_at', 'unlocked_at'])
      .where('number', '=', number)
      .executeTakeFirst();
    return {
      stopped: row?.stopped === 1,
      lockedAt: row?.locked_at ?? null,
      unlockedAt: row?.unlocked_at ?? null,
    };
  }

  async setStopped(db: Store, number: string, stopped: boolean): Promise<void> {
    await db
      .insertInto('operator_phones')
      .values({ number, stopped: stopped ? 1 : 0 })
      .onConflict((oc) =>
        oc.column('number').doUpdateSet((eb) => ({ stopped: eb.ref('excluded.stopped') })),
      )
      .execute();
  }

  async lock(db: Store, number: string): Promise<void> {
    const now = new Date().toISOString();
    await db
      .insertInto('operator_phones')
      .values({ number, locked_at: now })
      .onConflict((oc) =>
        oc.column('number').doUpdateSet((eb) => ({ locked_at: eb.ref('excluded.locked_at') })),
      )
      .execute();
  }

  async unlockAll(db: Store): Promise<void> {
    await db
      .updateTable('operator_phones')
      .set({ locked_at: null, unlocked_at: new Date().toISOString() })
      .where('locked_at', 'is not', null)
      .execute();
  }

  /** The newest `limit` texts (before the one with id `before`), oldest first. */
  async list(db: Store, limit: number, before?: number): Promise<OperatorText[]> {
    const rows = await db
      .selectFrom('operator_texts')
      .selectAll()
      .$if(Boolean(before), (query) => query.where('id', '<', before!))
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map((row) => ({
      id: row.id,
      direction: row.direction as OperatorText['direction'],
      kind: row.kind as OperatorTextKind,
      number: row.number,
      body: row.body,
      sid: row.sid,
      status: row.status,
      approvalId: row.approval_id,
      error: row.error,
      createdAt: row.created_at,
    }));
  }

  /**
   * Retention: removes the text of operator texts made before `time`; how many. The rows
   * stay: they count towards each phone's daily cap and its wrong-code lockout.
   */
  async clearTextBefore(db: Store, time: string): Promise<number> {
    const result = await db
      .updateTable('operator_texts')
      .set({ body: '' })
      .where('created_at', '<', time)
      .where('body', '<>', '')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
