import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { AuditService } from '../safety/audit/audit.service';
import { Approval, ApprovalsService, HeldSend } from '../safety/approvals/approvals.service';
import { LimitsService, Slot } from '../safety/limits/limits.service';
import { MessagePolicy } from '../safety/message/message-policy';
import { IdempotencyService } from './idempotency.service';
import { OptOutService } from '../safety/opt-out/opt-out.service';
import { ScheduledSendDto } from '../schedule/dto/scheduled-send.dto';
import { ScheduleService } from '../schedule/schedule.service';
import { SendPolicy } from '../safety/send-policy';
import { Database } from '../storage/database';
import { TwilioClient } from '../twilio/twilio.client';
import { BodyMeasure } from '../safety/message/segment-limit';
import { SendResponseDto } from './dto/send-response.dto';
import { SendSmsDto } from './dto/send-sms.dto';
import { OutboundRepository, PendingSend } from './outbound.repository';

/** 201 and the message Twilio accepted, or 202 and the approval it waits for. */
export type SendOutcome = (
  { status: 201; body: SendResponseDto } | { status: 202; body: HeldSend }
) & { replayed?: boolean };

/** A recorded send and the daily slot it holds until Twilio answers. */
type Reserved = PendingSend & { slot: Slot };

export interface SendOptions {
  /** Who asked (the caller's address), for the approval the operator sees. */
  caller: string;
  idempotencyKey?: string;
}

@Injectable()
export class OutboundService {
  constructor(
    @Inject(TwilioClient) private readonly twilio: TwilioClient,
    @Inject(OutboundRepository) private readonly outbound: OutboundRepository,
    @Inject(Database) private readonly database: Database,
    @Inject(SendPolicy) private readonly policy: SendPolicy,
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
    @Inject(OptOutService) private readonly optOut: OptOutService,
    @Inject(MessagePolicy) private readonly messages: MessagePolicy,
    @Inject(LimitsService) private readonly limits: LimitsService,
    @Inject(ScheduleService) private readonly schedule: ScheduleService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async send(request: SendSmsDto, options: SendOptions): Promise<SendOutcome> {
    const key = options.idempotencyKey;
    const body = request.body ?? '';
    // What could never be sent as it is is refused before any rule, slot or row.
    const measure = this.messages.check({ ...request, body });
    // One write transaction: the key, the rules and the reserved row stand or fall together,
    // committed with the request's audit attempt (one fsync before Twilio is called).
    const admitted = this.audit.commitWithAttempt(() =>
      this.database
        .transaction(() => {
          const prior = key ? this.idempotency.begin(key, request) : null;
          if (prior) return { prior };
          const admission = this.policy.admit(request.to, body, options.caller, request.mediaUrl);
          if ('held' in admission) {
            const held = { status: 202, body: admission.held } as const;
            if (key) this.idempotency.finish(key, held);
            return { held };
          }
          return {
            pending: this.recordSending(
              { to: request.to, body, mediaUrl: request.mediaUrl },
              measure,
              admission.slot,
            ),
          };
        })
        .immediate(),
    );
    if (admitted.prior) {
      return {
        ...((await this.idempotency.replay(admitted.prior)) as SendOutcome),
        replayed: true,
      };
    }
    if (admitted.held) return admitted.held;
    const work = this.deliver(admitted.pending).then((body) => ({ status: 201, body }) as const);
    return key ? this.idempotency.track(key, work) : work;
  }

  /**
   * The operator approves: the number is approved and the held message, if any, is sent;
   * one meant for later, or one that would land in the recipient's quiet hours, is
   * scheduled instead (409 quiet_hours in refuse mode, the approval left pending). A refusal before Twilio (opt-out, daily
   * limit) leaves the approval pending; a Twilio failure leaves it approved and says so in
   * the error.
   */
  async approve(
    approvalId: string,
    decidedBy: string,
  ): Promise<{
    approval: Approval;
    message: SendResponseDto | null;
    scheduled?: ScheduledSendDto;
  }> {
    const held = this.approvals.get(approvalId);
    // The recipient's quiet hours hold for an approved message as for the agent's own send.
    const quietUntil = held?.body ? await this.schedule.approvalTime(approvalId, held.to) : null;
    const { approval, pending, scheduled } = this.database
      .transaction(() => {
        const approval = this.approvals.decide(approvalId, 'approved', decidedBy);
        // The rules may have narrowed since the request; a refusal rolls the decision back.
        const measure = this.messages.check(approval);
        if (approval.body === null) return { approval, pending: null };
        const scheduled =
          this.schedule.releaseHeld(approval) ??
          (quietUntil === null ? null : this.schedule.scheduleApproved(approval, quietUntil));
        if (scheduled) return { approval, pending: null, scheduled };
        const { slot } = this.policy.admitApproved(approval.to);
        const { to, body, mediaUrl } = approval;
        return {
          approval,
          pending: this.recordSending({ to, body, mediaUrl }, measure, slot),
        };
      })
      .immediate();
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
  deny(approvalId: string, decidedBy: string): Approval {
    return this.database
      .transaction(() => {
        const approval = this.approvals.decide(approvalId, 'denied', decidedBy);
        this.schedule.discardHeld(approval);
        return approval;
      })
      .immediate();
  }

  private recordSending(
    message: { to: string; body: string; mediaUrl?: string[] },
    measure: BodyMeasure,
    slot: Slot,
  ): Reserved {
    const { day } = slot;
    return {
      ...this.outbound.recordSending({ ...message, ...measure, from: this.twilio.from, day }),
      slot,
    };
  }

  private async deliver(pending: Reserved): Promise<SendResponseDto> {
    // Whatever path got here, the attempt is on disk before Twilio hears of it.
    this.audit.commitAttempt();
    try {
      const accepted = await this.twilio.send(pending);
      // Committed with the request's audit outcome (the second fsync of a send).
      this.audit.settle(() => this.outbound.recordAccepted(pending.id, accepted));
      // Our own count and encoding: Twilio's num_segments is stored beside it.
      return {
        ...accepted,
        segments: pending.segments ?? accepted.segments,
        encoding: pending.encoding ?? 'GSM-7',
      };
    } catch (error) {
      const twilioCode = error instanceof ApiError ? error.details.twilioCode : undefined;
      this.audit.settle(() => {
        this.outbound.recordFailed(
          pending.id,
          typeof twilioCode === 'number' ? twilioCode : null,
          error instanceof ApiError ? error.code : 'internal_error',
        );
        // Twilio refused: the message was never sent, so it gives its daily slot back.
        if (typeof twilioCode === 'number') this.limits.giveBack(pending.slot);
        this.optOut.noticeSendError(pending.to, twilioCode);
      });
      throw error;
    }
  }
}
