import { accessSync, constants } from 'node:fs';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig, loadAppConfig } from './app-config';

export const DEFAULT_ENV_FILE = '/opt/openclaw.env';
const CONFIG_KEY = 'smsBridge';

export interface ConfigModuleOptions {
  /** Replaces the process environment (tests); the env file is still read when one is named. */
  env?: Record<string, string | undefined>;
}

function isReadable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

@Global()
@Module({})
export class ConfigModule {
  static forRoot(options: ConfigModuleOptions = {}): DynamicModule {
    const env = options.env ?? process.env;
    const envFile = env.SMS_BRIDGE_ENV_FILE ?? DEFAULT_ENV_FILE;
    return {
      module: ConfigModule,
      imports: [
        NestConfigModule.forRoot({
          envFilePath: envFile,
          // systemd already passes the file's values in; the file itself may be root-only.
          ignoreEnvFile: !isReadable(envFile),
          // Merged here rather than by @nestjs/config so that tests can supply their own env.
          validatePredefined: false,
          // Returned under one key: @nestjs/config copies plain string values into process.env.
          validate: (fileValues) => ({
            [CONFIG_KEY]: loadAppConfig({ ...fileValues, ...env }, envFile),
          }),
        }),
      ],
      providers: [
        {
          provide: AppConfig,
          inject: [ConfigService],
          useFactory: (config: ConfigService) => config.getOrThrow<AppConfig>(CONFIG_KEY),
        },
      ],
      exports: [AppConfig],
    };
  }
}
