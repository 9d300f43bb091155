import { Module } from '@nestjs/common';
import { OperatorTextsModule } from '../operator-texts/operator-texts.module';
import { SafetyModule } from '../safety/safety.module';
import { InboundService } from './inbound.service';
import { InboxController } from './inbox.controller';
import { InboxRepository } from './inbox.repository';
import { InboxService } from './inbox.service';
import { TwilioModule } from '../twilio/twilio.module';
import { WebhookController } from './webhook.controller';

@Module({
  imports: [SafetyModule, TwilioModule, OperatorTextsModule],
  controllers: [WebhookController, InboxController],
  providers: [InboxRepository, InboxService, InboundService],
  exports: [InboxService],
})
export class InboxModule {}
