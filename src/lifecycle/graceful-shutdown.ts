import type { Server } from 'node:http';
import type { INestApplication, LoggerService } from '@nestjs/common';

/**
 * SIGTERM (systemctl stop/restart) and SIGINT: stop accepting connections, let the requests
 * in flight finish (a webhook answered 200 is committed first, so nothing acknowledged is
 * lost), cut off what is still running after `timeoutMs`, close the database, exit 0.
 */
export function installGracefulShutdown(
  app: INestApplication,
  timeoutMs: number,
  logger: LoggerService,
): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: no new connections; finishing requests in flight`, 'Shutdown');
    const server = app.getHttpServer() as Server;
    // Keep-alive connections with nothing in flight would otherwise hold close() open.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => {
      logger.warn(`Requests still running after ${timeoutMs} ms: cutting them off`, 'Shutdown');
      server.closeAllConnections();
    }, timeoutMs);
    app
      .close()
      .then(
        () => {
          logger.log('Stopped cleanly', 'Shutdown');
          process.exitCode = 0;
        },
        (error: unknown) => {
          logger.error(`Shutdown failed: ${String(error)}`, 'Shutdown');
          process.exitCode = 1;
        },
      )
      .finally(() => {
        clearInterval(idle);
        clearTimeout(deadline);
        process.exit();
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
