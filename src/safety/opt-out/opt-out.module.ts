import { Module } from '@nestjs/common';
import { ApprovalsModule } from '../approvals/approvals.module';
import { AuditModule } from '../audit/audit.module';
import { OptOutService } from './opt-out.service';

/** STOP and START from recipients, and Twilio's 21610, kept on the contact. */
@Module({
  imports: [ApprovalsModule, AuditModule],
  providers: [OptOutService],
  exports: [OptOutService],
})
export class OptOutModule {}
