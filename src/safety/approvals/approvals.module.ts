import { Module } from '@nestjs/common';
import { MessageModule } from '../message/message.module';
import { ApprovalsRepository } from './approvals.repository';
import { ApprovalsService } from './approvals.service';
import { ContactsController } from './contacts.controller';
import { ContactsRepository } from './contacts.repository';
import { ContactsService } from './contacts.service';

/** Who the agent may text: contacts (approved, denied, opted out) and pending approvals. */
@Module({
  imports: [MessageModule],
  controllers: [ContactsController],
  providers: [ContactsRepository, ContactsService, ApprovalsRepository, ApprovalsService],
  exports: [ContactsService, ApprovalsService],
})
export class ApprovalsModule {}
