import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { AppConfig } from '../../config/app-config';
import { Database } from '../../storage/database';
import type { AuditEntry, AuditRecord, PendingRecord } from './audit-entry';
import { AuditRepository } from './audit.repository';

/**
 * The audit trail: the audit_log table and the same record as one JSON line in a file, for
 * operators who grep. A row is kept only if its line was written too.
 */
@Injectable()
export class AuditService implements OnApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly path: string;
  private fd: number;
  private readonly writeBoth;
  private readonly pending = new AsyncLocalStorage<PendingRecord>();

  constructor(
    @Inject(Database) private readonly database: Database,
    @Inject(AuditRepository) private readonly repository: AuditRepository,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.path = config.auditLogPath;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    this.fd = openSync(this.path, 'a', 0o600);
    this.writeBoth = database.transaction((entry: AuditEntry) => {
      const at = new Date().toISOString();
      const id = repository.add(at, entry);
      writeSync(this.fd, JSON.stringify({ id, at, ...entry }) + '\n');
    });
  }

  append(entry: AuditEntry): void {
    this.writeBoth(entry);
  }

  /** Records written together: all of them, or none. */
  appendAll(entries: AuditEntry[]): void {
    this.database.transaction(() => entries.forEach((entry) => this.writeBoth(entry))).immediate();
  }

  /** No record, no action: an attempt that cannot be written stops the request, 503. */
  appendAttempt(entry: AuditEntry): void {
    try {
      this.writeBoth(entry);
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  /** The refusal of a request whose attempt could not be recorded (so nothing was done). */
  unavailable(error: unknown): ApiError {
    this.logger.error(`Audit log unavailable: ${(error as Error).message}`);
    return new ApiError(
      'audit_unavailable',
      'The audit log cannot be written, so nothing was done. Check the database and audit file.',
    );
  }

  /**
   * For records of something that has already happened and must stand (an inbound text
   * Twilio will not resend): a failed write is logged, and the caller's transaction goes on.
   * Nested in a transaction it is a savepoint, so a failure leaves no half of it.
   */
  appendBestEffort(entry: AuditEntry): void {
    try {
      this.writeBoth(entry);
    } catch (error) {
      this.logger.error(`Audit record not written (${entry.action}): ${(error as Error).message}`);
    }
  }

  /**
   * Runs a request's handler with its attempt pending: every commit is an fsync, and a
   * send would otherwise make four (attempt, send, settlement, outcome). The attempt is
   * committed by the first of `commitWithAttempt` or `commitAttempt` (each service calls
   * one before it acts), or with the outcome by `finish` if the handler wrote nothing.
   */
  recording<T>(attempt: AuditEntry, handler: () => T): { pending: PendingRecord; result: T } {
    const pending: PendingRecord = { attempt, attemptCommitted: false, settlements: [] };
    return { pending, result: this.pending.run(pending, handler) };
  }

  /** Runs `write` (a transaction) with the pending attempt, if any, in the same commit. */
  commitWithAttempt<T>(write: () => T): T {
    const pending = this.pending.getStore();
    if (!pending || pending.attemptCommitted) return write();
    let written = false;
    try {
      const result = this.database
        .transaction(() => {
          this.writeBoth(pending.attempt);
          written = true;
          return write();
        })
        .immediate();
      pending.attemptCommitted = true;
      return result;
    } catch (error) {
      // A refusal of `write` stands; a database that cannot take the attempt refuses the request.
      throw written ? error : this.unavailable(error);
    }
  }

  /** Before anything irreversible (a call to Twilio): the attempt is on disk, or nothing happens. */
  commitAttempt(): void {
    this.commitWithAttempt(() => undefined);
  }

  /**
   * The writes that record how an action ended (a send accepted or refused by Twilio): in a
   * recorded request they are committed with its outcome, elsewhere right away.
   */
  settle(write: () => void): void {
    const pending = this.pending.getStore();
    if (pending) pending.settlements.push(write);
    else this.database.transaction(write)();
  }

  /**
   * One commit for the settlements, the attempt if nothing committed it, and the outcome.
   * A failed settlement throws; a failed outcome record is logged (the action happened).
   */
  finish(pending: PendingRecord, outcome: AuditEntry): void {
    this.database
      .transaction(() => {
        for (const settle of pending.settlements.splice(0)) settle();
        if (!pending.attemptCommitted) this.writeBoth(pending.attempt);
        this.appendBestEffort(outcome);
      })
      .immediate();
    pending.attemptCommitted = true;
  }

  /** Entries at or after `time`, oldest first; at most `limit` of them (all by default). */
  since(time: string, limit = Number.MAX_SAFE_INTEGER): AuditRecord[] {
    return this.repository.since(time, limit);
  }

  /** Entries after the one with id `afterId` (0: from the first), at or after `time`, by id. */
  page(afterId: number, time: string, limit: number): AuditRecord[] {
    return this.repository.page(afterId, time, limit);
  }

  /**
   * Retention: the message text of records made before `time` leaves the table and the
   * file, and the records stay. Returns how many rows lost their text.
   */
  forgetBodiesBefore(time: string): number {
    const cleared = this.repository.clearBodiesBefore(time);
    this.rewriteFileWithoutBodiesBefore(time);
    return cleared;
  }

  /**
   * Written beside the file and renamed over it, so a crash leaves the old file or the new
   * one, never half of one; the new file keeps the old one's mode, and later records go to it.
   */
  private rewriteFileWithoutBodiesBefore(time: string): void {
    let changed = false;
    const lines = readFileSync(this.path, 'utf8')
      .split('\n')
      .map((line) => {
        const record = parseRecord(line);
        if (!record || record.body === undefined || !(String(record.at) < time)) return line;
        changed = true;
        delete record.body;
        return JSON.stringify(record);
      });
    if (!changed) return;
    const mode = fstatSync(this.fd).mode & 0o777;
    const temp = `${this.path}.${randomUUID()}.tmp`;
    try {
      const fd = openSync(temp, 'wx', mode);
      try {
        writeSync(fd, lines.join('\n'));
        fchmodSync(fd, mode);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.path);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
    const folder = openSync(dirname(this.path), 'r');
    try {
      fsyncSync(folder);
    } finally {
      closeSync(folder);
    }
    closeSync(this.fd);
    this.fd = openSync(this.path, 'a', mode);
  }

  onApplicationShutdown(): void {
    closeSync(this.fd);
  }
}

/** A line of the file as an object, or null for a blank or damaged line (kept as it is). */
function parseRecord(line: string): Record<string, unknown> | null {
  try {
    const record: unknown = JSON.parse(line);
    return typeof record === 'object' && record !== null
      ? (record as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
