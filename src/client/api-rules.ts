/*
 * The rules the bridge's API enforces, as its clients state them up front (the MCP tools'
 * schemas and descriptions): the bridge's own constants, re-exported, never copies, so a
 * changed limit changes what the clients say with it.
 */
export {
  IDEMPOTENCY_KEY_CHARACTERS,
  IDEMPOTENCY_KEY_RULE,
  MAX_BODY_LENGTH,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MAX_MEDIA_URLS,
  MAX_REASON_LENGTH,
  MAX_SEGMENTS,
} from '../safety/message/message-limits';
export { SCHEDULED_STATUSES } from '../schedule/scheduled-status';
export { DEFAULT_SCHEDULE_MAX_DAYS } from '../config/env.schema';
