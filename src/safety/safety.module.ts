import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { ApprovalsRepository } from './approvals/approvals.repository';
import { ApprovalsService } from './approvals/approvals.service';
import { AuditController } from './audit/audit.controller';
import { AuditInterceptor } from './audit/audit.interceptor';
import { AuditRepository } from './audit/audit.repository';
import { ContactsController } from './approvals/contacts.controller';
import { ContactsRepository } from './approvals/contacts.repository';
import { ContactsService } from './approvals/contacts.service';
import { IdempotencyRepository } from '../outbound/idempotency.repository';
import { IdempotencyService } from '../outbound/idempotency.service';
import { LimitsController } from './limits/limits.controller';
import { LimitsRepository } from './limits/limits.repository';
import { LimitsService } from './limits/limits.service';
import { DestinationPolicy } from './message/destination-policy';
import { LoopbackGuard } from './access/loopback.guard';
import { OperatorGuard } from './access/operator.guard';
import { OperatorToken } from './access/operator-token';
import { OptOutService } from './opt-out/opt-out.service';
import { RateLimitGuard } from './access/rate-limit.guard';
import { SendPolicy } from './send-policy';

const MINUTE_MS = 60_000;

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // Retry-After is set by RateLimitGuard; the library would name it Retry-After-send.
        setHeaders: false,
        // A sliding minute without a penalty block: the cap is N a minute, and Retry-After
        // says when the oldest counted request leaves the window.
        throttlers: [
          {
            name: 'send',
            ttl: MINUTE_MS,
            limit: config.safety.sendRatePerMinute,
            blockDuration: 0,
          },
          {
            name: 'webhook',
            ttl: MINUTE_MS,
            limit: config.safety.webhookRatePerMinute,
            blockDuration: 0,
          },
        ],
      }),
    }),
  ],
  controllers: [ContactsController, LimitsController, AuditController],
  providers: [
    AuditRepository,
    AuditInterceptor,
    // Guards run in this order: local-only first, so refused callers are not counted.
    { provide: APP_GUARD, useClass: LoopbackGuard },
    OperatorToken,
    { provide: APP_GUARD, useClass: OperatorGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    ContactsRepository,
    ContactsService,
    ApprovalsRepository,
    ApprovalsService,
    LimitsRepository,
    LimitsService,
    IdempotencyRepository,
    IdempotencyService,
    OptOutService,
    SendPolicy,
    DestinationPolicy,
  ],
  exports: [
    AuditRepository,
    AuditInterceptor,
    ApprovalsService,
    IdempotencyService,
    OptOutService,
    SendPolicy,
    DestinationPolicy,
  ],
})
export class SafetyModule {}
