import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { AuditRepository } from './audit.repository';
import { LoopbackGuard } from './loopback.guard';

@Module({
  controllers: [AuditController],
  providers: [AuditRepository, AuditInterceptor, { provide: APP_GUARD, useClass: LoopbackGuard }],
  exports: [AuditRepository, AuditInterceptor],
})
export class SafetyModule {}
