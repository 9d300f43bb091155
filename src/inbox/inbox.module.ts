import { Module } from '@nestjs/common';
import { SafetyModule } from '../safety/safety.module';
import { InboundService } from './inbound.service';
import { InboxController } from './inbox.controller';
import { InboxRepository } from './inbox.repository';
import { InboxService } from './inbox.service';
import { TwilioModule } from '../twilio/twilio.module';

@Module({
  imports: [SafetyModule, TwilioModule],
  controllers: [InboxController],
  providers: [InboxRepository, InboxService, InboundService],
  exports: [InboxService, InboundService],
})
export class InboxModule {}
