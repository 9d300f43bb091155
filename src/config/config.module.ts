import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig } from './app-config';
import { loadServiceConfig } from './service-env-file';

const CONFIG_KEY = 'smsBridge';

/** The env file's warnings and notes (EnvFileNotice[]), for main.ts to log once the logger is up. */
export const ENV_FILE_NOTICES = Symbol('ENV_FILE_NOTICES');

export interface ConfigModuleOptions {
  /** Replaces the process environment (tests); the env file is still read when one is named. */
  env?: Record<string, string | undefined>;
}

@Global()
@Module({})
export class ConfigModule {
  static forRoot(options: ConfigModuleOptions = {}): DynamicModule {
    const loaded = loadServiceConfig(options.env ?? process.env);
    return {
      module: ConfigModule,
      imports: [
        NestConfigModule.forRoot({
          // The file is read and merged here, with the parser the CLI and MCP server use, so
          // all three see the same values, and tests can supply their own env.
          ignoreEnvFile: true,
          validatePredefined: false,
          // Returned under one key: @nestjs/config copies plain string values into process.env.
          validate: () => ({ [CONFIG_KEY]: loaded.config }),
        }),
      ],
      providers: [
        {
          provide: AppConfig,
          inject: [ConfigService],
          useFactory: (config: ConfigService) => config.getOrThrow<AppConfig>(CONFIG_KEY),
        },
        { provide: ENV_FILE_NOTICES, useValue: loaded.notices },
      ],
      exports: [AppConfig, ENV_FILE_NOTICES],
    };
  }
}
