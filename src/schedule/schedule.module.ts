import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { SendingModule } from '../sending/sending.module';
import { ScheduleService } from './schedule.service';
import { ScheduledController } from './scheduled.controller';
import { ScheduledRepository } from './scheduled.repository';

/**
 * Sends for later: stored, listed, cancelled. They pass the send pipeline's rules when
 * stored and again when the outbound module's runner sends them, when due.
 */
@Module({
  imports: [SendingModule],
  controllers: [ScheduledController],
  providers: [ScheduleService, ScheduledRepository, Clock],
  exports: [ScheduleService],
})
export class ScheduleModule {}
