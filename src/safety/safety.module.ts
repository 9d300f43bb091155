import { Module } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import { ApprovalsModule } from './approvals/approvals.module';
import { AuditModule } from './audit/audit.module';
import { LimitsModule } from './limits/limits.module';
import { MessageModule } from './message/message.module';
import { OptOutModule } from './opt-out/opt-out.module';
import { QuietHoursModule } from './quiet-hours/quiet-hours.module';

const RULES = [
  AccessModule,
  AuditModule,
  ApprovalsModule,
  LimitsModule,
  OptOutModule,
  MessageModule,
  QuietHoursModule,
];

/**
 * The safety rails, one submodule per rule and its table. The order they apply in before a
 * send reaches Twilio is the send pipeline's (src/sending/).
 */
@Module({
  imports: RULES,
  exports: RULES,
})
export class SafetyModule {}
