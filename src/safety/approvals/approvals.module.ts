import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { MessageModule } from '../message/message.module';
import { ApprovalCodeKey } from './approval-code-key';
import { ApprovalCodesRepository } from './approval-codes.repository';
import { ApprovalsRepository } from './approvals.repository';
import { ApprovalsService } from './approvals.service';
import { ContactsController } from './contacts.controller';
import { ContactsRepository } from './contacts.repository';
import { ContactsService } from './contacts.service';

/** Who the agent may text: contacts (approved, denied, opted out) and pending approvals. */
@Module({
  imports: [MessageModule, AccessModule],
  controllers: [ContactsController],
  providers: [
    ContactsRepository,
    ContactsService,
    ApprovalsRepository,
    ApprovalCodeKey,
    ApprovalCodesRepository,
    ApprovalsService,
  ],
  exports: [ContactsService, ApprovalsService],
})
export class ApprovalsModule {}
