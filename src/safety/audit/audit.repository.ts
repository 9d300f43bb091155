import { AsyncLocalStorage } from 'node:async_hooks';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { AppConfig } from '../../config/app-config';
import { Database } from '../../storage/database';

export type AuditOutcome = 'accepted' | 'held' | 'refused' | 'failed';

export interface AuditEntry {
  requestId: string;
  action: string;
  phase: 'attempt' | 'outcome';
  caller?: string;
  recipient?: string;
  body?: string;
  outcome?: AuditOutcome;
  reason?: string;
  sid?: string;
  detail?: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  at: string;
}

/**
 * A request whose attempt is committed with its first write instead of a commit of its own,
 * and whose outcome is committed with the writes that settle it (see `recording`).
 */
export interface PendingRecord {
  readonly attempt: AuditEntry;
  attemptCommitted: boolean;
  readonly settlements: (() => void)[];
}

/** A row of the audit_log table as stored. */
export interface AuditRow {
  id: number;
  at: string;
  request_id: string;
  action: string;
  phase: 'attempt' | 'outcome';
  caller: string | null;
  recipient: string | null;
  body: string | null;
  outcome: AuditOutcome | null;
  reason: string | null;
  sid: string | null;
  detail: string | null;
}

/**
 * The audit trail: an append-only table (triggers refuse UPDATE and DELETE) and the same
 * record as one JSON line in a file, for operators who grep. A row is kept only if its
 * line was written too.
 */
@Injectable()
export class AuditRepository implements OnApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly fd: number;
  private readonly insert;
  private readonly writeBoth;
  private readonly selectSince;
  private readonly selectPage;
  private readonly pending = new AsyncLocalStorage<PendingRecord>();

  constructor(
    @Inject(Database) private readonly database: Database,
    @Inject(AppConfig) config: AppConfig,
  ) {
    mkdirSync(dirname(config.auditLogPath), { recursive: true, mode: 0o700 });
    this.fd = openSync(config.auditLogPath, 'a', 0o600);
    this.insert = database.prepare<Omit<AuditRow, 'id'>>(
      `INSERT INTO audit_log (at, request_id, action, phase, caller, recipient, body, outcome, reason, sid, detail)
       VALUES (@at, @request_id, @action, @phase, @caller, @recipient, @body, @outcome, @reason, @sid, @detail)`,
    );
    this.selectSince = database.prepare<[string, number], AuditRow>(
      'SELECT * FROM audit_log WHERE at >= ? ORDER BY id LIMIT ?',
    );
    this.selectPage = database.prepare<[number, string, number], AuditRow>(
      'SELECT * FROM audit_log WHERE id > ? AND at >= ? ORDER BY id LIMIT ?',
    );
    this.writeBoth = database.transaction((entry: AuditEntry) => {
      const at = new Date().toISOString();
      const result = this.insert.run({
        at,
        request_id: entry.requestId,
        action: entry.action,
        phase: entry.phase,
        caller: entry.caller ?? null,
        recipient: entry.recipient ?? null,
        body: entry.body ?? null,
        outcome: entry.outcome ?? null,
        reason: entry.reason ?? null,
        sid: entry.sid ?? null,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
      });
      writeSync(
        this.fd,
        JSON.stringify({ id: Number(result.lastInsertRowid), at, ...entry }) + '\n',
      );
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
    return this.selectSince.all(time, limit).map(toRecord);
  }

  /** Entries after the one with id `afterId` (0: from the first), at or after `time`, by id. */
  page(afterId: number, time: string, limit: number): AuditRecord[] {
    return this.selectPage.all(afterId, time, limit).map(toRecord);
  }

  onApplicationShutdown(): void {
    closeSync(this.fd);
  }
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    at: row.at,
    requestId: row.request_id,
    action: row.action,
    phase: row.phase,
    caller: row.caller ?? undefined,
    recipient: row.recipient ?? undefined,
    body: row.body ?? undefined,
    outcome: row.outcome ?? undefined,
    reason: row.reason ?? undefined,
    sid: row.sid ?? undefined,
    detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : undefined,
  };
}
