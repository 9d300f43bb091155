import { Module } from '@nestjs/common';
import { ApprovalsModule } from '../approvals/approvals.module';
import { AuditModule } from '../audit/audit.module';
import { OptOutService } from './opt-out.service';
import { RecipientConsentRule } from './recipient-consent.rule';

/** STOP and START from recipients, and Twilio's 21610, kept on the contact. */
@Module({
  imports: [ApprovalsModule, AuditModule],
  providers: [OptOutService, RecipientConsentRule],
  exports: [OptOutService, RecipientConsentRule],
})
export class OptOutModule {}
