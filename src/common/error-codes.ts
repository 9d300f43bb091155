/**
 * Every error code the bridge answers with: its HTTP status and what it means, in one line.
 * Agents branch on these codes, so renaming one is a breaking change. The exception filter,
 * the OpenAPI error responses and the README's error tables all come from (or are checked
 * against) this list.
 */
export const ERROR_CODES = {
  bad_request: { status: 400, meaning: 'The request is malformed.' },
  invalid_http: {
    status: 400,
    meaning: 'The request is not HTTP this server accepts (answered from the socket, then closed).',
  },
  validation_failed: {
    status: 400,
    meaning: 'The body or query breaks a rule; `fields: [{field, problems}]` says which.',
  },
  invalid_json: { status: 400, meaning: 'Malformed JSON.' },
  body_too_long: {
    status: 400,
    meaning: 'Over 10 SMS segments (`segments`, `maxSegments`, `encoding`).',
  },
  invalid_since: {
    status: 400,
    meaning: '`since` is neither an ISO-8601 time nor a known message sid.',
  },
  invalid_before: {
    status: 400,
    meaning:
      '`before` is neither an ISO-8601 time nor a message of this conversation (or a number of the list).',
  },
  invalid_idempotency_key: {
    status: 400,
    meaning: 'The Idempotency-Key header is empty, over 255 characters, or not printable ASCII.',
  },
  invalid_webhook: { status: 400, meaning: 'A signed Twilio post without the fields it needs.' },
  invalid_status_callback: {
    status: 400,
    meaning: 'A signed status callback without MessageSid and MessageStatus.',
  },
  invalid_recipient: {
    status: 400,
    meaning:
      'The recipient is not a valid phone number: too short or long for its country (`reason`), or Twilio 21211.',
  },
  local_only: { status: 403, meaning: 'A local route called from elsewhere or through a proxy.' },
  forbidden: { status: 403, meaning: 'This caller may not use this route.' },
  operator_only: {
    status: 403,
    meaning:
      "An operator's decision (approve, deny, pre-approve, backup, forward retry) without the operator token.",
  },
  invalid_signature: { status: 403, meaning: 'A webhook not signed by Twilio for this URL.' },
  wrong_account: { status: 403, meaning: 'A webhook signed for another Twilio account.' },
  recipient_opted_out: {
    status: 403,
    meaning: 'The recipient texted STOP (or Twilio answered 21610); final until they text START.',
  },
  contact_denied: { status: 403, meaning: 'The operator denied this number.' },
  operator_number: {
    status: 403,
    meaning: "One of the operator's phones (`SMS_OPERATOR_NUMBERS`): only the bridge texts it.",
  },
  destination_not_allowed: {
    status: 403,
    meaning:
      'A country outside `SMS_ALLOWED_COUNTRIES`, a premium-rate number or a short code (`reason`, `country`).',
  },
  recipient_not_verified: {
    status: 403,
    meaning: 'Trial account: the recipient is not a verified number (Twilio 21608).',
  },
  region_not_enabled: {
    status: 403,
    meaning: "The recipient's country is not enabled in Twilio's Geo permissions (21408).",
  },
  not_found: { status: 404, meaning: 'No such route or resource.' },
  message_not_found: { status: 404, meaning: 'No message has this sid.' },
  approval_not_found: { status: 404, meaning: 'No approval has this id.' },
  scheduled_send_not_found: { status: 404, meaning: 'No scheduled send has this id.' },
  method_not_allowed: { status: 405, meaning: 'The route does not accept that method.' },
  approval_already_decided: { status: 409, meaning: 'The approval was already decided.' },
  forward_not_configured: {
    status: 409,
    meaning: 'No push to retry: SMS_FORWARD_URL is not set on this bridge.',
  },
  approval_expired: {
    status: 409,
    meaning: 'The approval is older than `SMS_APPROVAL_MAX_AGE_HOURS`; its message was not sent.',
  },
  scheduled_send_already_sent: {
    status: 409,
    meaning: 'The scheduled send went out (or is going out) and cannot be cancelled.',
  },
  scheduled_send_finished: {
    status: 409,
    meaning:
      'The scheduled send was already refused, failed or expired; nothing is left to cancel.',
  },
  quiet_hours: {
    status: 409,
    meaning:
      "It is quiet hours at the recipient's (`SMS_QUIET_HOURS_MODE=refuse`); `allowedAt` says when a send may go.",
  },
  idempotency_key_in_progress: {
    status: 409,
    meaning: "The key's first request is still running or was cut short by a crash.",
  },
  payload_too_large: {
    status: 413,
    meaning: 'The body is larger than the route accepts (JSON or webhook form cap).',
  },
  unsupported_media_type: {
    status: 415,
    meaning: 'Not JSON on a JSON route, not a form on a webhook, or a compressed body.',
  },
  headers_too_large: {
    status: 431,
    meaning: 'Over 16 KB of headers (answered from the socket, then closed).',
  },
  idempotency_key_reused: {
    status: 422,
    meaning: 'The key was used in the last 24 h for a different request.',
  },
  recipient_unreachable: {
    status: 422,
    meaning: 'Twilio cannot reach the recipient from this sender (21612).',
  },
  recipient_not_mobile: {
    status: 422,
    meaning: 'The recipient is a landline and cannot receive SMS (21614).',
  },
  daily_limit_reached: {
    status: 429,
    meaning: 'The daily budget is spent (`limit`, `count`, `resetsAt`, `scope`).',
  },
  too_many_pending_approvals: {
    status: 429,
    meaning:
      'SMS_MAX_PENDING_APPROVALS approvals already wait for the operator (`maxPending`); nothing was held or asked.',
  },
  too_many_requests: { status: 429, meaning: 'Throttled; the `Retry-After` header says when.' },
  twilio_rate_limited: { status: 429, meaning: 'Twilio is rate limiting the account or number.' },
  internal_error: { status: 500, meaning: 'The bridge failed to handle the request.' },
  backup_failed: { status: 500, meaning: 'The online backup could not be written.' },
  backup_unsupported: {
    status: 501,
    meaning: 'The store is PostgreSQL: back it up with pg_dump, not through the bridge.',
  },
  twilio_error: { status: 502, meaning: 'Twilio refused the message; `twilioCode` says why.' },
  twilio_unreachable: { status: 502, meaning: 'The bridge could not reach Twilio.' },
  twilio_auth_failed: { status: 502, meaning: 'Twilio rejected the account credentials.' },
  sender_not_usable: {
    status: 502,
    meaning: 'The sender is not an SMS-capable number of this account.',
  },
  carrier_filtered: {
    status: 502,
    meaning: 'The carrier filtered the message (30007); register for A2P 10DLC.',
  },
  audit_unavailable: {
    status: 503,
    meaning: 'The audit log cannot be written, so nothing was done.',
  },
  storage_unavailable: {
    status: 503,
    meaning: 'The database cannot be written, so nothing was stored or done.',
  },
  twilio_timeout: {
    status: 504,
    meaning: 'Twilio did not answer in time; the message may have gone out.',
  },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/** The codes of one status, for documentation. */
export function codesWithStatus(status: number): ErrorCode[] {
  return (Object.keys(ERROR_CODES) as ErrorCode[]).filter(
    (code) => ERROR_CODES[code].status === status,
  );
}
