import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Kysely } from 'kysely';
import { Subject } from 'rxjs';
import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { Approval, HeldSend, NewApproval } from '../safety/approvals/approvals.service';
import { SendPipeline } from '../sending/send-pipeline';
import type { Store } from '../storage/store';
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
  /**
   * A send was scheduled (or released by the operator) and committed: the runner re-arms
   * its timer. Told by the transaction's owner after the commit, so the runner reads it.
   */
  readonly scheduled$ = new Subject<void>();
  private readonly logger = new Logger('Schedule');
  /** This process, as the holder of the sends it is sending. */
  private readonly owner = randomUUID();
  private readonly renewals = new Set<NodeJS.Timeout>();
  private released = false;

  constructor(
    @Inject(Kysely) private readonly db: Store,
    @Inject(ScheduledRepository) private readonly scheduled: ScheduledRepository,
    @Inject(SendPipeline) private readonly pipeline: SendPipeline,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Stores a send for later, in the caller's transaction, after the rules for its day; with
   * the approval it created when the number needs the operator's.
   */
  async store(
    trx: Store,
    request: { to: string; body: string; mediaUrl?: string[] },
    caller: string,
    at: number,
    reason: 'quiet_hours' | null,
  ): Promise<{ answer: ScheduledAnswer | HeldForLater; created: NewApproval | null }> {
    const { to, body, mediaUrl } = request;
    const sendAt = new Date(at).toISOString();
    const admission = await this.pipeline.admit(trx, 'agent_send_later', {
      to,
      body,
      mediaUrl,
      caller,
      at: new Date(at),
    });
    const { held, created } = 'held' in admission ? admission : { held: null, created: null };
    const id = randomUUID();
    const now = new Date(this.clock.now()).toISOString();
    await this.scheduled.create(trx, {
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
    return { answer: { status: 'scheduled', id, sendAt, to, ...(reason && { reason }) }, created };
  }

  /** In the operator's approval transaction: the held message goes at `at`, after quiet hours. */
  async scheduleApproved(trx: Store, approval: Approval, at: number): Promise<ScheduledSendDto> {
    const { to, body, mediaUrl } = approval;
    const caller = approval.decidedBy ?? 'operator';
    const message = { to, body: body ?? '', mediaUrl };
    const { answer } = await this.store(trx, message, caller, at, 'quiet_hours');
    return toDto((await this.scheduled.get(trx, answer.id))!);
  }

  /**
   * Whether a send for later asked for the approval: then approving never sends now, even
   * if the agent cancelled it since (cancel means never).
   */
  async holdsLater(approvalId: string): Promise<boolean> {
    return (await this.scheduled.askedFor(this.db, approvalId)).length > 0;
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
  async releaseHeld(trx: Store, approval: Approval): Promise<ScheduledSendDto | null> {
    const rows = await this.scheduled.askedFor(trx, approval.id);
    const now = this.clock.now();
    const released = rows.filter((row) => row.status === 'awaiting_approval');
    for (const row of released) {
      const sendAt = Date.parse(row.send_at);
      if (this.expired(row.send_at, now)) {
        await this.scheduled.move(trx, row.id, 'awaiting_approval', 'expired');
        continue;
      }
      await this.pipeline.admit(trx, 'agent_send_later', {
        to: row.to_number,
        body: row.body,
        caller: row.requested_by,
        at: new Date(Math.max(sendAt, now)),
      });
      await this.scheduled.move(trx, row.id, 'awaiting_approval', 'scheduled');
    }
    const shown = released[0] ?? rows[0];
    return shown ? toDto((await this.scheduled.get(trx, shown.id))!) : null;
  }

  /** Retention, in `trx`: forgets settled sends last changed before `time`; how many. */
  pruneBefore(trx: Store, time: string): Promise<number> {
    return this.scheduled.pruneBefore(trx, time);
  }

  /** The operator denied the number: held sends for later will not go. */
  async discardHeld(trx: Store, approval: Approval): Promise<void> {
    for (const row of await this.scheduled.askedFor(trx, approval.id)) {
      const refused = { error_code: 'contact_denied' };
      await this.scheduled.move(trx, row.id, 'awaiting_approval', 'refused', refused);
    }
  }

  /** The sends for later to `number` that wait for their time (for its conversation). */
  async waitingTo(number: string): Promise<ScheduledSendDto[]> {
    return (await this.scheduled.waitingTo(this.db, number)).map(toDto);
  }

  async find(id: string): Promise<ScheduledSendDto | null> {
    const row = await this.scheduled.get(this.db, id);
    return row ? toDto(row) : null;
  }

  async list(status?: ScheduledStatus): Promise<ScheduledSendDto[]> {
    return (await this.scheduled.list(this.db, status)).map(toDto);
  }

  /**
   * 404 scheduled_send_not_found; 409 once it went out or ended otherwise. The runner's
   * timer may still wake for it: it finds nothing due and waits for the next.
   */
  async cancel(id: string): Promise<ScheduledSendDto> {
    const row = await this.scheduled.get(this.db, id);
    if (!row)
      throw new ApiError('scheduled_send_not_found', 'No scheduled send has this id.', { id });
    const open = row.status === 'scheduled' || row.status === 'awaiting_approval';
    // Conditional on the status read: a send claimed meanwhile is not cancelled under it.
    if (open) await this.scheduled.move(this.db, id, row.status, 'cancelled');
    const now = toDto((await this.scheduled.get(this.db, id))!);
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
  nextDue(): Promise<string | null> {
    return this.scheduled.next(this.db);
  }

  /** Scheduled sends due at `now` (ISO). */
  async due(now: string): Promise<DueSend[]> {
    return (await this.scheduled.due(this.db, now)).map(toDueSend);
  }

  /** Sends a crash cut short while they were sending, that no live bridge holds. */
  async interrupted(): Promise<DueSend[]> {
    return (await this.scheduled.interrupted(this.db, this.isoNow())).map(toDueSend);
  }

  /** Takes a due send to send it; false when another bridge took it first. */
  claim(id: string): Promise<boolean> {
    return this.scheduled.claim(this.db, id, this.lease());
  }

  /** Takes up a send a crash cut short; false when another bridge took it up first. */
  takeOver(id: string): Promise<boolean> {
    return this.scheduled.takeOver(this.db, id, this.lease(), this.isoNow());
  }

  /** Runs the send of a claimed row, renewing this bridge's hold on it until it settles. */
  async holding<T>(id: string, send: () => Promise<T>): Promise<T> {
    if (this.released) return send();
    const renew = () =>
      this.scheduled.renew(this.db, id, this.lease()).catch((error: unknown) => {
        // The next renewal tries again; a lease that runs out lets another bridge take it up.
        this.logger.warn(`Lease on scheduled send ${id} not renewed: ${(error as Error).message}`);
      });
    const renewal = setInterval(() => void renew(), LEASE_MS / 3);
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
    return this.scheduled.release(this.db, this.owner, this.isoNow());
  }

  /** Moves a send from `from` to `to` if it still is `from`; false when it moved on. */
  move(
    id: string,
    from: ScheduledStatus,
    to: ScheduledStatus,
    set: Settled = {},
  ): Promise<boolean> {
    return this.scheduled.move(this.db, id, from, to, set);
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
