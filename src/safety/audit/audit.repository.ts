import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
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

  constructor(@Inject(Database) database: Database, @Inject(AppConfig) config: AppConfig) {
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
