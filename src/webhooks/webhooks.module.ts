import { Module } from '@nestjs/common';
import { InboxModule } from '../inbox/inbox.module';
import { OperatorTextsModule } from '../operator-texts/operator-texts.module';
import { OutboundModule } from '../outbound/outbound.module';
import { SafetyModule } from '../safety/safety.module';
import { TwilioModule } from '../twilio/twilio.module';
import { OperatorRepliesService } from './operator-replies.service';
import { StatusCallbackController } from './status-callback.controller';
import { WebhookController } from './webhook.controller';

/**
 * What Twilio posts to the bridge: a text coming in (stored in the inbox, or, from an
 * operator phone, a YES/NO that approves or denies through the outbound module) and the
 * delivery statuses of the texts sent. It sits above the modules it hands each one to.
 */
@Module({
  imports: [TwilioModule, SafetyModule, InboxModule, OutboundModule, OperatorTextsModule],
  controllers: [WebhookController, StatusCallbackController],
  providers: [OperatorRepliesService],
})
export class WebhooksModule {}
