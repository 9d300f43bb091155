import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { AppConfig } from './config/app-config';
import { ENV_FILE_NOTICES } from './config/config.module';
import { bootFailureMessage } from './lifecycle/boot-failure-message';
import { type EnvFileNotice, loadServiceConfig } from './config/service-env-file';
import { refuseAnotherBridge, writePidFile } from './lifecycle/another-bridge';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown';
import { PortInUseError } from './lifecycle/port-in-use.error';
import { TwilioSimulator } from './twilio/simulator/twilio-simulator';
import { BUILT_IN_SIMULATOR } from './twilio/twilio.module';

async function bootstrap(): Promise<void> {
  // Before Nest binds the simulator's port, the TCP port and the socket, one after another.
  await refuseAnotherBridge(loadServiceConfig().config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(), {
    bodyParser: false,
    // Nest would log a boot failure in colour with a stack trace (which lands in journald)
    // and exit on its own. Its logs wait for the JSON logger instead, are dropped if the boot
    // fails, and the failure reaches the catch below, which says it plainly.
    abortOnError: false,
    bufferLogs: true,
    autoFlushLogs: false,
  });
  configureApp(app);
  app.flushLogs();
  const config = app.get(AppConfig);
  const logger = app.get(Logger);
  for (const { level, message } of app.get<EnvFileNotice[]>(ENV_FILE_NOTICES)) {
    logger[level](message, 'Config');
  }
  installGracefulShutdown(app, config.shutdownTimeoutMs, logger);
  await app.listen(config.port, config.host).catch((error: unknown) => {
    throw PortInUseError.from(error, 'PORT');
  });
  writePidFile(config);
  const server: Server = app.getHttpServer();
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  logger.log(`database: ${databaseOf(config)}`, 'Bootstrap');
  logger.log(
    `sms-bridge listening on http://${host}:${port} (${config.mode === 'simulator' ? 'SIMULATOR MODE' : 'Twilio'})`,
    'Bootstrap',
  );
  // Loud on purpose, and plain text: whoever started it must not miss that nothing is real.
  const simulator = app.get<TwilioSimulator | null>(BUILT_IN_SIMULATOR);
  if (simulator) {
    process.stdout.write(
      simulatorBanner(`http://${host}:${port}`, simulator.baseUrl, config.envFile),
    );
  }
}

/** Where the data is, without the credentials a PostgreSQL URL carries. */
function databaseOf(config: AppConfig): string {
  if (!config.databaseUrl) return `SQLite at ${config.databasePath}`;
  try {
    const url = new URL(config.databaseUrl);
    return `PostgreSQL at ${url.host}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

function simulatorBanner(bridgeUrl: string, simulatorUrl: string, envFile: string): string {
  const lines = [
    'SIMULATOR MODE: no Twilio credentials are configured.',
    'No real SMS is sent or received; a built-in Twilio simulator answers instead.',
    `Bridge:                ${bridgeUrl}`,
    `Simulated Twilio API:  ${simulatorUrl}`,
    `Fake an inbound text:  POST ${simulatorUrl}/simulator/inbound {"from","body"}`,
    `For real texts, set TWILIO_* in ${envFile} (docs/OPERATING.md).`,
  ];
  const width = Math.max(...lines.map((line) => line.length));
  const rule = '*'.repeat(width + 4);
  return (
    ['', rule, ...lines.map((line) => `* ${line.padEnd(width)} *`), rule, ''].join('\n') + '\n'
  );
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`${bootFailureMessage(error)}\n`);
  process.exit(1);
});
