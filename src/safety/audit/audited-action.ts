import { toErrorBody } from '../../common/api-exception.filter';
import type { AuditEntry, AuditOutcome } from './audit-entry';
import type { AuditService } from './audit.service';

interface ResultShape {
  sid?: string;
  status?: string;
  /** Approval decisions answer with the approval and the message the decision sent. */
  approval?: { id?: string; to?: string };
  message?: { sid?: string } | null;
}

/**
 * One audited action and its two records, "attempt before, outcome after", whoever performs
 * it: a route (AuditInterceptor), a guard's refusal of one, an operator's reply by text, a
 * scheduled send falling due. Each writes the same two records in the same words.
 */
export class AuditedAction {
  constructor(
    readonly base: Omit<AuditEntry, 'phase'>,
    /** The resource the action names (an approval's id), kept on the attempt and a refusal. */
    private readonly target?: Record<string, unknown>,
  ) {}

  attempt(): AuditEntry {
    return { ...this.base, phase: 'attempt', detail: this.target };
  }

  /** What the outcome says of a result: a send's sid, a held send, a decision's approval. */
  succeeded(result: unknown): AuditEntry {
    const { sid, status, approval, message } = (result ?? {}) as ResultShape;
    return {
      ...this.base,
      recipient: this.base.recipient ?? approval?.to,
      phase: 'outcome',
      outcome: status === 'awaiting_approval' ? 'held' : 'accepted',
      sid: sid ?? message?.sid,
      detail: approval?.id ? { approvalId: approval.id } : undefined,
    };
  }

  /** An error's outcome: refused below 500, failed from 500 on, with its code. */
  failed(error: unknown): AuditEntry {
    const { status, body } = toErrorBody(error);
    return this.outcome(status >= 500 ? 'failed' : 'refused', {
      reason: body.error.code,
      detail: { status, twilioCode: body.error.twilioCode, ...this.target },
    });
  }

  outcome(
    outcome: AuditOutcome,
    extra: { reason?: string; sid?: string; detail?: Record<string, unknown> } = {},
  ): AuditEntry {
    return { ...this.base, phase: 'outcome', outcome, ...extra };
  }

  /**
   * Outside a request: the attempt is written before `act` runs (no record, no action), its
   * outcome after, whether it succeeded or threw.
   */
  async run<T>(audit: AuditService, act: () => T | Promise<T>): Promise<T> {
    await audit.append(this.attempt());
    try {
      const result = await act();
      await audit.appendOrLog(this.succeeded(result));
      return result;
    } catch (error) {
      await audit.appendOrLog(this.failed(error));
      throw error;
    }
  }
}
