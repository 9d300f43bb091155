import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import { Database } from '../storage/database';
import type { Store } from '../storage/store';
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
  /** The bridge sending it (a per-process id) and until when, while it is sending. */
  leased_by: string | null;
  leased_until: string | null;
}

/** A new send is held by no one. */
export type NewScheduledRow = Omit<ScheduledRow, 'leased_by' | 'leased_until'>;

/** Who holds a send while sending it, and until when (ISO). */
export interface Lease {
  owner: string;
  until: string;
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
  private readonly claimRow;
  private readonly takeOverRow;
  private readonly renewLease;
  private readonly deleteSettled;

  constructor(
    @Inject(Database) database: Database,
    @Inject(Kysely) private readonly store: Store,
  ) {
    this.insert = database.prepare<NewScheduledRow>(
      `INSERT INTO scheduled_sends (id, to_number, body, media, send_at, status, reason, approval_id, sid, error_code, requested_by, created_at, updated_at)
       VALUES (@id, @to_number, @body, @media, @send_at, @status, @reason, @approval_id, @sid, @error_code, @requested_by, @created_at, @updated_at)`,
    );
    // One bridge per SQLite file: a row sending at boot was cut short by this file's previous
    // process, whatever its lease says. On PostgreSQL it may be a live neighbour's.
    const leaseRunOut =
      database.dialect === 'sqlite' ? '' : 'AND (leased_until IS NULL OR leased_until <= @now)';
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
    this.selectInterrupted = database.prepare<{ now: string }, ScheduledRow>(
      `SELECT * FROM scheduled_sends WHERE status = 'sending' ${leaseRunOut} ORDER BY send_at, id`,
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
    this.claimRow = database.prepare(
      `UPDATE scheduled_sends
       SET status = 'sending', leased_by = @owner, leased_until = @until, updated_at = @now
       WHERE id = @id AND status = 'scheduled'`,
    );
    this.takeOverRow = database.prepare(
      `UPDATE scheduled_sends SET leased_by = @owner, leased_until = @until, updated_at = @changed
       WHERE id = @id AND status = 'sending' ${leaseRunOut}`,
    );
    this.renewLease = database.prepare(
      `UPDATE scheduled_sends SET leased_until = @until
       WHERE id = @id AND status = 'sending' AND leased_by = @owner`,
    );
    // A send still waiting (scheduled, awaiting approval, sending) keeps its text to send it.
    this.deleteSettled = database.prepare<[string]>(
      `DELETE FROM scheduled_sends
       WHERE updated_at < ? AND status NOT IN ('scheduled', 'awaiting_approval', 'sending')`,
    );
  }

  create(row: NewScheduledRow): void {
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

  /** Sends a crash cut short: marked sending, never settled, and no bridge's lease on them. */
  interrupted(now: string): ScheduledRow[] {
    return this.selectInterrupted.all({ now });
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

  /** Takes a scheduled send to send it; false when another bridge took it first. */
  claim(id: string, lease: Lease): boolean {
    return this.claimRow.run({ id, ...lease, now: new Date().toISOString() }).changes === 1;
  }

  /** Takes over a send whose holder is gone (its lease ran out); false when another took it. */
  takeOver(id: string, lease: Lease, now: string): boolean {
    const changed = new Date().toISOString();
    return this.takeOverRow.run({ id, ...lease, now, changed }).changes === 1;
  }

  /** Keeps holding a send still being sent, while it is still this owner's. */
  renew(id: string, lease: Lease): void {
    this.renewLease.run({ id, ...lease });
  }

  /** A bridge that stops lets go of what it was sending: the next to boot takes it up at once. */
  async release(owner: string, now: string): Promise<void> {
    // Through the bounded store: a bridge told to stop must not hang on a silent database.
    await this.store
      .updateTable('scheduled_sends')
      .set({ leased_until: now })
      .where('status', '=', 'sending')
      .where('leased_by', '=', owner)
      .execute();
  }

  /** Retention: forgets settled sends last changed before `time`; returns how many. */
  pruneBefore(time: string): number {
    return this.deleteSettled.run(time).changes;
  }
}
