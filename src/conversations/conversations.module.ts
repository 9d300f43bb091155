import { Module } from '@nestjs/common';
import { InboxModule } from '../inbox/inbox.module';
import { OutboundModule } from '../outbound/outbound.module';
import { SafetyModule } from '../safety/safety.module';
import { ScheduleModule } from '../schedule/schedule.module';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';

/** Both directions of the texts with each number, read through their owners' methods. */
@Module({
  imports: [InboxModule, OutboundModule, SafetyModule, ScheduleModule],
  controllers: [ConversationsController],
  providers: [ConversationsService],
})
export class ConversationsModule {}
