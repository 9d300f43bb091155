import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { InboxModule } from '../inbox/inbox.module';
import { SafetyModule } from '../safety/safety.module';
import { ScheduleService } from './schedule.service';
import { ScheduledController } from './scheduled.controller';
import { ScheduledRepository } from './scheduled.repository';

/**
 * Sends for later and the recipient's quiet hours. The send itself is the outbound
 * module's: it starts the schedule with its send path, so a due send passes every rule.
 */
@Module({
  imports: [SafetyModule, InboxModule],
  controllers: [ScheduledController],
  providers: [ScheduleService, ScheduledRepository, Clock],
  exports: [ScheduleService],
})
export class ScheduleModule {}
