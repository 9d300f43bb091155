import { Module } from '@nestjs/common';
import { ForwardModule } from '../forward/forward.module';
import { TwilioModule } from '../twilio/twilio.module';
import { DatabaseLiveness } from './database-liveness';
import { HealthController } from './health.controller';
import { ReadinessService } from './readiness.service';

@Module({
  imports: [TwilioModule, ForwardModule],
  controllers: [HealthController],
  providers: [ReadinessService, DatabaseLiveness],
})
export class HealthModule {}
