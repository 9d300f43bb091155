import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigModuleOptions } from './config/config.module';
import { ConversationsModule } from './conversations/conversations.module';
import { ForwardModule } from './forward/forward.module';
import { HealthModule } from './health/health.module';
import { InboxModule } from './inbox/inbox.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { LoggingModule, LoggingOptions } from './logging/logging.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { MetricsModule } from './metrics/metrics.module';
import { OutboundModule } from './outbound/outbound.module';
import { SafetyModule } from './safety/safety.module';
import { ScheduleModule } from './schedule/schedule.module';
import { DatabaseModule } from './storage/database.module';
import { TwilioModule } from './twilio/twilio.module';
import { WebhooksModule } from './webhooks/webhooks.module';

export type AppModuleOptions = ConfigModuleOptions & LoggingOptions;

@Module({})
export class AppModule {
  static register(options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(options),
        LoggingModule.forRoot(options),
        MetricsModule,
        DatabaseModule,
        TwilioModule,
        SafetyModule,
        OutboundModule,
        ScheduleModule,
        InboxModule,
        WebhooksModule,
        ConversationsModule,
        HealthModule,
        MaintenanceModule,
        ForwardModule,
        LifecycleModule,
      ],
    };
  }
}
