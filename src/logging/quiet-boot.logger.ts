import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'nestjs-pino';

/**
 * Nest's own boot chatter: a line per module and ~70 "Mapped {/route}" lines at every
 * start, which buried the few lines that say how the bridge runs (main.ts logs those).
 */
const BOOT_CHATTER = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

/** The app's logger, with Nest's boot chatter at debug level. */
export class QuietBootLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    if (BOOT_CHATTER.has(params.at(-1) as string)) this.logger.debug(message, ...params);
    else this.logger.log(message, ...params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.logger.error(message, ...params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.logger.warn(message, ...params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.logger.debug(message, ...params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.logger.verbose(message, ...params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.logger.fatal(message, ...params);
  }
}
