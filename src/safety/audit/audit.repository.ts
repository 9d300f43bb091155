import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../../storage/database';
import type { AuditEntry, AuditOutcome, AuditRecord } from './audit-entry';

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
 * audit_log: append-only (triggers refuse UPDATE and DELETE), except that retention may
 * clear the body of a record older than two days (migration 016).
 */
@Injectable()
export class AuditRepository {
  private readonly insert;
  private readonly selectSince;
  private readonly selectPage;
  private readonly clearBodies;

  constructor(@Inject(Database) database: Database) {
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
    this.clearBodies = database.prepare<[string]>(
      'UPDATE audit_log SET body = NULL WHERE at < ? AND body IS NOT NULL',
    );
  }

  /** Stores the record; its id. */
  add(at: string, entry: AuditEntry): number {
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
    return Number(result.lastInsertRowid);
  }

  since(time: string, limit: number): AuditRecord[] {
    return this.selectSince.all(time, limit).map(toRecord);
  }

  page(afterId: number, time: string, limit: number): AuditRecord[] {
    return this.selectPage.all(afterId, time, limit).map(toRecord);
  }

  /** Retention: removes the message text of records made before `time`; how many. */
  clearBodiesBefore(time: string): number {
    return this.clearBodies.run(time).changes;
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
