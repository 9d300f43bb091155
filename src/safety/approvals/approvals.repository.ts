import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../../storage/database';

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired';

export interface ApprovalRow {
  id: string;
  to_number: string;
  body: string | null;
  /** The media URLs of a held MMS, as a JSON array. */
  media: string;
  reason: string;
  /** Pending rows older than the cutoff read as expired. */
  status: ApprovalStatus;
  requested_by: string | null;
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

const EFFECTIVE = `SELECT id, to_number, body, media, reason, requested_by, created_at, decided_at, decided_by,
  CASE WHEN status = 'pending' AND created_at < @cutoff THEN 'expired' ELSE status END AS status
  FROM approvals`;

/** Held messages and approval requests; expiry is read from the age, not written. */
@Injectable()
export class ApprovalsRepository {
  private readonly insert;
  private readonly selectOne;
  private readonly selectSamePending;
  private readonly selectAll;
  private readonly selectByStatus;
  private readonly decide;
  private readonly countPendingRows;

  private readonly clearText;

  constructor(@Inject(Database) database: Database) {
    // A pending approval not yet expired keeps its text: approving it sends that text.
    this.clearText = database.prepare<{ before: string; cutoff: string }>(
      `UPDATE approvals SET body = NULL, media = '[]'
       WHERE created_at < @before AND (status <> 'pending' OR created_at < @cutoff)
         AND (body IS NOT NULL OR media <> '[]')`,
    );
    this.insert = database.prepare(
      `INSERT INTO approvals (id, to_number, body, media, reason, status, requested_by, created_at)
       VALUES (@id, @to_number, @body, @media, @reason, 'pending', @requested_by, @created_at)`,
    );
    this.selectOne = database.prepare<{ id: string; cutoff: string }, ApprovalRow>(
      `${EFFECTIVE} WHERE id = @id`,
    );
    this.selectSamePending = database.prepare<
      { to: string; body: string | null; media: string; cutoff: string },
      { id: string }
    >(
      `SELECT id FROM approvals WHERE status = 'pending' AND created_at >= @cutoff
         AND to_number = @to AND (body = @body OR (body IS NULL AND @body IS NULL)) AND media = @media
       ORDER BY created_at LIMIT 1`,
    );
    this.selectAll = database.prepare<{ cutoff: string }, ApprovalRow>(
      `${EFFECTIVE} ORDER BY created_at DESC LIMIT 500`,
    );
    this.selectByStatus = database.prepare<{ cutoff: string; status: string }, ApprovalRow>(
      `SELECT * FROM (${EFFECTIVE}) AS effective WHERE status = @status ORDER BY created_at DESC LIMIT 500`,
    );
    this.countPendingRows = database.prepare<{ cutoff: string }, { count: number }>(
      `SELECT count(*) AS count FROM approvals WHERE status = 'pending' AND created_at >= @cutoff`,
    );
    this.decide = database.prepare(
      `UPDATE approvals SET status = @status, decided_at = @now, decided_by = @by
       WHERE id = @id AND status = 'pending'`,
    );
  }

  create(row: Omit<ApprovalRow, 'status' | 'decided_at' | 'decided_by'>): void {
    this.insert.run(row);
  }

  get(id: string, cutoff: string): ApprovalRow | undefined {
    return this.selectOne.get({ id, cutoff });
  }

  /** A pending, unexpired approval of exactly this message, if there is one. */
  findPending(
    message: { to: string; body: string | null; media: string },
    cutoff: string,
  ): string | undefined {
    return this.selectSamePending.get({ ...message, cutoff })?.id;
  }

  /** Pending approvals younger than the cutoff: those still waiting for the operator. */
  countPending(cutoff: string): number {
    return Number(this.countPendingRows.get({ cutoff })?.count ?? 0);
  }

  list(cutoff: string, status?: ApprovalStatus): ApprovalRow[] {
    return status ? this.selectByStatus.all({ cutoff, status }) : this.selectAll.all({ cutoff });
  }

  /** Decides a pending approval; false if it was no longer pending. */
  setDecision(id: string, status: 'approved' | 'denied', by: string): boolean {
    return this.decide.run({ id, status, by, now: new Date().toISOString() }).changes === 1;
  }

  /** Retention: removes the text and media of settled approvals made before `before`; how many. */
  clearTextBefore(before: string, cutoff: string): number {
    return this.clearText.run({ before, cutoff }).changes;
  }
}
