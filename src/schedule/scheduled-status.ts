/** What became of a send for later; the MCP tools list the same words. */
export const SCHEDULED_STATUSES = [
  'scheduled',
  'awaiting_approval',
  'sending',
  'sent',
  'refused',
  'failed',
  'unknown',
  'cancelled',
  'expired',
] as const;

export type ScheduledStatus = (typeof SCHEDULED_STATUSES)[number];
