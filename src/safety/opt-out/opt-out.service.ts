import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Store } from '../../storage/store';
import { AuditService } from '../audit/audit.service';
import { ContactsService } from '../approvals/contacts.service';
import { Keyword, Reading, readReply } from './opt-out-keywords';

/** Twilio's "Attempt to send to unsubscribed recipient". */
const UNSUBSCRIBED_RECIPIENT = 21610;

const REASONS = { opt_out: 'opted_out', opt_in: 'opted_in', help: 'help' } as const;

/** What contacts.last_keyword keeps: the keyword a reply was read as, not its whole text. */
const KEYWORD_NAMES = { opt_out: 'STOP', opt_in: 'START', help: 'HELP' } as const;

/**
 * Opt-out as carriers and Twilio expect it: a recipient's STOP (however written: see
 * readReply) is honoured before Twilio is ever asked again, and START undoes it. Twilio also blocks sends to numbers
 * that texted STOP to it (error 21610); that answer is taken as an opt-out too.
 */
@Injectable()
export class OptOutService {
  constructor(
    @Inject(ContactsService) private readonly contacts: ContactsService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** How the bridge reads a reply: STOP, START, HELP, or a mention of opting out. */
  read(body: string): Reading {
    return readReply(body);
  }

  /** A new inbound text, read with `read`: the sender texted first, and may have sent a keyword. */
  async noticeInbound(
    trx: Store,
    from: string,
    body: string,
    keyword: Keyword | null,
  ): Promise<void> {
    await this.contacts.recordInbound(trx, from, keyword ? KEYWORD_NAMES[keyword] : null);
    if (keyword === 'opt_out') await this.contacts.setOptedOut(trx, from, true, 'keyword');
    if (keyword === 'opt_in') await this.contacts.setOptedOut(trx, from, false, 'keyword');
    if (keyword) {
      await this.audit.appendBestEffort(trx, {
        requestId: randomUUID(),
        action: 'inbound_keyword',
        phase: 'outcome',
        caller: 'twilio',
        recipient: from,
        body,
        outcome: 'accepted',
        reason: REASONS[keyword],
      });
    }
  }

  /** A send Twilio refused; 21610 means the recipient unsubscribed at Twilio. */
  async noticeSendError(trx: Store, to: string, twilioCode: unknown): Promise<void> {
    if (twilioCode === UNSUBSCRIBED_RECIPIENT) {
      await this.contacts.setOptedOut(trx, to, true, 'twilio');
    }
  }
}
