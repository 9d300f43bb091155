import { Module } from '@nestjs/common';
import { InboxModule } from '../inbox/inbox.module';
import { OperatorTextsModule } from '../operator-texts/operator-texts.module';
import { OutboundModule } from '../outbound/outbound.module';
import { SafetyModule } from '../safety/safety.module';
import { ScheduleModule } from '../schedule/schedule.module';
import { BackupController } from './backup.controller';
import { RetentionService } from './retention.service';

/** Data care: online backups and message retention. */
@Module({
  imports: [SafetyModule, InboxModule, OutboundModule, ScheduleModule, OperatorTextsModule],
  controllers: [BackupController],
  providers: [RetentionService],
})
export class MaintenanceModule {}
