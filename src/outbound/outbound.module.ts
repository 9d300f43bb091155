import { Module } from '@nestjs/common';
import { SafetyModule } from '../safety/safety.module';
import { TwilioModule } from '../twilio/twilio.module';
import { OutboundRepository } from './outbound.repository';
import { OutboundService } from './outbound.service';
import { SendController } from './send.controller';

@Module({
  imports: [TwilioModule, SafetyModule],
  controllers: [SendController],
  providers: [OutboundService, OutboundRepository],
  exports: [OutboundRepository],
})
export class OutboundModule {}
