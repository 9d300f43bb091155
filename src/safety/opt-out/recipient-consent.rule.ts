import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import type { Store } from '../../storage/store';
import { ContactsService } from '../approvals/contacts.service';

/**
 * A recipient's STOP wins over everything, then the operator's denial, when `denial` says
 * the door honours it (an agent asking the operator to reconsider a denied number, or the
 * operator approving it, is how a denial is undone).
 */
@Injectable()
export class RecipientConsentRule {
  constructor(@Inject(ContactsService) private readonly contacts: ContactsService) {}

  /**
   * 403 recipient_opted_out, or 403 contact_denied; else whether the number is known
   * (approved by the operator, or trusted for having texted first).
   */
  async refuse(db: Store, number: string, denial: 'refused' | 'reconsidered'): Promise<boolean> {
    const state = (await this.contacts.get(number, db))?.state;
    if (state === 'opted_out') {
      throw new ApiError(
        'recipient_opted_out',
        'The recipient opted out (replied STOP). Nothing was sent; they can opt back in by texting START.',
        { to: number },
      );
    }
    if (state === 'denied' && denial === 'refused') {
      throw new ApiError(
        'contact_denied',
        'The operator denied texting this number. Nothing was sent; the operator can approve it with POST /sms/contacts.',
        { to: number },
      );
    }
    return state === 'approved';
  }
}
