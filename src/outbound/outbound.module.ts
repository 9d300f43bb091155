import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { InboxModule } from '../inbox/inbox.module';
import { OperatorTextsModule } from '../operator-texts/operator-texts.module';
import { SafetyModule } from '../safety/safety.module';
import { ScheduleModule } from '../schedule/schedule.module';
import { SendingModule } from '../sending/sending.module';
import { ApprovalsController } from './approvals.controller';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotencyService } from './idempotency.service';
import { OutboundRepository } from './outbound.repository';
import { OutboundService } from './outbound.service';
import { OutboxController } from './outbox.controller';
import { OutboxService } from './outbox.service';
import { ScheduledRunner } from './scheduled-runner';
import { SendController } from './send.controller';

@Module({
  imports: [SendingModule, SafetyModule, InboxModule, ScheduleModule, OperatorTextsModule],
  controllers: [SendController, ApprovalsController, OutboxController],
  providers: [
    OutboundService,
    OutboundRepository,
    IdempotencyRepository,
    IdempotencyService,
    OutboxService,
    ScheduledRunner,
    Clock,
  ],
  exports: [OutboundService, OutboxService],
})
export class OutboundModule {}
