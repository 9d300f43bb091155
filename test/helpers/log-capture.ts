import type { LoggerService } from '@nestjs/common';
import { inspect } from 'node:util';

/** A Nest logger that keeps every line, at every level, for tests to inspect. */
export class LogCapture implements LoggerService {
  readonly lines: string[] = [];

  log(...args: unknown[]): void {
    this.keep('log', args);
  }
  error(...args: unknown[]): void {
    this.keep('error', args);
  }
  warn(...args: unknown[]): void {
    this.keep('warn', args);
  }
  debug(...args: unknown[]): void {
    this.keep('debug', args);
  }
  verbose(...args: unknown[]): void {
    this.keep('verbose', args);
  }
  fatal(...args: unknown[]): void {
    this.keep('fatal', args);
  }

  private keep(level: string, args: unknown[]): void {
    const text = args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg))).join(' ');
    this.lines.push(`${level} ${text}`);
  }
}
