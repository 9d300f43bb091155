import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import { AppConfig } from '../config/app-config';
import { ApprovalsService, HeldSend, NewApproval } from '../safety/approvals/approvals.service';
import { LimitsService, Slot } from '../safety/limits/limits.service';
import { MessagePolicy, OutgoingMessage } from '../safety/message/message-policy';
import { OperatorNumberRule } from '../safety/message/operator-number.rule';
import { BodyMeasure } from '../safety/message/segment-limit';
import { RecipientConsentRule } from '../safety/opt-out/recipient-consent.rule';
import { QuietHoursRule } from '../safety/quiet-hours/quiet-hours.rule';
import type { Store } from '../storage/store';
import {
  AcceptedMessage,
  OutgoingMessage as TwilioMessage,
  TwilioClient,
} from '../twilio/twilio.client';
import { Door, DOOR_RULES } from './door-rules';

/** What the rules that only read made of a text: its cost, and when it may go. */
export interface Screened {
  measure: BodyMeasure;
  /** The first instant the recipient's quiet hours allow, from the one asked for. */
  at: number;
  /** An unknown number and a door that holds: the operator decides before anything else. */
  held: boolean;
}

/**
 * Where a text stands after the rules that write: counted against a day, or held (with the
 * new approval the door tells the operator of once it committed, if it is new).
 */
export type Admission = { slot?: Slot } | { held: HeldSend; created: NewApproval | null };

/**
 * The one way a text leaves the bridge. Every door runs the same rules in the same order,
 * as its row in DOOR_RULES says:
 *
 *   message policy and destination → operator phone → opt-out and denial → approval hold →
 *   quiet hours → budget → idempotency → Twilio
 *
 * screen() runs the rules that only read, before the door's transaction (quiet hours look
 * a number's zones up asynchronously); admit() runs, inside it, the ones that write (the
 * hold, the budget) after reading consent again; the door claims its idempotency key in
 * that same transaction; transmit() is the only call of the Twilio client's send.
 */
@Injectable()
export class SendPipeline {
  constructor(
    @Inject(Kysely) private readonly store: Store,
    @Inject(MessagePolicy) private readonly messages: MessagePolicy,
    @Inject(OperatorNumberRule) private readonly operatorPhones: OperatorNumberRule,
    @Inject(RecipientConsentRule) private readonly consent: RecipientConsentRule,
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
    @Inject(QuietHoursRule) private readonly quietHours: QuietHoursRule,
    @Inject(LimitsService) private readonly limits: LimitsService,
    @Inject(TwilioClient) private readonly twilio: TwilioClient,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Throws the first refusal: 400 validation_failed or 403 destination_not_allowed, 403
   * operator_number, 403 recipient_opted_out or contact_denied, 409 quiet_hours (refuse mode). A held text is
   * not timed: quiet hours apply when the operator approves it.
   */
  async screen(
    door: Door,
    message: OutgoingMessage,
    timing: { at: number; lastInboundAt?: string | null },
  ): Promise<Screened> {
    const measure = this.recipient(door, message);
    const held = await this.holds(this.store, door, message.to);
    if (held || DOOR_RULES[door].quietHours === 'none') return { measure, at: timing.at, held };
    const at = await this.quietHours.allowedAt({
      to: message.to,
      at: timing.at,
      lastInboundAt: timing.lastInboundAt ?? null,
    });
    return { measure, at, held };
  }

  /**
   * The rules that read and need no time zone, for a door already in its transaction: the
   * message policy and destination, the operator phone, then opt-out and denial. Returns
   * the text's cost.
   */
  async check(trx: Store, door: Door, message: OutgoingMessage): Promise<BodyMeasure> {
    const measure = this.recipient(door, message);
    await this.holds(trx, door, message.to);
    return measure;
  }

  /**
   * In the door's transaction: consent again (it may have changed since screen()), the
   * hold, then the budget. `at` is the instant a send for later is planned for.
   */
  async admit(
    trx: Store,
    door: Door,
    message: OutgoingMessage & { caller: string; at?: Date },
  ): Promise<Admission> {
    const rule = DOOR_RULES[door];
    const { to, body, caller, mediaUrl } = message;
    if (await this.holds(trx, door, to)) {
      return this.approvals.hold(trx, to, body ?? '', caller, [...(mediaUrl ?? [])]);
    }
    if (rule.budget === 'agent_daily') return { slot: await this.limits.reserve(trx, to) };
    if (rule.budget === 'agent_daily_checked') await this.limits.checkDayOf(trx, message.at!, to);
    return {};
  }

  /** The number (or Messaging Service) texts are sent from, as the doors record it. */
  get from(): string {
    return this.twilio.from;
  }

  /** Twilio's answer, or its refusal thrown; the door records either. */
  transmit(message: TwilioMessage): Promise<AcceptedMessage> {
    return this.twilio.send(message);
  }

  /** The message policy and destination, then whether the door may text an operator phone. */
  private recipient(door: Door, message: OutgoingMessage): BodyMeasure {
    const measure = this.messages.check(message);
    if (DOOR_RULES[door].operatorPhone === 'refused') this.operatorPhones.check(message.to);
    return measure;
  }

  /** Applies the consent rule of the door; true when the text waits for the operator. */
  private async holds(db: Store, door: Door, to: string): Promise<boolean> {
    const rule = DOOR_RULES[door];
    if (rule.consent === 'operator_phone') return false;
    const denial = rule.consent === 'opt_out' ? 'reconsidered' : 'refused';
    const known = await this.consent.refuse(db, to, denial);
    return rule.holdForApproval && !known && this.config.safety.requireApproval;
  }
}
