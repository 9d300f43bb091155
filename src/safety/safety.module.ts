import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditInterceptor } from './audit.interceptor';
import { AuditRepository } from './audit.repository';
import { DestinationPolicy } from './destination-policy';
import { LoopbackGuard } from './loopback.guard';

@Module({
  providers: [
    AuditRepository,
    AuditInterceptor,
    DestinationPolicy,
    { provide: APP_GUARD, useClass: LoopbackGuard },
  ],
  exports: [AuditRepository, AuditInterceptor, DestinationPolicy],
})
export class SafetyModule {}
