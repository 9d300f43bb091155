import { Module } from '@nestjs/common';
import { QuietHoursRule } from './quiet-hours.rule';

/** The recipient's quiet hours, a rule the send pipeline applies at every door. */
@Module({
  providers: [QuietHoursRule],
  exports: [QuietHoursRule],
})
export class QuietHoursModule {}
