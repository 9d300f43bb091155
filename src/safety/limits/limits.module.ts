import { Module } from '@nestjs/common';
import { LimitsController } from './limits.controller';
import { LimitsRepository } from './limits.repository';
import { LimitsService } from './limits.service';

/** SMS_DAILY_LIMIT and SMS_DAILY_LIMIT_PER_RECIPIENT, on the daily_sends ledger. */
@Module({
  controllers: [LimitsController],
  providers: [LimitsRepository, LimitsService],
  exports: [LimitsService],
})
export class LimitsModule {}
