import { randomInt, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import { ApiError } from '../../common/api-error';
import { AppConfig } from '../../config/app-config';
import { MetricsService } from '../../metrics/metrics.service';
import { lockName, Store } from '../../storage/store';
import { ApprovalCodeKey } from './approval-code-key';
import { ApprovalCodesRepository } from './approval-codes.repository';
import { ApprovalRow, ApprovalsRepository, ApprovalStatus } from './approvals.repository';
import { ContactsRepository } from './contacts.repository';

export interface Approval {
  id: string;
  to: string;
  /** The message to send when approved; null for a request to text the number at all. */
  body: string | null;
  /** The media URLs of a held MMS, sent with the body when approved. */
  mediaUrl: string[];
  status: ApprovalStatus;
  reason: string;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
}

/** The answer to a send that waits for the operator. */
export interface HeldSend {
  status: 'awaiting_approval';
  approvalId: string;
  to: string;
}

/** A new approval, and whether the agent gave its reason (a request) or it is a held send. */
export interface NewApproval {
  approval: Approval;
  kind: 'held_send' | 'agent_request';
}

/**
 * Digits of the one-time code texted to the operator: at most SMS_MAX_PENDING_APPROVALS
 * codes live in a hundred million, so a stray or guessed code almost never hits one
 * (the arithmetic is in docs/SECURITY.md).
 */
export const APPROVAL_CODE_DIGITS = 8;
/** Draws before giving up on a code no pending approval has: the space is nearly empty. */
const CODE_DRAWS = 5;

/**
 * Held while a new approval is counted against the cap and checked for a twin, so that
 * bridges sharing a database neither pass SMS_MAX_PENDING_APPROVALS nor hold one message twice.
 */
const PENDING_LOCK = 'approvals:pending';

const HELD_REASON =
  'First message to a number that is not approved and has not texted this bridge.';

/**
 * The operator's say-so before a first message to a new contact. A decision covers the
 * number: approving sends the held message (if any) and lets later sends through;
 * denying refuses later sends until the number is approved again.
 */
@Injectable()
export class ApprovalsService {
  private readonly fullListeners: (() => void)[] = [];

  constructor(
    @Inject(Kysely) private readonly store: Store,
    @Inject(ApprovalsRepository) private readonly approvals: ApprovalsRepository,
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ApprovalCodesRepository) private readonly codes: ApprovalCodesRepository,
    @Inject(ApprovalCodeKey) private readonly codeKey: ApprovalCodeKey,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    metrics.gauge(
      'sms_bridge_approvals_held',
      'Approvals waiting for the operator',
      async () => (await this.list('pending')).length,
    );
  }

  /**
   * Holds a send to an unknown number for the operator. A retry of the same message (no
   * Idempotency-Key) answers the approval already waiting, so approving sends it once:
   * `created` is null then, and the operator is not told twice.
   */
  async hold(
    trx: Store,
    to: string,
    body: string,
    requestedBy: string,
    mediaUrl: string[] = [],
  ): Promise<{ held: HeldSend; created: NewApproval | null }> {
    const media = JSON.stringify(mediaUrl);
    await lockName(trx, PENDING_LOCK);
    const waiting = await this.approvals.findPending(trx, { to, body, media }, this.cutoff());
    const created = waiting
      ? null
      : {
          approval: await this.create(trx, to, body, HELD_REASON, requestedBy, 'held_send', media),
          kind: 'held_send' as const,
        };
    const approvalId = waiting ?? created!.approval.id;
    return { held: { status: 'awaiting_approval', approvalId, to }, created };
  }

  /**
   * An agent asks to text a number, with the reason the operator will read; the send
   * pipeline's rules for an approval request have passed.
   */
  request(to: string, body: string | null, reason: string, requestedBy: string): Promise<Approval> {
    return this.store.transaction().execute(async (trx) => {
      await lockName(trx, PENDING_LOCK);
      return this.create(trx, to, body, reason, requestedBy, 'agent_request');
    });
  }

  /**
   * Called each time a new approval is refused because SMS_MAX_PENDING_APPROVALS wait. Unlike
   * a new approval, a refusal needs no commit to be true, so any door's refusal can tell it.
   */
  whenFull(listener: () => void): void {
    this.fullListeners.push(listener);
  }

  async get(id: string): Promise<Approval | null> {
    const row = await this.approvals.get(this.store, id, this.cutoff());
    return row ? toApproval(row) : null;
  }

  /** 404 approval_not_found when no approval has this id. */
  async find(id: string): Promise<Approval> {
    return toApproval(await this.row(this.store, id));
  }

  /**
   * A fresh one-time code for a pending approval, to text to the operator; only its HMAC
   * is stored. Null when the approval already has one (each gets one code, once), or in
   * the all but impossible case that every draw is taken.
   */
  async issueCode(approvalId: string): Promise<string | null> {
    for (let draw = 0; draw < CODE_DRAWS; draw++) {
      const code = String(randomInt(10 ** APPROVAL_CODE_DIGITS)).padStart(
        APPROVAL_CODE_DIGITS,
        '0',
      );
      // Two pending approvals never share a code; a decided one's old code does not matter.
      if (await this.findByCode(code)) continue;
      return (await this.codes.create(this.store, approvalId, this.codeKey.digest(code)))
        ? code
        : null;
    }
    return null;
  }

  /** The code of an approval whose notification reached no phone: it was never issued. */
  async withdrawCode(approvalId: string): Promise<void> {
    await this.codes.remove(this.store, approvalId);
  }

  /** The pending approval this code was texted for, if it still is pending. */
  async findByCode(code: string): Promise<Approval | null> {
    for (const id of await this.codes.approvalsWith(this.store, this.codeKey.digest(code))) {
      const approval = await this.get(id);
      if (approval?.status === 'pending') return approval;
    }
    return null;
  }

  /** Held messages still waiting for the operator, to one number, oldest first. */
  async pendingTo(number: string): Promise<Approval[]> {
    return (await this.list('pending')).filter((approval) => approval.to === number).reverse();
  }

  async list(status?: ApprovalStatus): Promise<Approval[]> {
    return (await this.approvals.list(this.store, this.cutoff(), status)).map(toApproval);
  }

  /**
   * Records the operator's decision on a pending approval and on its number.
   * 404 approval_not_found, 409 approval_already_decided, 409 approval_expired (approve only:
   * an old message may no longer make sense; denying is always allowed).
   */
  async decide(
    trx: Store,
    id: string,
    decision: 'approved' | 'denied',
    by: string,
  ): Promise<Approval> {
    const row = await this.row(trx, id);
    if (row.status === 'expired' && decision === 'approved') {
      throw new ApiError(
        'approval_expired',
        `The approval is older than ${this.config.safety.approvalMaxAgeHours} hours, so its message was not sent. Pre-approve the number with POST /sms/contacts and send again if it still makes sense.`,
        { approvalId: id, createdAt: row.created_at },
      );
    }
    if (!(await this.approvals.setDecision(trx, id, decision, by))) {
      throw new ApiError('approval_already_decided', `The approval was already ${row.status}.`, {
        approvalId: id,
        status: row.status,
      });
    }
    await this.contacts.setApproval(trx, row.to_number, decision, 'approval');
    return toApproval((await this.approvals.get(trx, id, this.cutoff()))!);
  }

  /** In `trx`, which holds PENDING_LOCK: the cap counts what every bridge holds. */
  private async create(
    trx: Store,
    to: string,
    body: string | null,
    reason: string,
    requestedBy: string,
    source: string,
    media = '[]',
  ): Promise<Approval> {
    const maxPending = this.config.safety.maxPendingApprovals;
    if ((await this.approvals.countPending(trx, this.cutoff())) >= maxPending) {
      for (const listener of this.fullListeners) listener();
      throw new ApiError(
        'too_many_pending_approvals',
        `${maxPending} approvals already wait for the operator (SMS_MAX_PENDING_APPROVALS). Nothing was held or asked; wait until the operator decides some, and do not retry in a loop.`,
        { maxPending },
      );
    }
    const id = randomUUID();
    await this.approvals.create(trx, {
      id,
      to_number: to,
      body,
      media,
      reason,
      requested_by: requestedBy,
      created_at: new Date().toISOString(),
    });
    await this.contacts.markPending(trx, to, source);
    return toApproval((await this.approvals.get(trx, id, this.cutoff()))!);
  }

  private async row(db: Store, id: string): Promise<ApprovalRow> {
    const row = await this.approvals.get(db, id, this.cutoff());
    if (!row) {
      throw new ApiError('approval_not_found', 'No approval has this id.', { approvalId: id });
    }
    return row;
  }

  /** Retention: approvals made before `time` and settled keep their record, not their text. */
  forgetTextBefore(trx: Store, time: string): Promise<number> {
    return this.approvals.clearTextBefore(trx, time, this.cutoff());
  }

  private cutoff(): string {
    return new Date(Date.now() - this.config.safety.approvalMaxAgeHours * 3_600_000).toISOString();
  }
}

function toApproval(row: ApprovalRow): Approval {
  return {
    id: row.id,
    to: row.to_number,
    body: row.body,
    mediaUrl: JSON.parse(row.media) as string[],
    status: row.status,
    reason: row.reason,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
  };
}
