import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../storage/database';

export type OperatorTextKind =
  'notification' | 'confirmation' | 'lockout' | 'approvals_full' | 'reply';

/** A text to or from an operator phone, as kept: the code is masked. */
export interface OperatorText {
  id: number;
  direction: 'inbound' | 'outbound';
  kind: OperatorTextKind;
  number: string;
  body: string;
  sid: string | null;
  /**
   * Outbound: sending, queued (or Twilio's status), failed, over_cap, refused, stopped.
   * Inbound: approved, denied, wrong_code, locked, stop, start, ignored, failed.
   */
  status: string;
  approvalId: string | null;
  error: string | null;
  createdAt: string;
}

interface OperatorTextRow {
  id: number;
  direction: 'inbound' | 'outbound';
  kind: OperatorTextKind;
  number: string;
  body: string;
  sid: string | null;
  status: string;
  approval_id: string | null;
  error: string | null;
  day: string;
  created_at: string;
}

export interface OperatorPhone {
  stopped: boolean;
  lockedAt: string | null;
  unlockedAt: string | null;
}

/** Statuses of outbound texts that never reached Twilio, and so do not count against the cap. */
const NOT_SENT = "('over_cap', 'refused', 'stopped')";
/**
 * Statuses of a notification that did not reach the phone, or not yet: its code is not
 * valid from that phone. 'sending' is the moment before Twilio answers.
 */
const NOT_NOTIFIED = "('over_cap', 'refused', 'stopped', 'sending', 'failed', 'undelivered')";

/** The texts exchanged with the operator's phones, and what each phone asked or earned. */
@Injectable()
export class OperatorTextsRepository {
  private readonly insert;
  private readonly update;
  private readonly countSent;
  private readonly countWrong;
  private readonly selectPhone;
  private readonly upsertStopped;
  private readonly upsertLocked;
  private readonly unlock;
  private readonly selectSent;
  private readonly selectNotified;
  private readonly selectNewest;
  private readonly selectBefore;
  private readonly clearText;

  constructor(@Inject(Database) database: Database) {
    this.insert = database.prepare(
      `INSERT INTO operator_texts (direction, kind, number, body, sid, status, approval_id, error, day, created_at)
       VALUES (@direction, @kind, @number, @body, @sid, @status, @approvalId, @error, @day, @now)
       ON CONFLICT (sid) DO NOTHING`,
    );
    this.update = database.prepare(
      `UPDATE operator_texts SET status = @status, sid = coalesce(@sid, sid), error = @error
       WHERE id = @id`,
    );
    this.countSent = database.prepare<[string, string], { count: number }>(
      `SELECT count(*) AS count FROM operator_texts
       WHERE number = ? AND day = ? AND direction = 'outbound' AND status NOT IN ${NOT_SENT}`,
    );
    this.countWrong = database.prepare<[string, string], { count: number }>(
      `SELECT count(*) AS count FROM operator_texts
       WHERE number = ? AND created_at > ? AND direction = 'inbound' AND status = 'wrong_code'`,
    );
    this.selectPhone = database.prepare<
      [string],
      { stopped: 0 | 1; locked_at: string | null; unlocked_at: string | null }
    >('SELECT stopped, locked_at, unlocked_at FROM operator_phones WHERE number = ?');
    this.upsertStopped = database.prepare(
      `INSERT INTO operator_phones (number, stopped) VALUES (@number, @stopped)
       ON CONFLICT (number) DO UPDATE SET stopped = excluded.stopped`,
    );
    this.upsertLocked = database.prepare(
      `INSERT INTO operator_phones (number, locked_at) VALUES (@number, @now)
       ON CONFLICT (number) DO UPDATE SET locked_at = excluded.locked_at`,
    );
    this.unlock = database.prepare(
      'UPDATE operator_phones SET locked_at = NULL, unlocked_at = ? WHERE locked_at IS NOT NULL',
    );
    this.selectNotified = database.prepare<[string, string], { id: number }>(
      `SELECT id FROM operator_texts
       WHERE approval_id = ? AND number = ? AND direction = 'outbound' AND kind = 'notification'
         AND status NOT IN ${NOT_NOTIFIED}
       LIMIT 1`,
    );
    this.selectSent = database.prepare<[string], { id: number; status: string }>(
      `SELECT id, status FROM operator_texts WHERE sid = ? AND direction = 'outbound'`,
    );
    this.selectNewest = database.prepare<[number], OperatorTextRow>(
      'SELECT * FROM (SELECT * FROM operator_texts ORDER BY id DESC LIMIT ?) AS page ORDER BY id',
    );
    this.selectBefore = database.prepare<[number, number], OperatorTextRow>(
      'SELECT * FROM (SELECT * FROM operator_texts WHERE id < ? ORDER BY id DESC LIMIT ?) AS page ORDER BY id',
    );
    // The rows stay: they count towards each phone's daily cap and its wrong-code lockout.
    this.clearText = database.prepare<[string]>(
      "UPDATE operator_texts SET body = '' WHERE created_at < ? AND body <> ''",
    );
  }

  /** Records a text; null when its sid is already recorded (a Twilio retry of a reply). */
  record(text: {
    direction: 'inbound' | 'outbound';
    kind: OperatorTextKind;
    number: string;
    body: string;
    status: string;
    day: string;
    sid?: string;
    approvalId?: string;
    error?: string;
  }): number | null {
    const result = this.insert.run({
      sid: null,
      approvalId: null,
      error: null,
      ...text,
      now: new Date().toISOString(),
    });
    return result.changes === 1 ? Number(result.lastInsertRowid) : null;
  }

  settle(id: number, outcome: { status: string; sid?: string; error?: string }): void {
    this.update.run({ id, sid: null, error: null, ...outcome });
  }

  /** A text Twilio took for an operator phone, by its sid. */
  sent(sid: string): { id: number; status: string } | null {
    return this.selectSent.get(sid) ?? null;
  }

  /** Whether Twilio took the notification of this approval for this phone. */
  notified(approvalId: string, number: string): boolean {
    return this.selectNotified.get(approvalId, number) !== undefined;
  }

  /** Texts sent (or being sent) to a phone on a local day: what its daily cap counts. */
  sentOn(number: string, day: string): number {
    return this.countSent.get(number, day)?.count ?? 0;
  }

  wrongCodesSince(number: string, time: string): number {
    return this.countWrong.get(number, time)?.count ?? 0;
  }

  phone(number: string): OperatorPhone {
    const row = this.selectPhone.get(number);
    return {
      stopped: row?.stopped === 1,
      lockedAt: row?.locked_at ?? null,
      unlockedAt: row?.unlocked_at ?? null,
    };
  }

  setStopped(number: string, stopped: boolean): void {
    this.upsertStopped.run({ number, stopped: stopped ? 1 : 0 });
  }

  lock(number: string): void {
    this.upsertLocked.run({ number, now: new Date().toISOString() });
  }

  unlockAll(): void {
    this.unlock.run(new Date().toISOString());
  }

  /** The newest `limit` texts (before the one with id `before`), oldest first. */
  list(limit: number, before?: number): OperatorText[] {
    const rows = before ? this.selectBefore.all(before, limit) : this.selectNewest.all(limit);
    return rows.map((row) => ({
      id: row.id,
      direction: row.direction,
      kind: row.kind,
      number: row.number,
      body: row.body,
      sid: row.sid,
      status: row.status,
      approvalId: row.approval_id,
      error: row.error,
      createdAt: row.created_at,
    }));
  }

  /** Retention: removes the text of operator texts made before `time`; how many. */
  clearTextBefore(time: string): number {
    return this.clearText.run(time).changes;
  }
}
