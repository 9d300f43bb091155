import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../../config/app-config';
import { Kysely } from 'kysely';
import type { Store } from '../../storage/store';
import { AuditModule } from '../audit/audit.module';
import { DatabaseThrottlerStorage } from './database-throttler.storage';
import { LoopbackGuard } from './loopback.guard';
import { OperatorGuard } from './operator.guard';
import { OperatorToken } from './operator-token';
import { RateLimitGuard } from './rate-limit.guard';
import { SlidingWindowStorage } from './sliding-window.storage';

const MINUTE_MS = 60_000;

/** Who may call what: local-only by default, the operator token, and the throttles. */
@Module({
  imports: [
    AuditModule,
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, Kysely],
      useFactory: (config: AppConfig, store: Store) => ({
        // Retry-After is set by RateLimitGuard; the library would name it Retry-After-send.
        setHeaders: false,
        // Bridges sharing PostgreSQL share the throttles; one bridge alone keeps them in memory.
        storage: config.databaseUrl
          ? new DatabaseThrottlerStorage(store)
          : new SlidingWindowStorage(),
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
  providers: [
    // Guards run in this order: local-only first, so refused callers are not counted.
    { provide: APP_GUARD, useClass: LoopbackGuard },
    OperatorToken,
    { provide: APP_GUARD, useClass: OperatorGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [OperatorToken],
})
export class AccessModule {}
