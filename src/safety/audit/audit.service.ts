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
import { Kysely } from 'kysely';
import { ApiError } from '../../common/api-error';
import { AppConfig } from '../../config/app-config';
import { savepoint, Store } from '../../storage/store';
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
  private readonly pending = new AsyncLocalStorage<PendingRecord>();

  constructor(
    @Inject(Kysely) private readonly store: Store,
    @Inject(AuditRepository) private readonly repository: AuditRepository,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.path = config.auditLogPath;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    this.fd = openSync(this.path, 'a', 0o600);
  }

  async append(entry: AuditEntry): Promise<void> {
    await this.store.transaction().execute((trx) => this.writeBoth(trx, entry));
  }

  /** Records written together: all of them, or none. */
  async appendAll(entries: AuditEntry[]): Promise<void> {
    await this.store.transaction().execute(async (trx) => {
      for (const entry of entries) await this.writeBoth(trx, entry);
    });
  }

  /** No record, no action: an attempt that cannot be written stops the request, 503. */
  async appendAttempt(entry: AuditEntry): Promise<void> {
    try {
      await this.append(entry);
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
   * Twilio will not resend): a failed write is logged, and `trx` goes on. In a savepoint,
   * so a failure leaves no half of it.
   */
  async appendBestEffort(trx: Store, entry: AuditEntry): Promise<void> {
    try {
      await savepoint(trx, () => this.writeBoth(trx, entry));
    } catch (error) {
      this.notWritten(entry, error);
    }
  }

  /** The same, in a transaction of its own: for a refusal answered whether or not it is on record. */
  async appendOrLog(entry: AuditEntry): Promise<void> {
    try {
      await this.append(entry);
    } catch (error) {
      this.notWritten(entry, error);
    }
  }

  private notWritten(entry: AuditEntry, error: unknown): void {
    this.logger.error(`Audit record not written (${entry.action}): ${(error as Error).message}`);
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

  /** Runs `write` in one transaction with the pending attempt, if any, in the same commit. */
  async commitWithAttempt<T>(write: (trx: Store) => Promise<T>): Promise<T> {
    const pending = this.pending.getStore();
    if (!pending || pending.attemptCommitted) return this.store.transaction().execute(write);
    let written = false;
    try {
      const result = await this.store.transaction().execute(async (trx) => {
        await this.writeBoth(trx, pending.attempt);
        written = true;
        return write(trx);
      });
      pending.attemptCommitted = true;
      return result;
    } catch (error) {
      // A refusal of `write` stands; a database that cannot take the attempt refuses the request.
      throw written ? error : this.unavailable(error);
    }
  }

  /** Before anything irreversible (a call to Twilio): the attempt is on disk, or nothing happens. */
  async commitAttempt(): Promise<void> {
    await this.commitWithAttempt(() => Promise.resolve());
  }

  /**
   * The writes that record how an action ended (a send accepted or refused by Twilio): in a
   * recorded request they are committed with its outcome, elsewhere right away.
   */
  async settle(write: (trx: Store) => Promise<void>): Promise<void> {
    const pending = this.pending.getStore();
    if (pending) pending.settlements.push(write);
    else await this.store.transaction().execute(write);
  }

  /**
   * One commit for the settlements, the attempt if nothing committed it, and the outcome.
   * A failed settlement throws; a failed outcome record is logged (the action happened).
   */
  async finish(pending: PendingRecord, outcome: AuditEntry): Promise<void> {
    await this.store.transaction().execute(async (trx) => {
      for (const settle of pending.settlements.splice(0)) await settle(trx);
      if (!pending.attemptCommitted) await this.writeBoth(trx, pending.attempt);
      await this.appendBestEffort(trx, outcome);
    });
    pending.attemptCommitted = true;
  }

  /** Entries at or after `time`, oldest first; at most `limit` of them (all by default). */
  since(time: string, limit = Number.MAX_SAFE_INTEGER): Promise<AuditRecord[]> {
    return this.repository.since(this.store, time, limit);
  }

  /** Entries after the one with id `afterId` (0: from the first), at or after `time`, by id. */
  page(afterId: number, time: string, limit: number): Promise<AuditRecord[]> {
    return this.repository.page(this.store, afterId, time, limit);
  }

  /**
   * Retention: the message text of records made before `time` leaves the table and the
   * file, and the records stay. Returns how many rows lost their text.
   */
  async forgetBodiesBefore(time: string): Promise<number> {
    const cleared = await this.repository.clearBodiesBefore(this.store, time);
    this.rewriteFileWithoutBodiesBefore(time);
    return cleared;
  }

  /** The row and its line: if the line cannot be written, `trx` fails and keeps no row. */
  private async writeBoth(trx: Store, entry: AuditEntry): Promise<void> {
    const at = new Date().toISOString();
    const id = await this.repository.add(trx, at, entry);
    writeSync(this.fd, JSON.stringify({ id, at, ...entry }) + '\n');
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
