/**
 * Every way a text leaves the bridge, one row each. A door differs from another only by its
 * row; the rules themselves and their order are the pipeline's (docs/ARCHITECTURE.md, "The
 * send pipeline"). A new door is one row here and the call that uses it.
 */
export type Door =
  | 'agent_send'
  | 'agent_send_later'
  | 'scheduled_due'
  | 'operator_approval'
  | 'operator_text'
  | 'approval_request';

export interface DoorRule {
  /**
   * Whether the text may go to an operator phone (SMS_OPERATOR_NUMBERS): only the bridge's
   * own texts to the operator; the agent's are refused, `operator_number`.
   */
  operatorPhone: 'refused' | 'allowed';
  /** A number nobody approved holds the text for the operator (SMS_REQUIRE_APPROVAL). */
  holdForApproval: boolean;
  /**
   * What the recipient said and the operator decided: a contact's STOP always refuses, the
   * operator's denial too unless the door is how a denial is reconsidered (an agent's
   * request, the operator's approval); an operator phone has its own STOP, kept by its door.
   */
  consent: 'opt_out_and_denial' | 'opt_out' | 'operator_phone';
  /**
   * Which budget the text spends: the agent's daily limits (taken now, or only checked for
   * the day it is planned for), the operator phone's own cap, or none (nothing is sent yet).
   */
  budget: 'agent_daily' | 'agent_daily_checked' | 'operator_phone_cap' | 'none';
  /** The request's Idempotency-Key (the route's header, or the scheduled id) is honoured. */
  idempotency: boolean;
  /**
   * The recipient's quiet hours: `configured` follows SMS_QUIET_HOURS_MODE (defer or
   * refuse); `none` for texts to the operator, who asked for them.
   */
  quietHours: 'configured' | 'none';
  /** Who the audit records as the caller. */
  caller: 'agent' | 'scheduler' | 'operator' | 'bridge';
}

export const DOOR_RULES: Readonly<Record<Door, Readonly<DoorRule>>> = {
  agent_send: {
    operatorPhone: 'refused',
    holdForApproval: true,
    consent: 'opt_out_and_denial',
    budget: 'agent_daily',
    idempotency: true,
    quietHours: 'configured',
    caller: 'agent',
  },
  agent_send_later: {
    operatorPhone: 'refused',
    holdForApproval: true,
    consent: 'opt_out_and_denial',
    budget: 'agent_daily_checked',
    idempotency: true,
    quietHours: 'configured',
    caller: 'agent',
  },
  scheduled_due: {
    operatorPhone: 'refused',
    holdForApproval: true,
    consent: 'opt_out_and_denial',
    budget: 'agent_daily',
    idempotency: true,
    quietHours: 'configured',
    caller: 'scheduler',
  },
  operator_approval: {
    operatorPhone: 'refused',
    holdForApproval: false,
    consent: 'opt_out',
    budget: 'agent_daily',
    idempotency: false,
    quietHours: 'configured',
    caller: 'operator',
  },
  operator_text: {
    operatorPhone: 'allowed',
    holdForApproval: false,
    consent: 'operator_phone',
    budget: 'operator_phone_cap',
    idempotency: false,
    quietHours: 'none',
    caller: 'bridge',
  },
  approval_request: {
    operatorPhone: 'refused',
    holdForApproval: false,
    consent: 'opt_out',
    budget: 'none',
    idempotency: false,
    quietHours: 'none',
    caller: 'agent',
  },
};
