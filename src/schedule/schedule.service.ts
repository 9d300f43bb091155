import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { validationFailed } from '../common/validation-failed';
import { AppConfig } from '../config/app-config';
import { InboxService } from '../inbox/inbox.service';
import { Approval, HeldSend } from '../safety/approvals/approvals.service';
import type { AuditOutcome } from '../safety/audit/audit-entry';
import { AuditService } from '../safety/audit/audit.service';
import { IDEMPOTENCY_KEY_LIFETIME_MS } from '../safety/message/message-limits';
import { MessagePolicy } from '../safety/message/message-policy';
import { SendPolicy } from '../safety/send-policy';
import { Database } from '../storage/database';
import { ScheduledSendDto } from './dto/scheduled-send.dto';
import { QuietHours } from './quiet-hours';
import { recipientZones } from './recipient-zones';
import { ScheduledRepository, ScheduledRow } from './scheduled.repository';
import type { ScheduledStatus } from './scheduled-status';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Timers are re-armed at least hourly: setTimeout cannot wait 30 days (2^31 ms at most). */
const MAX_TIMER_MS = 3_600_000;

export interface ScheduleRequest {
  to: string;
  body?: string;
  mediaUrl?: string[];
  sendAt?: string;
}

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

/**
 * The request's Idempotency-Key, claimed in the transaction that stores the send: `begin`
 * claims it and returns null, or returns what an earlier request with it left (`P`);
 * `finish` keeps the 202 answer for a retry.
 */
export interface PlanKey<P> {
  begin(): P | null;
  finish(answer: ScheduledAnswer | HeldForLater): void;
}

/** What the send path made of a due send: Twilio took it, or it is held for the operator. */
export type Delivery = { sid: string } | { approvalId: string };

/**
 * Sends for later (POST /sms/send with sendAt, or deferred past the recipient's quiet
 * hours). Every rule applies when a send is scheduled and again, through the send path
 * itself, when it falls due; one timer waits for the earliest due send.
 */
@Injectable()
export class ScheduleService implements OnModuleDestroy {
  private readonly logger = new Logger('Schedule');
  private readonly quiet?: QuietHours;
  private deliver?: (send: ScheduledSendDto) => Promise<Delivery>;
  private timer?: unknown;
  private running?: Promise<void>;
  private again = false;

  constructor(
    @Inject(ScheduledRepository) private readonly scheduled: ScheduledRepository,
    @Inject(Database) private readonly database: Database,
    @Inject(MessagePolicy) private readonly messages: MessagePolicy,
    @Inject(SendPolicy) private readonly policy: SendPolicy,
    @Inject(InboxService) private readonly inbox: InboxService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    const quiet = config.quietHours;
    if (quiet) this.quiet = new QuietHours(quiet.start, quiet.end);
  }

  /**
   * Decides when a send goes: null for now; otherwise the rules are checked, the send is
   * stored (or held for the operator first) and the 202 answer returned; `{prior}` when
   * `key` was used before. 400 for a sendAt in the past or too far ahead; 409 quiet_hours
   * in refuse mode.
   */
  async plan<P>(
    request: ScheduleRequest,
    caller: string,
    key?: PlanKey<P>,
  ): Promise<ScheduledAnswer | HeldForLater | { prior: P } | null> {
    const now = this.clock.now();
    const asked = request.sendAt === undefined ? now : this.checkSendAt(request.sendAt, now);
    const at = await this.allowedAt(request.to, asked);
    if (at === now) return null;
    const body = request.body ?? '';
    this.messages.check({ ...request, body });
    const reason = at === asked ? null : ('quiet_hours' as const);
    // Committed with the request's audit attempt, if it is still pending.
    const answer = this.audit.commitWithAttempt(() =>
      this.database
        .transaction((): ScheduledAnswer | HeldForLater | { prior: P } => {
          const prior = key?.begin() ?? null;
          if (prior !== null) return { prior };
          const planned = this.store({ ...request, body }, caller, at, reason);
          key?.finish(planned);
          return planned;
        })
        .immediate(),
    );
    this.arm();
    return answer;
  }

  /**
   * Before the operator's approval of a held message to `to`: null when it may go now (or
   * is a send for later, checked when due); else the end of the recipient's quiet hours,
   * for scheduleApproved(). 409 quiet_hours in refuse mode: the approval stays pending.
   */
  async approvalTime(approvalId: string, to: string): Promise<number | null> {
    if (this.scheduled.heldBy(approvalId).length > 0) return null;
    const now = this.clock.now();
    const at = await this.allowedAt(to, now);
    return at === now ? null : at;
  }

  /** In the operator's approval transaction: the held message goes at `at`, after quiet hours. */
  scheduleApproved(approval: Approval, at: number): ScheduledSendDto {
    const { to, body, mediaUrl } = approval;
    const caller = approval.decidedBy ?? 'operator';
    const { id } = this.store({ to, body: body ?? '', mediaUrl }, caller, at, 'quiet_hours');
    this.arm();
    return toDto(this.scheduled.get(id)!);
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

  /** 404 scheduled_send_not_found; 409 once it went out or ended otherwise. */
  cancel(id: string): ScheduledSendDto {
    const row = this.scheduled.get(id);
    if (!row)
      throw new ApiError('scheduled_send_not_found', 'No scheduled send has this id.', { id });
    const open = row.status === 'scheduled' || row.status === 'awaiting_approval';
    if (open && this.scheduled.move(id, row.status, 'cancelled')) this.arm();
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

  /**
   * In the operator's approval transaction: a held send for later is scheduled rather than
   * sent now, after the opt-out, denial and budget checks for its day. Null when the
   * approval held no send for later.
   */
  releaseHeld(approval: Approval): ScheduledSendDto | null {
    const rows = this.scheduled.heldBy(approval.id);
    for (const row of rows) {
      const at = Math.max(Date.parse(row.send_at), this.clock.now());
      this.policy.admitLater(row.to_number, row.body, row.requested_by, new Date(at));
      this.scheduled.move(row.id, 'awaiting_approval', 'scheduled');
    }
    if (rows.length === 0) return null;
    this.arm();
    return toDto(this.scheduled.get(rows[0].id)!);
  }

  /** Retention: forgets settled sends last changed before `time`; returns how many. */
  pruneBefore(time: string): number {
    return this.scheduled.pruneBefore(time);
  }

  /** The operator denied the number: held sends for later will not go. */
  discardHeld(approval: Approval): void {
    for (const row of this.scheduled.heldBy(approval.id)) {
      this.scheduled.move(row.id, 'awaiting_approval', 'refused', { error_code: 'contact_denied' });
    }
  }

  /**
   * Starts sending due sends through `deliver` (the send path, with the Idempotency-Key
   * `scheduled:<id>`). Sends a crash cut short are taken up first: the key replays what
   * Twilio accepted, so nothing goes out twice.
   */
  start(deliver: (send: ScheduledSendDto) => Promise<Delivery>): Promise<void> {
    this.deliver = deliver;
    return this.run(true);
  }

  onModuleDestroy(): void {
    this.deliver = undefined;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** Resolves when the sends due now have been handled (tests wait on it). */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private arm(): void {
    if (!this.deliver) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    const next = this.scheduled.next();
    if (next === null) return;
    const wait = Math.min(Math.max(0, Date.parse(next) - this.clock.now()), MAX_TIMER_MS);
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      void this.run();
    }, wait);
  }

  private run(resume = false): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const work = async () => {
      if (resume) for (const row of this.scheduled.interrupted()) await this.resume(row);
      const now = new Date(this.clock.now()).toISOString();
      for (const row of this.scheduled.due(now)) await this.fire(row);
    };
    this.running = work()
      .catch((error: unknown) => {
        this.logger.error(`Scheduled sends stopped: ${(error as Error).message}`);
      })
      .finally(() => {
        this.running = undefined;
        if (!this.again) return this.arm();
        this.again = false;
        void this.run();
      });
    return this.running;
  }

  /**
   * A send a crash cut short is sent again under its Idempotency-Key, which replays what
   * Twilio answered. Past the key's lifetime (or SMS_SCHEDULE_MAX_LATE_MINUTES, when
   * shorter) the key may be gone and Twilio may have taken it: unknown, never sent twice.
   */
  private async resume(row: ScheduledRow): Promise<void> {
    const late = this.clock.now() - Date.parse(row.send_at);
    const limit = Math.min(
      this.config.schedule.maxLateMinutes * MINUTE_MS,
      IDEMPOTENCY_KEY_LIFETIME_MS,
    );
    if (late <= limit) return this.send(row);
    if (this.scheduled.move(row.id, 'sending', 'unknown')) {
      this.record(row, 'failed', {
        reason: 'interrupted',
        detail: { lateMinutes: Math.floor(late / MINUTE_MS) },
      });
    }
  }

  private async fire(row: ScheduledRow): Promise<void> {
    if (!this.deliver) return;
    const now = this.clock.now();
    const late = now - Date.parse(row.send_at);
    if (late > this.config.schedule.maxLateMinutes * MINUTE_MS) {
      if (this.scheduled.move(row.id, 'scheduled', 'expired')) {
        this.record(row, 'refused', {
          reason: 'expired',
          detail: { lateMinutes: Math.floor(late / MINUTE_MS) },
        });
      }
      return;
    }
    let at: number;
    try {
      at = await this.allowedAt(row.to_number, now);
    } catch (error) {
      return this.settle(row, 'scheduled', error);
    }
    // Late past its time (the bridge was down), it now lands in the recipient's night.
    if (at > now) {
      this.scheduled.move(row.id, 'scheduled', 'scheduled', {
        send_at: new Date(at).toISOString(),
      });
      return;
    }
    if (this.scheduled.move(row.id, 'scheduled', 'sending')) await this.send(row);
  }

  private async send(row: ScheduledRow): Promise<void> {
    const deliver = this.deliver;
    if (!deliver) return;
    // Nothing leaves without its audit record, as for a send through the route.
    this.audit.append({
      requestId: `scheduled:${row.id}`,
      action: 'scheduled_send',
      phase: 'attempt',
      caller: row.requested_by,
      recipient: row.to_number,
      body: row.body,
    });
    let delivery: Delivery;
    try {
      delivery = await deliver(toDto(row));
    } catch (error) {
      return this.settle(row, 'sending', error);
    }
    if ('sid' in delivery) {
      this.scheduled.move(row.id, 'sending', 'sent', { sid: delivery.sid });
      this.record(row, 'accepted', { sid: delivery.sid });
    } else {
      // The number lost its approval in between: held again, scheduled once approved.
      this.scheduled.move(row.id, 'sending', 'awaiting_approval', {
        approval_id: delivery.approvalId,
      });
      this.record(row, 'held', { detail: { approvalId: delivery.approvalId } });
    }
  }

  /** A refusal when due is kept on the entry with its code, and audited. */
  private settle(row: ScheduledRow, from: ScheduledStatus, error: unknown): void {
    const { status, code } = outcomeOf(error);
    if (status === 'failed' && code === 'internal_error') {
      this.logger.error(`Scheduled send ${row.id} failed: ${(error as Error).message}`);
    }
    this.scheduled.move(row.id, from, status, { error_code: code });
    this.record(row, status === 'refused' ? 'refused' : 'failed', { reason: code });
  }

  private record(
    row: ScheduledRow,
    outcome: AuditOutcome,
    extra: { reason?: string; sid?: string; detail?: Record<string, unknown> },
  ): void {
    this.audit.appendBestEffort({
      requestId: `scheduled:${row.id}`,
      action: 'scheduled_send',
      phase: 'outcome',
      caller: row.requested_by,
      recipient: row.to_number,
      body: row.body,
      outcome,
      ...extra,
      detail: { scheduledId: row.id, sendAt: row.send_at, ...extra.detail },
    });
  }

  /** Stores a send for later, in the caller's transaction, after the rules for its day. */
  private store(
    request: ScheduleRequest & { body: string },
    caller: string,
    at: number,
    reason: 'quiet_hours' | null,
  ): ScheduledAnswer | HeldForLater {
    const { to, body, mediaUrl } = request;
    const sendAt = new Date(at).toISOString();
    const { held } = this.policy.admitLater(to, body, caller, new Date(at), mediaUrl);
    const id = randomUUID();
    const created = new Date(this.clock.now()).toISOString();
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
      created_at: created,
      updated_at: created,
    });
    if (held) return { ...held, id, sendAt };
    return { status: 'scheduled', id, sendAt, to, ...(reason && { reason }) };
  }

  private checkSendAt(sendAt: string, now: number): number {
    const at = Date.parse(sendAt);
    const maxDays = this.config.schedule.maxDays;
    const problem =
      at <= now
        ? 'sendAt must be in the future'
        : at > now + maxDays * DAY_MS
          ? `sendAt must be at most ${maxDays} days ahead (SMS_SCHEDULE_MAX_DAYS)`
          : null;
    if (problem) throw validationFailed([{ field: 'sendAt', problems: [problem] }]);
    return at;
  }

  /**
   * The first instant from `at` on that is outside the quiet hours in every zone of the
   * number (SMS_TIMEZONE when it has none, or when its zones share no time outside them).
   * A reply to the recipient's own recent text is not held: they are awake.
   */
  private async allowedAt(to: string, at: number): Promise<number> {
    const settings = this.config.quietHours;
    if (!this.quiet || !settings) return at;
    const last = this.inbox.lastReceivedFrom(to);
    if (last && Date.parse(last) >= at - settings.replyMinutes * MINUTE_MS) return at;
    const zones = await recipientZones(to);
    const fallback = [this.config.safety.timeZone];
    const allowed =
      (zones.length > 0 ? this.quiet.allowedAt(at, zones) : null) ??
      this.quiet.allowedAt(at, fallback)!;
    if (allowed === at || settings.mode === 'defer') return allowed;
    const allowedAt = new Date(allowed).toISOString();
    throw new ApiError(
      'quiet_hours',
      `It is quiet hours where ${to} is; nothing was sent. Send again at or after ${allowedAt}, or pass sendAt.`,
      { allowedAt, timeZones: zones.length > 0 ? zones : fallback },
    );
  }
}

function outcomeOf(error: unknown): { status: ScheduledStatus; code: string } {
  if (!(error instanceof ApiError)) return { status: 'failed', code: 'internal_error' };
  const { code } = error;
  // The send may have gone out: never retried, so never sent twice.
  if (code === 'idempotency_key_in_progress' || code === 'twilio_timeout') {
    return { status: 'unknown', code };
  }
  const fromTwilio = error.details.twilioCode !== undefined || error.getStatus() >= 500;
  return { status: fromTwilio ? 'failed' : 'refused', code };
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
