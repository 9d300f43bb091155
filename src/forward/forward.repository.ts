import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../storage/database';

export type ForwardState = 'pending' | 'delivered' | 'failed';

export interface DueForward {
  sid: string;
  attempts: number;
}

/** Pushes stopped on a refusal that retrying cannot fix (migration 017). */
export interface ForwardHalt {
  since: string;
  reason: string;
  /** Fingerprint of the forward settings the hook refused. */
  settings: string;
}

export interface ForwardRecord {
  sid: string;
  state: ForwardState;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  deliveredAt: string | null;
}

interface ForwardRow {
  sid: string;
  state: ForwardState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  delivered_at: string | null;
}

/**
 * The outbox of inbound messages to push (migration 006). Rows are queued by a trigger
 * on inbound_messages while forwarding is enabled; this class turns it on or off and
 * settles each row.
 */
@Injectable()
export class ForwardRepository {
  private readonly setEnabled;
  private readonly claimDue;
  private readonly deliver;
  private readonly retry;
  private readonly fail;
  private readonly dueNow;
  private readonly selectAll;
  private readonly selectHalt;
  private readonly setHalt;
  private readonly clearHalt;
  private readonly unlease;

  constructor(@Inject(Database) database: Database) {
    this.setEnabled = database.prepare<[number]>(
      'UPDATE forward_settings SET enabled = ? WHERE id = 1',
    );
    // Rows are queued as messages are stored, so rowid order is arrival order.
    const selectDue = database.prepare<{ now: string; limit: number }, DueForward>(
      `SELECT sid, attempts FROM inbound_forwards
       WHERE state = 'pending' AND next_attempt_at <= @now
         AND (leased_until IS NULL OR leased_until <= @now)
       ORDER BY rowid LIMIT @limit`,
    );
    const lease = database.prepare<[string, string]>(
      `UPDATE inbound_forwards SET leased_until = ? WHERE sid = ?`,
    );
    // Read and leased in one write transaction: another bridge on the same database does not
    // see a leased row as due, so each message is pushed once.
    this.claimDue = database.transaction((now: string, limit: number, leaseUntil: string) => {
      const due = selectDue.all({ now, limit });
      for (const { sid } of due) lease.run(leaseUntil, sid);
      return due;
    });
    this.deliver = database.prepare<[string, string]>(
      `UPDATE inbound_forwards SET state = 'delivered', attempts = attempts + 1, delivered_at = ?,
       last_error = NULL, leased_until = NULL WHERE sid = ? AND state = 'pending'`,
    );
    this.retry = database.prepare<{ sid: string; nextAttemptAt: string; error: string }>(
      `UPDATE inbound_forwards SET attempts = attempts + 1, next_attempt_at = @nextAttemptAt,
       last_error = @error, leased_until = NULL WHERE sid = @sid AND state = 'pending'`,
    );
    this.fail = database.prepare<{ sid: string; error: string }>(
      `UPDATE inbound_forwards SET state = 'failed', attempts = attempts + 1, last_error = @error,
       leased_until = NULL WHERE sid = @sid AND state = 'pending'`,
    );
    this.dueNow = database.prepare<[string]>(
      "UPDATE inbound_forwards SET next_attempt_at = ? WHERE state = 'pending'",
    );
    this.selectAll = database.prepare<[], ForwardRow>(
      'SELECT * FROM inbound_forwards ORDER BY rowid',
    );
    this.selectHalt = database.prepare<[], ForwardHalt>(
      `SELECT halted_since AS since, halted_reason AS reason, halted_settings AS settings
       FROM forward_settings WHERE id = 1 AND halted_since IS NOT NULL`,
    );
    // Only the first refusal sets it: since stays the time pushing stopped.
    this.setHalt = database.prepare<{ since: string; reason: string; settings: string }>(
      `UPDATE forward_settings SET halted_since = @since, halted_reason = @reason,
       halted_settings = @settings WHERE id = 1 AND halted_since IS NULL`,
    );
    this.unlease = database.prepare<[string]>(
      'UPDATE inbound_forwards SET leased_until = NULL WHERE sid = ?',
    );
    this.clearHalt = database.prepare<[]>(
      `UPDATE forward_settings SET halted_since = NULL, halted_reason = NULL,
       halted_settings = NULL WHERE id = 1`,
    );
  }

  /** While enabled, every newly stored inbound message is queued. */
  enable(enabled: boolean): void {
    this.setEnabled.run(enabled ? 1 : 0);
  }

  /**
   * Pending pushes whose time has come, oldest message first, leased until `leaseUntil`: due
   * again then only if their push neither settled nor rescheduled them (a crash mid-push).
   */
  claim(now: string, limit: number, leaseUntil: string): DueForward[] {
    return this.claimDue.immediate(now, limit, leaseUntil);
  }

  markDelivered(sid: string): void {
    this.deliver.run(new Date().toISOString(), sid);
  }

  markRetry(sid: string, nextAttemptAt: string, error: string): void {
    this.retry.run({ sid, nextAttemptAt, error });
  }

  markFailed(sid: string, error: string): void {
    this.fail.run({ sid, error });
  }

  /** Makes every pending push due now (at boot: whatever stopped the hook may be gone). */
  retryPendingNow(): void {
    this.dueNow.run(new Date().toISOString());
  }

  /** Whether pushing is halted, since when and why; null while pushes go out. */
  halt(): ForwardHalt | null {
    return this.selectHalt.get() ?? null;
  }

  /** Halts pushing; true when this call did (the first refusal), false when it already was. */
  haltPushes(reason: string, settings: string): boolean {
    return this.setHalt.run({ since: new Date().toISOString(), reason, settings }).changes > 0;
  }

  /** Gives back claimed pushes that were not made. */
  release(sids: string[]): void {
    for (const sid of sids) this.unlease.run(sid);
  }

  /** Lifts a halt; the pending pushes are due again at once. */
  resume(): void {
    this.clearHalt.run();
    this.retryPendingNow();
  }

  all(): ForwardRecord[] {
    return this.selectAll.all().map((row) => ({
      sid: row.sid,
      state: row.state,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at,
      lastError: row.last_error,
      deliveredAt: row.delivered_at,
    }));
  }
}
