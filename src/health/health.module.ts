import { Module } from '@nestjs/common';
import { TwilioModule } from '../twilio/twilio.module';
import { DatabaseLiveness } from './database-liveness';
import { HealthController } from './health.controller';
import { ReadinessService } from './readiness.service';

@Module({
  imports: [TwilioModule],
  controllers: [HealthController],
  providers: [ReadinessService, DatabaseLiveness],
})
export class HealthModule {}
