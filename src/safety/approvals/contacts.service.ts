import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import { AppConfig } from '../../config/app-config';
import type { Store } from '../../storage/store';
import { ContactRow, ContactsRepository } from './contacts.repository';

export type ContactState = 'approved' | 'pending' | 'denied' | 'opted_out';

export interface Contact {
  number: string;
  state: ContactState;
  /** How the number came to be in that state: operator, approval, inbound, keyword, twilio... */
  source?: string;
  updatedAt: string;
}

/**
 * Who the bridge may text. A recipient's STOP wins over everything; then the operator's
 * decision; then, when SMS_TRUST_INBOUND_CONTACTS is on, having texted the bridge first
 * (replying is not outreach).
 */
@Injectable()
export class ContactsService {
  constructor(
    @Inject(Kysely) private readonly store: Store,
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async list(): Promise<Contact[]> {
    return (await this.contacts.all(this.store)).flatMap((row) => {
      const contact = this.view(row);
      return contact ? [contact] : [];
    });
  }

  /** `db`: the caller's transaction, when the answer decides what it writes. */
  async get(number: string, db: Store = this.store): Promise<Contact | null> {
    const row = await this.contacts.get(db, number);
    return row ? this.view(row) : null;
  }

  /** Pre-approval by the operator. It does not undo the recipient's STOP. */
  async preApprove(number: string): Promise<Contact> {
    await this.contacts.setApproval(this.store, number, 'approved', 'operator');
    return (await this.get(number))!;
  }

  /** The number texted the bridge (and maybe sent a keyword): it is known now. */
  async recordInbound(trx: Store, number: string, keyword: string | null): Promise<void> {
    await this.contacts.recordInbound(trx, number, keyword);
  }

  /** The recipient's own word (STOP, START) or Twilio's 21610; `source` says which. */
  async setOptedOut(trx: Store, number: string, optedOut: boolean, source: string): Promise<void> {
    await this.contacts.setOptedOut(trx, number, optedOut, source);
  }

  private view(row: ContactRow): Contact | null {
    const standing = this.standing(row);
    if (!standing) return null;
    const [state, source] = standing;
    return { number: row.number, state, source: source ?? undefined, updatedAt: row.updated_at };
  }

  private standing(row: ContactRow): [ContactState, string | null] | null {
    if (row.opted_out) return ['opted_out', row.opt_out_source];
    if (row.approval === 'approved' || row.approval === 'denied') {
      return [row.approval, row.approval_source];
    }
    if (this.config.safety.trustInboundContacts && row.first_inbound_at) {
      return ['approved', 'inbound'];
    }
    if (row.approval === 'pending') return ['pending', row.approval_source];
    return null;
  }
}
