import { Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import type { Store } from '../../storage/store';
import type { Tables } from '../../storage/tables';
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
  /** Stores the record; its id. */
  async add(db: Store, at: string, entry: AuditEntry): Promise<number> {
    const { id } = await db
      .insertInto('audit_log')
      .values({
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
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async since(db: Store, time: string, limit: number): Promise<AuditRecord[]> {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('at', '>=', time)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  async page(db: Store, afterId: number, time: string, limit: number): Promise<AuditRecord[]> {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', afterId)
      .where('at', '>=', time)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  /** Retention: removes the message text of records made before `time`; how many. */
  async clearBodiesBefore(db: Store, time: string): Promise<number> {
    const result = await db
      .updateTable('audit_log')
      .set({ body: null })
      .where('at', '<', time)
      .where('body', 'is not', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}

function toRecord(row: Selectable<Tables['audit_log']>): AuditRecord {
  return {
    id: row.id,
    at: row.at,
    requestId: row.request_id,
    action: row.action,
    phase: row.phase as AuditRow['phase'],
    caller: row.caller ?? undefined,
    recipient: row.recipient ?? undefined,
    body: row.body ?? undefined,
    outcome: (row.outcome as AuditOutcome | null) ?? undefined,
    reason: row.reason ?? undefined,
    sid: row.sid ?? undefined,
    detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : undefined,
  };
}
