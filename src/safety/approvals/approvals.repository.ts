import { Injectable } from '@nestjs/common';
import type { Store } from '../../storage/store';

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired';

export interface ApprovalRow {
  id: string;
  to_number: string;
  body: string | null;
  /** The media URLs of a held MMS, as a JSON array. */
  media: string;
  reason: string;
  /** Pending rows older than the cutoff read as expired. */
  status: ApprovalStatus;
  requested_by: string | null;
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

/** Approvals as the bridge reads them: a pending row older than `cutoff` reads as expired. */
function effective(db: Store, cutoff: string) {
  return db.selectFrom('approvals').select((eb) => [
    'id',
    'to_number',
    'body',
    'media',
    'reason',
    'requested_by',
    'created_at',
    'decided_at',
    'decided_by',
    eb
      .case()
      .when(eb.and([eb('status', '=', 'pending'), eb('created_at', '<', cutoff)]))
      .then('expired')
      .else(eb.ref('status'))
      .end()
      .as('status'),
  ]);
}

/** At most this many approvals are listed, newest first. */
const LIST_LIMIT = 500;

/** Held messages and approval requests; expiry is read from the age, not written. */
@Injectable()
export class ApprovalsRepository {
  async create(
    db: Store,
    row: Omit<ApprovalRow, 'status' | 'decided_at' | 'decided_by'>,
  ): Promise<void> {
    await db
      .insertInto('approvals')
      .values({ ...row, status: 'pending' })
      .execute();
  }

  get(db: Store, id: string, cutoff: string): Promise<ApprovalRow | undefined> {
    return effective(db, cutoff).where('id', '=', id).executeTakeFirst() as Promise<
      ApprovalRow | undefined
    >;
  }

  /** A pending, unexpired approval of exactly this message, if there is one. */
  async findPending(
    db: Store,
    message: { to: string; body: string | null; media: string },
    cutoff: string,
  ): Promise<string | undefined> {
    const row = await db
      .selectFrom('approvals')
      .select('id')
      .where('status', '=', 'pending')
      .where('created_at', '>=', cutoff)
      .where('to_number', '=', message.to)
      .where('body', message.body === null ? 'is' : '=', message.body)
      .where('media', '=', message.media)
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    return row?.id;
  }

  /** Pending approvals younger than the cutoff: those still waiting for the operator. */
  async countPending(db: Store, cutoff: string): Promise<number> {
    const { count } = await db
      .selectFrom('approvals')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('status', '=', 'pending')
      .where('created_at', '>=', cutoff)
      .executeTakeFirstOrThrow();
    return Number(count);
  }

  list(db: Store, cutoff: string, status?: ApprovalStatus): Promise<ApprovalRow[]> {
    return db
      .selectFrom(effective(db, cutoff).as('effective'))
      .selectAll()
      .$if(status !== undefined, (query) => query.where('status', '=', status!))
      .orderBy('created_at', 'desc')
      .limit(LIST_LIMIT)
      .execute() as Promise<ApprovalRow[]>;
  }

  /** Decides a pending approval; false if it was no longer pending. */
  async setDecision(
    db: Store,
    id: string,
    status: 'approved' | 'denied',
    by: string,
  ): Promise<boolean> {
    const result = await db
      .updateTable('approvals')
      .set({ status, decided_at: new Date().toISOString(), decided_by: by })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Retention: removes the text and media of settled approvals made before `before`; how
   * many. A pending approval not yet expired keeps its text: approving it sends that text.
   */
  async clearTextBefore(db: Store, before: string, cutoff: string): Promise<number> {
    const result = await db
      .updateTable('approvals')
      .set({ body: null, media: '[]' })
      .where('created_at', '<', before)
      .where((eb) =>
        eb.and([
          eb.or([eb('status', '<>', 'pending'), eb('created_at', '<', cutoff)]),
          eb.or([eb('body', 'is not', null), eb('media', '<>', '[]')]),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
