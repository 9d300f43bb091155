import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ApprovalsService, NewApproval } from '../safety/approvals/approvals.service';
import { OperatorSender } from './operator-sender';
import { OperatorTextsRepository } from './operator-texts.repository';

/** How much of the held text the operator reads on the phone. */
const PREVIEW_CHARS = 100;
const REASON_CHARS = 200;

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
}

/** The text an operator phone gets for a new approval. */
export function notificationText(created: NewApproval, code: string): string {
  const { approval, kind } = created;
  const lines = [
    approval.body === null
      ? `sms-bridge: the agent asks to text ${approval.to}.`
      : `sms-bridge: the agent wants to text ${approval.to}: "${cut(approval.body, PREVIEW_CHARS)}"`,
  ];
  if (approval.mediaUrl.length > 0) lines.push(`(+${approval.mediaUrl.length} picture(s))`);
  if (kind === 'agent_request') lines.push(`Reason: ${cut(approval.reason, REASON_CHARS)}`);
  const yes = approval.body === null ? 'allow it' : 'send';
  lines.push(`Reply YES ${code} to ${yes}, NO ${code} to refuse.`);
  return lines.join('\n');
}

/** Texts each operator phone a one-time code for every new approval (SMS_OPERATOR_NUMBERS). */
@Injectable()
export class OperatorNotifier {
  private readonly logger = new Logger('OperatorTexts');

  constructor(
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
    @Inject(OperatorSender) private readonly sender: OperatorSender,
    @Inject(OperatorTextsRepository) private readonly texts: OperatorTextsRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * A new approval, once the transaction that created it has committed (the doors call this
   * after theirs): never a code for an approval that does not exist. The texts go in the
   * background; the agent's answer does not wait for them.
   */
  announce(created: NewApproval): void {
    if (!this.config.operatorTexts) return;
    void this.notify(created).catch((error: unknown) =>
      this.logger.error(`Notifying the operator failed: ${(error as Error).message}`),
    );
  }

  private async notify(created: NewApproval): Promise<void> {
    const numbers = this.config.operatorTexts!.numbers.filter(
      (number) => !this.texts.phone(number).stopped,
    );
    if (numbers.length === 0) return;
    if (this.approvals.get(created.approval.id)?.status !== 'pending') return;
    const code = this.approvals.issueCode(created.approval.id);
    if (code === null) return;
    const body = notificationText(created, code);
    const kept = body.replaceAll(code, '*'.repeat(code.length));
    await Promise.all(
      numbers.map((to) =>
        this.sender.send({ to, kind: 'notification', body, kept, approvalId: created.approval.id }),
      ),
    );
  }
}
