import { Module } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import { ApprovalsModule } from './approvals/approvals.module';
import { AuditModule } from './audit/audit.module';
import { LimitsModule } from './limits/limits.module';
import { MessageModule } from './message/message.module';
import { OptOutModule } from './opt-out/opt-out.module';
import { SendPolicy } from './send-policy';

const RULES = [
  AccessModule,
  AuditModule,
  ApprovalsModule,
  LimitsModule,
  OptOutModule,
  MessageModule,
];

/**
 * The safety rails, one submodule per rule and its table. SendPolicy is the order they
 * apply in before a send reaches Twilio.
 */
@Module({
  imports: RULES,
  providers: [SendPolicy],
  exports: [...RULES, SendPolicy],
})
export class SafetyModule {}
