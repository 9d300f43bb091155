import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { validationFailed } from '../common/validation-failed';
import { AppConfig } from '../config/app-config';
import { InboxService } from '../inbox/inbox.service';
import { OperatorNotifier } from '../operator-texts/operator-notifier.service';
import { AuditService } from '../safety/audit/audit.service';
import {
  Approval,
  ApprovalsService,
  HeldSend,
  NewApproval,
} from '../safety/approvals/approvals.service';
import { LimitsService, Slot } from '../safety/limits/limits.service';
import { OptOutService } from '../safety/opt-out/opt-out.service';
import { BodyMeasure } from '../safety/message/segment-limit';
import { ScheduledSendDto } from '../schedule/dto/scheduled-send.dto';
import { HeldForLater, ScheduledAnswer, ScheduleService } from '../schedule/schedule.service';
import type { Door } from '../sending/door-rules';
import { Screened, SendPipeline } from '../sending/send-pipeline';
import type { Store } from '../storage/store';
import { SendResponseDto } from './dto/send-response.dto';
import { SendSmsDto } from './dto/send-sms.dto';
import { IdempotencyService } from './idempotency.service';
import { OutboundRepository, PendingSend } from './outbound.repository';

const DAY_MS = 86_400_000;

/**
 * 201 and the message Twilio accepted; 202 and the approval it waits for, or the send for
 * later it became.
 */
export type SendOutcome = (
  | { status: 201; body: SendResponseDto }
  | { status: 202; body: HeldSend | ScheduledAnswer | HeldForLater }
) & { replayed?: boolean };

/** A recorded send and the daily slot it holds until Twilio answers. */
type Reserved = PendingSend & { slot: Slot };

export interface SendOptions {
  /** Who asked (the caller's address), for the approval the operator sees. */
  caller: string;
  idempotencyKey?: string;
}

/** The agent's doors: a send now (or for later, with sendAt), and a scheduled send falling due. */
type AgentDoor = Extract<Door, 'agent_send' | 'scheduled_due'>;

/**
 * The agent's sends and the operator's decisions on held ones, through the send pipeline:
 * its rules decide, this service stores the send (now, or for later) and its idempotency
 * key in one transaction, then hands it to Twilio through the pipeline.
 */
@Injectable()
export class OutboundService {
  constructor(
    @Inject(SendPipeline) private readonly pipeline: SendPipeline,
    @Inject(OutboundRepository) private readonly outbound: OutboundRepository,
    @Inject(Kysely) private readonly store: Store,
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
    @Inject(OptOutService) private readonly optOut: OptOutService,
    @Inject(LimitsService) private readonly limits: LimitsService,
    @Inject(ScheduleService) private readonly schedule: ScheduleService,
    @Inject(InboxService) private readonly inbox: InboxService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(OperatorNotifier) private readonly notifier: OperatorNotifier,
  ) {}

  /**
   * A send through `door`: now, or for later when it has a sendAt or the recipient's quiet
   * hours defer it. 400 for a sendAt in the past or too far ahead, then the pipeline's
   * refusals. A repeated Idempotency-Key answers the first answer (`replayed`).
   */
  async send(door: AgentDoor, request: SendSmsDto, options: SendOptions): Promise<SendOutcome> {
    const key = options.idempotencyKey;
    const now = this.clock.now();
    const asked = request.sendAt === undefined ? now : this.checkSendAt(request.sendAt, now);
    const message = { to: request.to, body: request.body ?? '', mediaUrl: request.mediaUrl };
    const screened = await this.pipeline.screen(
      asked === now ? door : 'agent_send_later',
      message,
      {
        at: asked,
        lastInboundAt: await this.inbox.lastReceivedFrom(request.to),
      },
    );
    const reason = screened.at === asked ? null : ('quiet_hours' as const);
    // One write transaction: the key, the rules and the stored send stand or fall together,
    // committed with the request's audit attempt (one fsync before Twilio is called).
    const admitted = await this.audit.commitWithAttempt(async (trx) => {
      const prior = key ? await this.idempotency.begin(trx, key, request) : null;
      if (prior) return { prior };
      const answer = await this.admit(trx, door, message, options.caller, screened, now, reason);
      if ('answered' in answer && key) await this.idempotency.finish(trx, key, answer.answered);
      return answer;
    });
    if ('prior' in admitted) {
      return {
        ...((await this.idempotency.replay(admitted.prior)) as SendOutcome),
        replayed: true,
      };
    }
    if ('answered' in admitted) {
      // Committed: the operator's phones may hear of the new approval now, and the runner
      // of a send scheduled for later.
      if (admitted.created) this.notifier.announce(admitted.created);
      if (admitted.answered.body.status === 'scheduled') this.schedule.scheduled$.next();
      return admitted.answered;
    }
    const work = this.deliver(admitted.pending).then((body) => ({ status: 201, body }) as const);
    return key ? this.idempotency.track(key, work) : work;
  }

  /**
   * The first instant a text through `door` may go from `now` on (the recipient's quiet
   * hours), after the pipeline's other read-only rules; their refusal is thrown.
   */
  async allowedAt(
    door: Door,
    message: { to: string; body: string; mediaUrl: string[] },
    now: number,
  ): Promise<number> {
    const lastInboundAt = await this.inbox.lastReceivedFrom(message.to);
    return (await this.pipeline.screen(door, message, { at: now, lastInboundAt })).at;
  }

  /**
   * The operator approves: the number is approved and the held message, if any, is sent;
   * one meant for later, or one that would land in the recipient's quiet hours, is
   * scheduled instead (409 quiet_hours in refuse mode, the approval left pending). A
   * refusal before Twilio (opt-out, daily limit) leaves the approval pending; a Twilio
   * failure leaves it approved and says so in the error.
   */
  async approve(
    approvalId: string,
    decidedBy: string,
  ): Promise<{
    approval: Approval;
    message: SendResponseDto | null;
    scheduled?: ScheduledSendDto;
  }> {
    const held = await this.approvals.get(approvalId);
    // A send for later is timed when due; a message to send now, by the pipeline now.
    const now = this.clock.now();
    const quietUntil =
      held?.body && !(await this.schedule.holdsLater(approvalId))
        ? await this.allowedAt('operator_approval', { ...held, body: held.body }, now)
        : now;
    const { approval, pending, scheduled } = await this.store.transaction().execute(async (trx) => {
      const approval = await this.approvals.decide(trx, approvalId, 'approved', decidedBy);
      if (approval.body === null) return { approval, pending: null };
      const scheduled =
        (await this.schedule.releaseHeld(trx, approval)) ??
        (quietUntil === now
          ? null
          : await this.schedule.scheduleApproved(trx, approval, quietUntil));
      if (scheduled) return { approval, pending: null, scheduled };
      // The rules may have narrowed since the request; a refusal rolls the decision back.
      const { to, body, mediaUrl } = approval;
      const message = { to, body, mediaUrl };
      const measure = await this.pipeline.check(trx, 'operator_approval', message);
      const { slot } = (await this.pipeline.admit(trx, 'operator_approval', {
        ...message,
        caller: decidedBy,
      })) as { slot: Slot };
      return { approval, pending: await this.recordSending(trx, message, measure, slot) };
    });
    if (scheduled) this.schedule.scheduled$.next();
    if (!pending) return { approval, message: null, ...(scheduled && { scheduled }) };
    try {
      return { approval, message: await this.deliver(pending) };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      throw new ApiError(error.code, error.body.error.message, {
        ...error.details,
        approval,
      });
    }
  }

  /** The operator denies: the number is refused, and held sends for later will not go. */
  deny(approvalId: string, decidedBy: string): Promise<Approval> {
    return this.store.transaction().execute(async (trx) => {
      const approval = await this.approvals.decide(trx, approvalId, 'denied', decidedBy);
      await this.schedule.discardHeld(trx, approval);
      return approval;
    });
  }

  /** In the send's transaction: held, stored for later, or recorded as sending now. */
  private async admit(
    trx: Store,
    door: AgentDoor,
    message: { to: string; body: string; mediaUrl?: string[] },
    caller: string,
    screened: Screened,
    now: number,
    reason: 'quiet_hours' | null,
  ): Promise<
    { answered: SendOutcome & { status: 202 }; created: NewApproval | null } | { pending: Reserved }
  > {
    // A scheduled send falling due was timed by the runner: it goes now or not at all.
    if (door === 'agent_send' && screened.at !== now) {
      const { answer, created } = await this.schedule.store(
        trx,
        message,
        caller,
        screened.at,
        reason,
      );
      return { answered: { status: 202, body: answer }, created };
    }
    const admission = await this.pipeline.admit(trx, door, { ...message, caller });
    if ('held' in admission) {
      return { answered: { status: 202, body: admission.held }, created: admission.created };
    }
    return { pending: await this.recordSending(trx, message, screened.measure, admission.slot!) };
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

  private async recordSending(
    trx: Store,
    message: { to: string; body: string; mediaUrl?: string[] },
    measure: BodyMeasure,
    slot: Slot,
  ): Promise<Reserved> {
    const { day } = slot;
    const from = this.pipeline.from;
    return {
      ...(await this.outbound.recordSending(trx, { ...message, ...measure, from, day })),
      slot,
    };
  }

  private async deliver(pending: Reserved): Promise<SendResponseDto> {
    // Whatever path got here, the attempt is on disk before Twilio hears of it.
    await this.audit.commitAttempt();
    try {
      const accepted = await this.pipeline.transmit(pending);
      // Committed with the request's audit outcome (the second fsync of a send).
      await this.audit.settle((trx) => this.outbound.recordAccepted(trx, pending.id, accepted));
      // Our own count and encoding: Twilio's num_segments is stored beside it.
      return {
        ...accepted,
        segments: pending.segments ?? accepted.segments,
        encoding: pending.encoding ?? 'GSM-7',
      };
    } catch (error) {
      const twilioCode = error instanceof ApiError ? error.details.twilioCode : undefined;
      await this.audit.settle(async (trx) => {
        await this.outbound.recordFailed(
          trx,
          pending.id,
          typeof twilioCode === 'number' ? twilioCode : null,
          error instanceof ApiError ? error.code : 'internal_error',
        );
        // Twilio refused: the message was never sent, so it gives its daily slot back.
        if (typeof twilioCode === 'number') await this.limits.giveBack(trx, pending.slot);
        await this.optOut.noticeSendError(trx, pending.to, twilioCode);
      });
      throw error;
    }
  }
}
