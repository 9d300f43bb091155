import type { Generated } from 'kysely';

/**
 * The tables as the typed query builder sees them, named as in the migrations. Times are
 * ISO-8601 UTC text, except the throttle's expiry (integer milliseconds, compared on every
 * hit); flags are 0 or 1; media lists and audit details are JSON text. `Generated` marks a
 * column the database fills when an insert leaves it out.
 */
export interface Tables {
  approval_codes: {
    approval_id: string;
    code_hash: string;
    created_at: string;
  };
  approvals: {
    id: string;
    to_number: string;
    body: string | null;
    reason: string;
    status: string;
    requested_by: string | null;
    created_at: string;
    decided_at: string | null;
    decided_by: string | null;
    media: Generated<string>;
  };
  audit_log: {
    id: Generated<number>;
    at: string;
    request_id: string;
    action: string;
    phase: string;
    caller: string | null;
    recipient: string | null;
    body: string | null;
    outcome: string | null;
    reason: string | null;
    sid: string | null;
    detail: string | null;
  };
  contacts: {
    number: string;
    approval: string | null;
    approval_source: string | null;
    opted_out: Generated<number>;
    opt_out_source: string | null;
    last_keyword: string | null;
    first_inbound_at: string | null;
    updated_at: string;
  };
  daily_sends: {
    id: Generated<number>;
    day: string;
    to_number: string;
  };
  forward_settings: {
    id: number;
    enabled: number;
    halted_since: string | null;
    halted_reason: string | null;
    halted_settings: string | null;
  };
  idempotency_keys: {
    key: string;
    fingerprint: string;
    state: string;
    status: number | null;
    response: string | null;
    created_at: string;
  };
  inbound_forwards: {
    sid: string;
    state: Generated<string>;
    attempts: Generated<number>;
    next_attempt_at: string;
    last_error: string | null;
    created_at: string;
    delivered_at: string | null;
    leased_until: string | null;
  };
  inbound_messages: {
    seq: Generated<number>;
    sid: string;
    account_sid: string;
    from_number: string;
    to_number: string;
    body: string;
    media: Generated<string>;
    received_at: string;
    suppressed: Generated<number>;
    opt_out_hint: Generated<number>;
  };
  operator_phones: {
    number: string;
    stopped: Generated<number>;
    locked_at: string | null;
    unlocked_at: string | null;
  };
  operator_texts: {
    id: Generated<number>;
    direction: string;
    kind: string;
    number: string;
    body: string;
    sid: string | null;
    status: string;
    approval_id: string | null;
    error: string | null;
    day: string;
    created_at: string;
  };
  outbound_messages: {
    seq: Generated<number>;
    id: string;
    sid: string | null;
    from_number: string;
    to_number: string;
    body: string;
    status: string;
    segments: number | null;
    error_code: number | null;
    error_message: string | null;
    created_at: string;
    updated_at: string;
    day: string | null;
    encoding: string | null;
    twilio_segments: number | null;
    messaging_service_sid: string | null;
    media: Generated<string>;
  };
  outbound_status_history: {
    id: Generated<number>;
    message_id: string;
    status: string;
    error_code: number | null;
    at: string;
  };
  readiness_probe: {
    id: number;
    checked_at: string;
  };
  /** The migrations applied (./migrator.ts), by number. */
  schema_migrations: {
    version: number;
    name: string;
    applied_at: string;
  };
  scheduled_sends: {
    id: string;
    to_number: string;
    body: string;
    media: Generated<string>;
    send_at: string;
    status: string;
    reason: string | null;
    approval_id: string | null;
    sid: string | null;
    error_code: string | null;
    requested_by: string;
    created_at: string;
    updated_at: string;
    leased_by: string | null;
    leased_until: string | null;
  };
  throttle_hits: {
    id: Generated<number>;
    key: string;
    throttler: string;
    expires_at: number;
  };
  twilio_webhook_url: {
    id: number;
    url: string | null;
    source: string;
    checked_at: string;
  };
}
