import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../storage/database';
import type { ScheduledStatus } from './scheduled-status';

export interface ScheduledRow {
  id: string;
  to_number: string;
  body: string;
  media: string;
  send_at: string;
  status: ScheduledStatus;
  reason: string | null;
  approval_id: string | null;
  sid: string | null;
  error_code: string | null;
  requested_by: string;
  created_at: string;
  updated_at: string;
}

/** What a change of status may also set. */
export type Settled = Partial<Pick<ScheduledRow, 'send_at' | 'sid' | 'error_code' | 'approval_id'>>;

/** scheduled_sends: the schedule module's own table. Times are ISO-8601 UTC text. */
@Injectable()
export class ScheduledRepository {
  private readonly insert;
  private readonly selectOne;
  private readonly selectAll;
  private readonly selectByStatus;
  private readonly selectDue;
  private readonly selectInterrupted;
  private readonly selectNext;
  private readonly selectByApproval;
  private readonly selectWaitingTo;
  private readonly update;
  private readonly deleteSettled;

  constructor(@Inject(Database) database: Database) {
    this.insert = database.prepare<ScheduledRow>(
      `INSERT INTO scheduled_sends (id, to_number, body, media, send_at, status, reason, approval_id, sid, error_code, requested_by, created_at, updated_at)
       VALUES (@id, @to_number, @body, @media, @send_at, @status, @reason, @approval_id, @sid, @error_code, @requested_by, @created_at, @updated_at)`,
    );
    this.selectOne = database.prepare<[string], ScheduledRow>(
      'SELECT * FROM scheduled_sends WHERE id = ?',
    );
    this.selectAll = database.prepare<[], ScheduledRow>(
      'SELECT * FROM scheduled_sends ORDER BY send_at, id LIMIT 500',
    );
    this.selectByStatus = database.prepare<[string], ScheduledRow>(
      'SELECT * FROM scheduled_sends WHERE status = ? ORDER BY send_at, id LIMIT 500',
    );
    this.selectDue = database.prepare<[string], ScheduledRow>(
      `SELECT * FROM scheduled_sends WHERE status = 'scheduled' AND send_at <= ? ORDER BY send_at, id`,
    );
    this.selectInterrupted = database.prepare<[], ScheduledRow>(
      `SELECT * FROM scheduled_sends WHERE status = 'sending' ORDER BY send_at, id`,
    );
    this.selectNext = database.prepare<[], { send_at: string | null }>(
      `SELECT min(send_at) AS send_at FROM scheduled_sends WHERE status = 'scheduled'`,
    );
    this.selectByApproval = database.prepare<[string], ScheduledRow>(
      `SELECT * FROM scheduled_sends WHERE approval_id = ? ORDER BY created_at, id`,
    );
    this.selectWaitingTo = database.prepare<[string], ScheduledRow>(
      `SELECT * FROM scheduled_sends WHERE to_number = ? AND status = 'scheduled' ORDER BY send_at, id`,
    );
    this.update = database.prepare(
      `UPDATE scheduled_sends
       SET status = @to, send_at = coalesce(@send_at, send_at), sid = coalesce(@sid, sid),
           error_code = coalesce(@error_code, error_code),
           approval_id = coalesce(@approval_id, approval_id), updated_at = @now
       WHERE id = @id AND status = @from`,
    );
    // A send still waiting (scheduled, awaiting approval, sending) keeps its text to send it.
    this.deleteSettled = database.prepare<[string]>(
      `DELETE FROM scheduled_sends
       WHERE updated_at < ? AND status NOT IN ('scheduled', 'awaiting_approval', 'sending')`,
    );
  }

  create(row: ScheduledRow): void {
    this.insert.run(row);
  }

  get(id: string): ScheduledRow | undefined {
    return this.selectOne.get(id);
  }

  list(status?: ScheduledStatus): ScheduledRow[] {
    return status ? this.selectByStatus.all(status) : this.selectAll.all();
  }

  due(now: string): ScheduledRow[] {
    return this.selectDue.all(now);
  }

  /** Sends a crash cut short: marked sending, never settled. */
  interrupted(): ScheduledRow[] {
    return this.selectInterrupted.all();
  }

  /** The earliest time something waits for, if anything does. */
  next(): string | null {
    return this.selectNext.get()!.send_at;
  }

  /** The sends for later that asked for this approval, whatever became of them since. */
  askedFor(approvalId: string): ScheduledRow[] {
    return this.selectByApproval.all(approvalId);
  }

  /** The sends for later to a number that wait for their time. */
  waitingTo(number: string): ScheduledRow[] {
    return this.selectWaitingTo.all(number);
  }

  /** Moves a row from one status to another; false when it was no longer in `from`. */
  move(id: string, from: ScheduledStatus, to: ScheduledStatus, set: Settled = {}): boolean {
    return (
      this.update.run({
        id,
        from,
        to,
        send_at: set.send_at ?? null,
        sid: set.sid ?? null,
        error_code: set.error_code ?? null,
        approval_id: set.approval_id ?? null,
        now: new Date().toISOString(),
      }).changes === 1
    );
  }

  /** Retention: forgets settled sends last changed before `time`; returns how many. */
  pruneBefore(time: string): number {
    return this.deleteSettled.run(time).changes;
  }
}
