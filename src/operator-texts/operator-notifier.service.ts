import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Kysely } from 'kysely';
import { countSegments } from '../common/segments';
import { AppConfig } from '../config/app-config';
import { ApprovalsService, NewApproval } from '../safety/approvals/approvals.service';
import { MAX_BODY_LENGTH, MAX_SEGMENTS } from '../safety/message/message-limits';
import { Store } from '../storage/store';
import { OperatorSender } from './operator-sender';
import { OperatorTextsRepository } from './operator-texts.repository';

/** A held body up to this many segments is shown whole on the phone. */
const WHOLE_BODY_SEGMENTS = 3;
/** How much of a longer body the phone shows, in characters, before saying how much is left. */
const PREVIEW_CHARS = 100;

/** The held body as the phone shows it: whole, or its start and how much more there is. */
function shownBody(id: string, body: string): string {
  if (countSegments(body).segments <= WHOLE_BODY_SEGMENTS) return `"${body}"`;
  const chars = [...body];
  const more = chars.length - PREVIEW_CHARS;
  return `(${chars.length} characters) "${chars.slice(0, PREVIEW_CHARS).join('')}"… ${more} more characters: see \`sms-bridge approvals show ${id}\``;
}

/** Whether the bridge's own policy lets one text carry it (MessagePolicy's limits). */
function fitsOneText(text: string): boolean {
  return text.length <= MAX_BODY_LENGTH && countSegments(text).segments <= MAX_SEGMENTS;
}

/**
 * The text an operator phone gets for a new approval: everything the code approves (the
 * body, or its start and where to read the rest, every media URL, the agent's reason).
 * Null when that cannot fit one text: then no code is offered (see tooLongText).
 */
export function notificationText(created: NewApproval, code: string): string | null {
  const { approval, kind } = created;
  const lines = [
    approval.body === null
      ? `sms-bridge: the agent asks to text ${approval.to}.`
      : `sms-bridge: the agent wants to text ${approval.to}: ${shownBody(approval.id, approval.body)}`,
  ];
  for (const url of approval.mediaUrl) lines.push(`Picture: ${url}`);
  if (kind === 'agent_request') lines.push(`Reason: ${approval.reason}`);
  const yes = approval.body === null ? 'allow it' : 'send';
  lines.push(`Reply YES ${code} to ${yes}, NO ${code} to refuse.`);
  const text = lines.join('\n');
  return fitsOneText(text) ? text : null;
}

/** What the phone gets when the whole approval cannot be shown in one text: no code. */
function tooLongText(created: NewApproval): string {
  const { approval } = created;
  return `sms-bridge: the agent wants to text ${approval.to}, with more than one text can show (media, reason). Decide with sudo sms-bridge approve or deny ${approval.id}; see sms-bridge approvals show ${approval.id}.`;
}

/**
 * Texts each operator phone a one-time code for every new approval (SMS_OPERATOR_NUMBERS),
 * and tells them once when SMS_MAX_PENDING_APPROVALS are waiting.
 */
@Injectable()
export class OperatorNotifier implements OnModuleInit {
  private readonly logger = new Logger('OperatorTexts');
  /** Whether the phones were told the approvals are full since the last one was created. */
  private toldFull = false;

  constructor(
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
    @Inject(OperatorSender) private readonly sender: OperatorSender,
    @Inject(OperatorTextsRepository) private readonly texts: OperatorTextsRepository,
    @Inject(Kysely) private readonly store: Store,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * A new approval, once the transaction that created it has committed (the doors call this
   * after theirs): never a code for an approval that does not exist. The texts go in the
   * background; the agent's answer does not wait for them.
   */
  announce(created: NewApproval): void {
    if (!this.config.operatorTexts) return;
    this.toldFull = false;
    this.inBackground(() => this.notify(created));
  }

  onModuleInit(): void {
    if (!this.config.operatorTexts) return;
    this.approvals.whenFull(() => {
      if (this.toldFull) return;
      this.toldFull = true;
      this.inBackground(() => this.tellFull());
    });
  }

  private inBackground(work: () => Promise<void>): void {
    void work().catch((error: unknown) =>
      this.logger.error(`Notifying the operator failed: ${(error as Error).message}`),
    );
  }

  private async phones(): Promise<string[]> {
    const numbers = this.config.operatorTexts!.numbers;
    const phones = await Promise.all(numbers.map((number) => this.texts.phone(this.store, number)));
    return numbers.filter((_number, index) => !phones[index].stopped);
  }

  private async notify(created: NewApproval): Promise<void> {
    const numbers = await this.phones();
    if (numbers.length === 0) return;
    const approvalId = created.approval.id;
    if ((await this.approvals.get(approvalId))?.status !== 'pending') return;
    const code = await this.approvals.issueCode(approvalId);
    if (code === null) return;
    const body = notificationText(created, code);
    if (body === null) await this.approvals.withdrawCode(approvalId);
    const text = body ?? tooLongText(created);
    const kept = text.replaceAll(code, '*'.repeat(code.length));
    const sent = await Promise.all(
      numbers.map((to) =>
        this.sender.send({ to, kind: 'notification', body: text, kept, approvalId }),
      ),
    );
    // A code no phone received was never issued: it approves nothing, from anywhere.
    if (!sent.includes(true)) await this.approvals.withdrawCode(approvalId);
  }

  private async tellFull(): Promise<void> {
    const max = this.config.safety.maxPendingApprovals;
    const body = `sms-bridge: ${max} approvals are waiting (SMS_MAX_PENDING_APPROVALS), so the agent's new ones are refused until you decide some: sms-bridge approvals.`;
    const numbers = await this.phones();
    await Promise.all(
      numbers.map((to) => this.sender.send({ to, kind: 'approvals_full', body, kept: body })),
    );
  }
}
