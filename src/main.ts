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
    // Nest would log a boot failure with a stack trace and exit on its own; buffering its
    // logs and rethrowing lets the catch below print a bad configuration as one line per variable.
    abortOnError: false,
    bufferLogs: true,
    autoFlushLogs: false,
  });
  app.flushLogs();
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
    Logger.flush();
    console.error(error);
  }
  process.exit(1);
});
