import { Injectable } from '@nestjs/common';
import type { Store } from '../../storage/store';

export type ApprovalState = 'approved' | 'pending' | 'denied';

export interface ContactRow {
  number: string;
  approval: ApprovalState | null;
  approval_source: string | null;
  opted_out: 0 | 1;
  opt_out_source: string | null;
  last_keyword: string | null;
  first_inbound_at: string | null;
  updated_at: string;
}

/** Contacts: the operator's approval and the recipient's opt-out, kept apart. */
@Injectable()
export class ContactsRepository {
  get(db: Store, number: string): Promise<ContactRow | undefined> {
    return db
      .selectFrom('contacts')
      .selectAll()
      .where('number', '=', number)
      .executeTakeFirst() as Promise<ContactRow | undefined>;
  }

  all(db: Store): Promise<ContactRow[]> {
    return db
      .selectFrom('contacts')
      .selectAll()
      .orderBy('updated_at', 'desc')
      .orderBy('number')
      .execute() as Promise<ContactRow[]>;
  }

  async setApproval(
    db: Store,
    number: string,
    approval: ApprovalState,
    source: string,
  ): Promise<void> {
    const now = new Date().toISOString();
    await db
      .insertInto('contacts')
      .values({ number, approval, approval_source: source, updated_at: now })
      .onConflict((oc) =>
        oc.column('number').doUpdateSet({ approval, approval_source: source, updated_at: now }),
      )
      .execute();
  }

  /** A held message makes a stranger pending; it does not undo an earlier decision. */
  async markPending(db: Store, number: string, source: string): Promise<void> {
    const now = new Date().toISOString();
    await db
      .insertInto('contacts')
      .values({ number, approval: 'pending', approval_source: source, updated_at: now })
      .onConflict((oc) =>
        oc
          .column('number')
          .doUpdateSet({ approval: 'pending', approval_source: source, updated_at: now })
          .where('contacts.approval', 'is', null),
      )
      .execute();
  }

  async setOptedOut(db: Store, number: string, optedOut: boolean, source: string): Promise<void> {
    const now = new Date().toISOString();
    const values = { opted_out: optedOut ? 1 : 0, opt_out_source: source, updated_at: now };
    await db
      .insertInto('contacts')
      .values({ number, ...values })
      .onConflict((oc) => oc.column('number').doUpdateSet(values))
      .execute();
  }

  async recordInbound(db: Store, number: string, keyword: string | null): Promise<void> {
    const now = new Date().toISOString();
    await db
      .insertInto('contacts')
      .values({ number, last_keyword: keyword, first_inbound_at: now, updated_at: now })
      .onConflict((oc) =>
        oc.column('number').doUpdateSet((eb) => ({
          first_inbound_at: eb.fn.coalesce(
            'contacts.first_inbound_at',
            'excluded.first_inbound_at',
          ),
          last_keyword: eb.fn.coalesce('excluded.last_keyword', 'contacts.last_keyword'),
          updated_at: now,
        })),
      )
      .execute();
  }
}
