import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { toErrorBody } from '../common/api-exception.filter';
import { AppConfig } from '../config/app-config';
import { readCodedReply } from '../operator-texts/operator-reply';
import { OperatorSender } from '../operator-texts/operator-sender';
import { OperatorTextsService } from '../operator-texts/operator-texts.service';
import { SendResponseDto } from '../outbound/dto/send-response.dto';
import { OutboundService } from '../outbound/outbound.service';
import { ApprovalsService } from '../safety/approvals/approvals.service';
import { AuditService } from '../safety/audit/audit.service';
import { AuditedAction } from '../safety/audit/audited-action';
import { OptOutService } from '../safety/opt-out/opt-out.service';
import { ScheduledSendDto } from '../schedule/dto/scheduled-send.dto';

/** What the phone is told once its YES went through: what happened to the text. */
function approvedText(
  to: string,
  message: SendResponseDto | null,
  later: ScheduledSendDto | undefined,
): string {
  if (message) return `Sent to ${to}.`;
  if (later?.status === 'scheduled') return `Approved ${to}: the text goes at ${later.sendAt}.`;
  if (later?.status === 'cancelled') {
    return `Approved ${to}; the agent cancelled that text, so nothing was sent.`;
  }
  if (later?.status === 'expired') {
    return `Expired: the text to ${to} was due at ${later.sendAt}, too long ago (SMS_SCHEDULE_MAX_LATE_MINUTES), so nothing was sent. ${to} is approved.`;
  }
  return `Approved ${to}.`;
}

/**
 * Texts from the operator's phones. They never reach the inbox, the forward push or the
 * agent: they carry codes. A signed `YES <code>` or `NO <code>` decides the pending approval
 * the code was texted for, exactly as the operator token would (same service, same audit
 * records), then confirms by text. STOP ends notifications to that phone; START resumes them.
 */
@Injectable()
export class OperatorRepliesService {
  private readonly numbers: readonly string[];

  constructor(
    @Inject(OperatorTextsService) private readonly texts: OperatorTextsService,
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
    @Inject(OutboundService) private readonly outbound: OutboundService,
    @Inject(OperatorSender) private readonly sender: OperatorSender,
    @Inject(OptOutService) private readonly optOut: OptOutService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.numbers = config.operatorTexts?.numbers ?? [];
  }

  isOperator(number: string): boolean {
    return this.numbers.includes(number);
  }

  /**
   * How the agent's views (decidedBy, the audit's caller) name an operator phone: never by
   * its number, which would let the agent text the operator as if it were the bridge.
   * `operator`, or `operator#2` for the second of SMS_OPERATOR_NUMBERS.
   */
  private label(number: string): string {
    return this.numbers.length === 1 ? 'operator' : `operator#${this.numbers.indexOf(number) + 1}`;
  }

  /** A signed text from an operator phone; resolves once it is handled and confirmed. */
  async receive(message: { sid: string; from: string; body: string }): Promise<void> {
    const id = await this.texts.recordReply(message);
    // Twilio retried a text already handled: it decides nothing twice.
    if (id === null) return;
    const status = await this.handle(id, message.from, message.body);
    // A wrong code is settled where it is counted, with the phone's other guesses.
    if (status !== 'wrong_code') await this.texts.settleReply(id, status);
  }

  private async handle(id: number, from: string, body: string): Promise<string> {
    const reply = readCodedReply(body);
    if (!reply) {
      const { keyword } = this.optOut.read(body);
      if (keyword === 'opt_out' || keyword === 'opt_in') {
        await this.texts.setStopped(from, keyword === 'opt_out');
        return keyword === 'opt_out' ? 'stop' : 'start';
      }
      return 'ignored';
    }
    if (await this.texts.isLocked(from)) return 'locked';
    const approval = await this.approvals.findByCode(reply.code);
    // A code is bound to the phones its notification reached: from any other, it is wrong.
    if (!approval || !(await this.texts.wasNotified(approval.id, from))) {
      await this.texts.countWrongCode(id, from);
      return 'wrong_code';
    }
    const by = this.label(from);
    const to = approval.to;
    if (reply.decision === 'denied') {
      await this.audited('deny', by, approval.id, async () => ({
        approval: await this.outbound.deny(approval.id, by),
      }));
      await this.confirm(from, `Refused ${to}.`, approval.id);
      return 'denied';
    }
    try {
      const { message, scheduled } = await this.audited('approve', by, approval.id, () =>
        this.outbound.approve(approval.id, by),
      );
      await this.confirm(from, approvedText(to, message, scheduled), approval.id);
      return 'approved';
    } catch (error) {
      const { body: refusal } = toErrorBody(error);
      await this.confirm(
        from,
        `Not sent to ${to}: ${refusal.error.code}. See sms-bridge approvals.`,
        approval.id,
      );
      return 'failed';
    }
  }

  private confirm(to: string, body: string, approvalId: string): Promise<boolean> {
    return this.sender.send({ to, kind: 'confirmation', body, kept: body, approvalId });
  }

  /** The attempt and outcome records the audit interceptor writes for the token's routes. */
  private audited<T>(
    action: 'approve' | 'deny',
    caller: string,
    approvalId: string,
    run: () => T | Promise<T>,
  ): Promise<T> {
    const audited = new AuditedAction(
      { requestId: randomUUID(), action, caller },
      { params: { id: approvalId } },
    );
    // No record, no decision: a failed write here stops before anything is decided.
    return audited.run(this.audit, run);
  }
}
