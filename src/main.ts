import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { AppConfig } from './config/app-config';
import { ConfigError } from './config/config.error';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(), {
    bodyParser: false,
  });
  configureApp(app);
  const config = app.get(AppConfig);
  await app.listen(config.port, config.host);
  new Logger('Bootstrap').log(
    `sms-bridge listening on http://${config.host}:${config.port} (${config.mode === 'simulator' ? 'SIMULATOR MODE' : 'Twilio'})`,
  );
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    // One line per bad variable, for the operator; values are never echoed.
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
