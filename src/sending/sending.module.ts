import { Module } from '@nestjs/common';
import { SafetyModule } from '../safety/safety.module';
import { TwilioModule } from '../twilio/twilio.module';
import { SendPipeline } from './send-pipeline';

/**
 * The send pipeline: the doors (outbound, schedule, operator texts) import this module;
 * it imports the rules (safety) and Twilio, never a door.
 */
@Module({
  imports: [SafetyModule, TwilioModule],
  providers: [SendPipeline],
  exports: [SendPipeline],
})
export class SendingModule {}
