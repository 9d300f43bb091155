import { Module } from '@nestjs/common';
import { TwilioModule } from '../twilio/twilio.module';
import { HealthController } from './health.controller';
import { ReadinessService } from './readiness.service';

@Module({
  imports: [TwilioModule],
  controllers: [HealthController],
  providers: [ReadinessService],
})
export class HealthModule {}
