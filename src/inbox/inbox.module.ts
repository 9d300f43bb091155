import { Module } from '@nestjs/common';
import { SafetyModule } from '../safety/safety.module';
import { InboundService } from './inbound.service';
import { InboxController } from './inbox.controller';
import { InboxRepository } from './inbox.repository';
import { TwilioSignatureGuard } from '../twilio/twilio-signature.guard';
import { WebhookController } from './webhook.controller';

@Module({
  imports: [SafetyModule],
  controllers: [WebhookController, InboxController],
  providers: [InboxRepository, InboundService, TwilioSignatureGuard],
  exports: [InboxRepository, TwilioSignatureGuard],
})
export class InboxModule {}
