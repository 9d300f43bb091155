import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { Approval, HeldSend, NewApproval } from '../safety/approvals/approvals.service';
import { SendPipeline } from '../sending/send-pipeline';
import { ScheduledSendDto } from './dto/scheduled-send.dto';
import { ScheduledRepository, ScheduledRow, Settled } from './scheduled.repository';
import type { ScheduledStatus } from './scheduled-status';

/** 202 for a send that goes later: at sendAt, or after the recipient's quiet hours. */
export interface ScheduledAnswer {
  status: 'scheduled';
  id: string;
  sendAt: string;
  to: string;
  reason?: 'quiet_hours';
}

/** 202 for a send for later to a number the operator must approve first. */
export type HeldForLater = HeldSend & { id: string; sendAt: string };

const MINUTE_MS = 60_000;
/**
 * How long a bridge holds a send it is sending, renewed a third of the way through while
 * Twilio has not answered: a bridge that dies mid-send holds it at most this long.
 */
const LEASE_MS = 60_000;

/** A scheduled send as the runner handles it: with who asked for it, for the audit. */
export type DueSend = ScheduledSendDto & { requestedBy: string };

/**
 * The sends for later (POST /sms/send with sendAt, or deferred past the recipient's quiet
 * hours): stored after the send pipeline's rules for their day, listed, cancelled. When
 * they go is the send pipeline's rule; sending them when due is the outbound runner's.
 */
@Injectable()
export class ScheduleService {
  /** A send was scheduled (or released by the operator): the runner re-arms its timer. */
  readonly scheduled$ = new Subject<void>();
  /** This process, as the holder of the sends it is sending. */
  private readonly owner = randomUUID();
  private readonly renewals = new Set<NodeJS.Timeout>();
  private released = false;

  constructor(
    @Inject(ScheduledRepository) private readonly scheduled: ScheduledRepository,
    @Inject(SendPipeline) private readonly pipeline: SendPipeline,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Stores a send for later, in the caller's transaction, after the rules for its day; with
   * the approval it created when the number needs the operator's.
   */
  store(
    request: { to: string; body: string; mediaUrl?: string[] },
    caller: string,
    at: number,
    reason: 'quiet_hours' | null,
  ): { answer: ScheduledAnswer | HeldForLater; created: NewApproval | null } {
    const { to, body, mediaUrl } = request;
    const sendAt = new Date(at).toISOString();
    const admission = this.pipeline.admit('agent_send_later', {
      to,
      body,
      mediaUrl,
      caller,
      at: new Date(at),
    });
    const { held, created } = 'held' in admission ? admission : { held: null, created: null };
    const id = randomUUID();
    const now = new Date(this.clock.now()).toISOString();
    this.scheduled.create({
      id,
      to_number: to,
      body,
      media: JSON.stringify(mediaUrl ?? []),
      send_at: sendAt,
      status: held ? 'awaiting_approval' : 'scheduled',
      reason,
      approval_id: held?.approvalId ?? null,
      sid: null,
      error_code: null,
      requested_by: caller,
      created_at: now,
      updated_at: now,
    });
    if (held) return { answer: { ...held, id, sendAt }, created };
    this.scheduled$.next();
    return { answer: { status: 'scheduled', id, sendAt, to, ...(reason && { reason }) }, created };
  }

  /** In the operator's approval transaction: the held message goes at `at`, after quiet hours. */
  scheduleApproved(approval: Approval, at: number): ScheduledSendDto {
    const { to, body, mediaUrl } = approval;
    const caller = approval.decidedBy ?? 'operator';
    const { answer } = this.store({ to, body: body ?? '', mediaUrl }, caller, at, 'quiet_hours');
    const { id } = answer;
    return toDto(this.scheduled.get(id)!);
  }

  /**
   * Whether a send for later asked for the approval: then approving never sends now, even
   * if the agent cancelled it since (cancel means never).
   */
  holdsLater(approvalId: string): boolean {
    return this.scheduled.askedFor(approvalId).length > 0;
  }

  /** Due longer ago than SMS_SCHEDULE_MAX_LATE_MINUTES: never sent, whichever path finds it. */
  expired(sendAt: string, now: number): boolean {
    return now - Date.parse(sendAt) > this.config.schedule.maxLateMinutes * MINUTE_MS;
  }

  /**
   * In the operator's approval transaction: a held send for later is scheduled for its
   * sendAt rather than sent now, after the rules for its day; one due longer ago than
   * SMS_SCHEDULE_MAX_LATE_MINUTES expires, as the runner would expire it; a cancelled one
   * stays cancelled. The first send released (else the first asked), or null when the
   * approval held no send for later.
   */
  releaseHeld(approval: Approval): ScheduledSendDto | null {
    const rows = this.scheduled.askedFor(approval.id);
    const now = this.clock.now();
    const released = rows.filter((row) => row.status === 'awaiting_approval');
    for (const row of released) {
      const sendAt = Date.parse(row.send_at);
      if (this.expired(row.send_at, now)) {
        this.scheduled.move(row.id, 'awaiting_approval', 'expired');
        continue;
      }
      this.pipeline.admit('agent_send_later', {
        to: row.to_number,
        body: row.body,
        caller: row.requested_by,
        at: new Date(Math.max(sendAt, now)),
      });
      this.scheduled.move(row.id, 'awaiting_approval', 'scheduled');
    }
    if (released.length > 0) this.scheduled$.next();
    const shown = released[0] ?? rows[0];
    return shown ? toDto(this.scheduled.get(shown.id)!) : null;
  }

  /** Retention: forgets settled sends last changed before `time`; returns how many. */
  pruneBefore(time: string): number {
    return this.scheduled.pruneBefore(time);
  }

  /** The operator denied the number: held sends for later will not go. */
  discardHeld(approval: Approval): void {
    for (const row of this.scheduled.askedFor(approval.id)) {
      this.scheduled.move(row.id, 'awaiting_approval', 'refused', { error_code: 'contact_denied' });
    }
  }

  /** The sends for later to `number` that wait for their time (for its conversation). */
  waitingTo(number: string): ScheduledSendDto[] {
    return this.scheduled.waitingTo(number).map(toDto);
  }

  find(id: string): ScheduledSendDto | null {
    const row = this.scheduled.get(id);
    return row ? toDto(row) : null;
  }

  list(status?: ScheduledStatus): ScheduledSendDto[] {
    return this.scheduled.list(status).map(toDto);
  }

  /**
   * 404 scheduled_send_not_found; 409 once it went out or ended otherwise. The runner's
   * timer may still wake for it: it finds nothing due and waits for the next.
   */
  cancel(id: string): ScheduledSendDto {
    const row = this.scheduled.get(id);
    if (!row)
      throw new ApiError('scheduled_send_not_found', 'No scheduled send has this id.', { id });
    const open = row.status === 'scheduled' || row.status === 'awaiting_approval';
    if (open) this.scheduled.move(id, row.status, 'cancelled');
    const now = toDto(this.scheduled.get(id)!);
    if (now.status === 'cancelled') return now;
    if (['sending', 'sent', 'unknown'].includes(now.status)) {
      throw new ApiError(
        'scheduled_send_already_sent',
        'This scheduled send already went out (or is going out now); it cannot be cancelled.',
        { scheduled: now },
      );
    }
    throw new ApiError(
      'scheduled_send_finished',
      `This scheduled send is already ${now.status}; nothing is left to cancel.`,
      { scheduled: now },
    );
  }

  /** When the earliest scheduled send is due, for the runner's timer. */
  nextDue(): string | null {
    return this.scheduled.next();
  }

  /** Scheduled sends due at `now` (ISO). */
  due(now: string): DueSend[] {
    return this.scheduled.due(now).map(toDueSend);
  }

  /** Sends a crash cut short while they were sending, that no live bridge holds. */
  interrupted(): DueSend[] {
    return this.scheduled.interrupted(this.isoNow()).map(toDueSend);
  }

  /** Takes a due send to send it; false when another bridge took it first. */
  claim(id: string): boolean {
    return this.scheduled.claim(id, this.lease());
  }

  /** Takes up a send a crash cut short; false when another bridge took it up first. */
  takeOver(id: string): boolean {
    return this.scheduled.takeOver(id, this.lease(), this.isoNow());
  }

  /** Runs the send of a claimed row, renewing this bridge's hold on it until it settles. */
  async holding<T>(id: string, send: () => Promise<T>): Promise<T> {
    if (this.released) return send();
    const renewal = setInterval(() => this.scheduled.renew(id, this.lease()), LEASE_MS / 3);
    renewal.unref();
    this.renewals.add(renewal);
    try {
      return await send();
    } finally {
      clearInterval(renewal);
      this.renewals.delete(renewal);
    }
  }

  /** The bridge stops: what it was sending is let go, for the next bridge to boot to take up. */
  release(): Promise<void> {
    this.released = true;
    for (const renewal of this.renewals) clearInterval(renewal);
    this.renewals.clear();
    return this.scheduled.release(this.owner, this.isoNow());
  }

  /** Moves a send from `from` to `to` if it still is `from`; false when it moved on. */
  move(id: string, from: ScheduledStatus, to: ScheduledStatus, set: Settled = {}): boolean {
    return this.scheduled.move(id, from, to, set);
  }

  private lease(): { owner: string; until: string } {
    return { owner: this.owner, until: new Date(this.clock.now() + LEASE_MS).toISOString() };
  }

  private isoNow(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

function toDueSend(row: ScheduledRow): DueSend {
  return { ...toDto(row), requestedBy: row.requested_by };
}

function toDto(row: ScheduledRow): ScheduledSendDto {
  return {
    id: row.id,
    to: row.to_number,
    body: row.body,
    mediaUrl: JSON.parse(row.media) as string[],
    sendAt: row.send_at,
    status: row.status,
    reason: row.reason,
    approvalId: row.approval_id,
    sid: row.sid,
    errorCode: row.error_code,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
