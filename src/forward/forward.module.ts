import { Module } from '@nestjs/common';
import { InboxModule } from '../inbox/inbox.module';
import { ApprovalsModule } from '../safety/approvals/approvals.module';
import { ForwardController } from './forward.controller';
import { ForwardRepository } from './forward.repository';
import { ForwarderService } from './forwarder.service';

/** Pushes stored inbound messages to a local agent hook (SMS_FORWARD_URL), so it need not poll. */
@Module({
  imports: [InboxModule, ApprovalsModule],
  controllers: [ForwardController],
  providers: [ForwardRepository, ForwarderService],
  exports: [ForwarderService],
})
export class ForwardModule {}
