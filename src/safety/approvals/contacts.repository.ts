import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../../storage/database';

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
  private readonly selectOne;
  private readonly selectAll;
  private readonly upsertApproval;
  private readonly upsertPending;
  private readonly upsertOptOut;
  private readonly upsertInbound;

  constructor(@Inject(Database) database: Database) {
    this.selectOne = database.prepare<[string], ContactRow>(
      'SELECT * FROM contacts WHERE number = ?',
    );
    this.selectAll = database.prepare<[], ContactRow>(
      'SELECT * FROM contacts ORDER BY updated_at DESC, number',
    );
    this.upsertApproval = database.prepare(
      `INSERT INTO contacts (number, approval, approval_source, updated_at)
       VALUES (@number, @approval, @source, @now)
       ON CONFLICT (number) DO UPDATE SET approval = excluded.approval,
         approval_source = excluded.approval_source, updated_at = excluded.updated_at`,
    );
    // A held message makes a stranger pending; it does not undo an earlier decision.
    this.upsertPending = database.prepare(
      `INSERT INTO contacts (number, approval, approval_source, updated_at)
       VALUES (@number, 'pending', @source, @now)
       ON CONFLICT (number) DO UPDATE SET approval = 'pending',
         approval_source = excluded.approval_source, updated_at = excluded.updated_at
       WHERE contacts.approval IS NULL`,
    );
    this.upsertOptOut = database.prepare(
      `INSERT INTO contacts (number, opted_out, opt_out_source, updated_at)
       VALUES (@number, @optedOut, @source, @now)
       ON CONFLICT (number) DO UPDATE SET opted_out = excluded.opted_out,
         opt_out_source = excluded.opt_out_source, updated_at = excluded.updated_at`,
    );
    this.upsertInbound = database.prepare(
      `INSERT INTO contacts (number, last_keyword, first_inbound_at, updated_at)
       VALUES (@number, @keyword, @now, @now)
       ON CONFLICT (number) DO UPDATE SET
         first_inbound_at = coalesce(contacts.first_inbound_at, excluded.first_inbound_at),
         last_keyword = coalesce(excluded.last_keyword, contacts.last_keyword),
         updated_at = excluded.updated_at`,
    );
  }

  get(number: string): ContactRow | undefined {
    return this.selectOne.get(number);
  }

  all(): ContactRow[] {
    return this.selectAll.all();
  }

  setApproval(number: string, approval: ApprovalState, source: string): void {
    this.upsertApproval.run({ number, approval, source, now: new Date().toISOString() });
  }

  markPending(number: string, source: string): void {
    this.upsertPending.run({ number, source, now: new Date().toISOString() });
  }

  setOptedOut(number: string, optedOut: boolean, source: string): void {
    this.upsertOptOut.run({
      number,
      optedOut: optedOut ? 1 : 0,
      source,
      now: new Date().toISOString(),
    });
  }

  recordInbound(number: string, keyword: string | null): void {
    this.upsertInbound.run({ number, keyword, now: new Date().toISOString() });
  }
}
