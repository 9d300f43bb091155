import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { toErrorBody } from '../common/api-exception.filter';
import { AppConfig } from '../config/app-config';
import { OperatorToken } from '../safety/access/operator-token';
import { Approval, ApprovalsService } from '../safety/approvals/approvals.service';
import { AuditService } from '../safety/audit/audit.service';
import { AuditedAction } from '../safety/audit/audited-action';
import { DayWindow } from '../safety/limits/day-window';
import { OptOutService } from '../safety/opt-out/opt-out.service';
import { maskCodes, readCodedReply } from './operator-reply';
import { OperatorSender } from './operator-sender';
import { OperatorTextsRepository } from './operator-texts.repository';

/** Wrong codes within an hour that stop decisions by text from that phone. */
export const MAX_WRONG_CODES = 5;
const HOUR_MS = 3_600_000;

/**
 * Approving sends the held message, denying discards held sends for later: the outbound
 * module's work, handed in at boot, so both doors decide through the same calls.
 */
export interface TextApprover {
  approve(
    approvalId: string,
    decidedBy: string,
  ): Promise<{ approval: Approval; message: unknown; scheduled?: LaterSend }>;
  deny(approvalId: string, decidedBy: string): Approval;
}

/** A send for later the approval was asked for, as approving left it. */
interface LaterSend {
  status: string;
  sendAt: string;
}

/** What the phone is told once its YES went through: what happened to the text. */
function approvedText(to: string, message: unknown, later: LaterSend | undefined): string {
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

const LOCKOUT_TEXT = `sms-bridge: ${MAX_WRONG_CODES} wrong codes in an hour, so approving by text is off for this phone until the operator token is used (sudo sms-bridge approvals).`;

/**
 * Texts from the operator's phones. They never reach the inbox, the forward push or the
 * agent: they carry codes. A signed `YES <code>` or `NO <code>` decides the pending approval
 * the code was texted for, exactly as the operator token would (same service, same audit
 * records), then confirms by text. STOP ends notifications to that phone; START resumes them.
 */
@Injectable()
export class OperatorRepliesService implements OnModuleInit {
  private readonly numbers: readonly string[];
  private readonly window: DayWindow;
  private approver?: TextApprover;

  constructor(
    @Inject(OperatorTextsRepository) private readonly texts: OperatorTextsRepository,
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
    @Inject(OperatorSender) private readonly sender: OperatorSender,
    @Inject(OptOutService) private readonly optOut: OptOutService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(OperatorToken) private readonly token: OperatorToken,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.numbers = config.operatorTexts?.numbers ?? [];
    this.window = new DayWindow(config.safety.timeZone);
  }

  onModuleInit(): void {
    // The operator at the server lifts every phone's lock by using the token.
    this.token.whenUsed(() => this.texts.unlockAll());
  }

  /** Without it no text approves anything; the CLI and the token still do. */
  approveWith(approver: TextApprover): void {
    this.approver = approver;
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
    const from = message.from;
    const id = this.texts.record({
      direction: 'inbound',
      kind: 'reply',
      number: from,
      body: maskCodes(message.body),
      sid: message.sid,
      status: 'received',
      day: this.window.localDate(Date.now()),
    });
    // Twilio retried a text already handled: it decides nothing twice.
    if (id === null) return;
    const status = await this.handle(from, message.body);
    this.texts.settle(id, { status });
  }

  private async handle(from: string, body: string): Promise<string> {
    const reply = readCodedReply(body);
    if (!reply) {
      const { keyword } = this.optOut.read(body);
      if (keyword === 'opt_out' || keyword === 'opt_in') {
        this.texts.setStopped(from, keyword === 'opt_out');
        return keyword === 'opt_out' ? 'stop' : 'start';
      }
      return 'ignored';
    }
    if (this.texts.phone(from).lockedAt) return 'locked';
    const approval = this.approvals.findByCode(reply.code);
    // A code is bound to the phones its notification reached: from any other, it is wrong.
    if (!approval || !this.texts.notified(approval.id, from)) return this.wrongCode(from);
    const by = this.label(from);
    const to = approval.to;
    if (reply.decision === 'denied') {
      await this.audited('deny', by, approval.id, () => ({
        approval: this.approver!.deny(approval.id, by),
      }));
      await this.confirm(from, `Refused ${to}.`, approval.id);
      return 'denied';
    }
    try {
      const { message, scheduled } = await this.audited('approve', by, approval.id, () =>
        this.approver!.approve(approval.id, by),
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

  /** Counts a wrong code; the one that makes MAX_WRONG_CODES in an hour locks the phone. */
  private async wrongCode(from: string): Promise<string> {
    const hourAgo = new Date(Date.now() - HOUR_MS).toISOString();
    const unlockedAt = this.texts.phone(from).unlockedAt ?? '';
    const since = unlockedAt > hourAgo ? unlockedAt : hourAgo;
    // This text is not settled yet: it is the one more.
    if (this.texts.wrongCodesSince(from, since) + 1 < MAX_WRONG_CODES) return 'wrong_code';
    this.texts.lock(from);
    await this.sender.send({ to: from, kind: 'lockout', body: LOCKOUT_TEXT, kept: LOCKOUT_TEXT });
    return 'wrong_code';
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
