import { Module } from '@nestjs/common';
import { InboxController } from './inbox.controller';
import { InboxRepository } from './inbox.repository';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { WebhookController } from './webhook.controller';

@Module({
  controllers: [WebhookController, InboxController],
  providers: [InboxRepository, TwilioSignatureGuard],
  exports: [InboxRepository, TwilioSignatureGuard],
})
export class InboxModule {}
