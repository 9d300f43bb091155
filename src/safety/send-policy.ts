import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ApprovalsService, HeldSend } from './approvals/approvals.service';
import { ContactsService } from './approvals/contacts.service';
import { LimitsService, Slot } from './limits/limits.service';

/** The send may go to Twilio, counted against `day`; or it is held for the operator. */
export type Admission = { slot: Slot } | { held: HeldSend };

/**
 * The order the rules apply in before a send reaches Twilio: the recipient's opt-out and
 * the operator's denial refuse it; an unknown number holds it; then the daily limits.
 * Runs inside the transaction that records the send, so the limit check and the
 * reservation of the slot are one step.
 */
@Injectable()
export class SendPolicy {
  constructor(
    @Inject(ContactsService) private readonly contacts: ContactsService,
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
    @Inject(LimitsService) private readonly limits: LimitsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  admit(to: string, body: string, caller: string, mediaUrl?: string[]): Admission {
    const known = this.contacts.checkRecipient(to);
    if (!known && this.config.safety.requireApproval) {
      return { held: this.approvals.hold(to, body, caller, mediaUrl) };
    }
    return { slot: this.limits.reserve(to) };
  }

  /**
   * A send for later (`at`): the same order, but the day's budget is only checked, not
   * taken; admit() runs again when it falls due.
   */
  admitLater(
    to: string,
    body: string,
    caller: string,
    at: Date,
    mediaUrl?: string[],
  ): { held?: HeldSend } {
    const known = this.contacts.checkRecipient(to);
    if (!known && this.config.safety.requireApproval) {
      return { held: this.approvals.hold(to, body, caller, mediaUrl) };
    }
    this.limits.checkDayOf(at, to);
    return {};
  }

  /** A held message the operator just approved: only the opt-out and the limits apply. */
  admitApproved(to: string): { slot: Slot } {
    this.contacts.checkRecipient(to);
    return { slot: this.limits.reserve(to) };
  }
}
