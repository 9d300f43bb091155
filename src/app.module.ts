import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigModuleOptions } from './config/config.module';
import { ForwardModule } from './forward/forward.module';
import { HealthModule } from './health/health.module';
import { InboxModule } from './inbox/inbox.module';
import { OutboundModule } from './outbound/outbound.module';
import { SafetyModule } from './safety/safety.module';
import { DatabaseModule } from './storage/database.module';
import { TwilioModule } from './twilio/twilio.module';

@Module({})
export class AppModule {
  static register(options: ConfigModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(options),
        DatabaseModule,
        TwilioModule,
        SafetyModule,
        OutboundModule,
        InboxModule,
        HealthModule,
        ForwardModule,
      ],
    };
  }
}
