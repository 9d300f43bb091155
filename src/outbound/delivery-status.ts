/**
 * Twilio's outbound message statuses in the order a message moves through them
 * (https://www.twilio.com/docs/messaging/api/message-resource#message-status-values).
 * Status callbacks can arrive late, twice or out of order, so a message only ever moves
 * to a higher rank; the final statuses share one rank, so the first one to arrive stays.
 * `read` (WhatsApp, RCS) may still follow `delivered`.
 */
const RANK: Record<string, number> = {
  accepted: 1,
  scheduled: 2,
  queued: 3,
  sending: 4,
  sent: 5,
  delivered: 6,
  undelivered: 6,
  failed: 6,
  canceled: 6,
  read: 7,
};

export const OUTBOUND_STATUSES = Object.keys(RANK);

export function isKnownStatus(status: string): boolean {
  return Object.hasOwn(RANK, status);
}

/** Whether a message in `current` may move to `next`. */
export function movesForward(current: string, next: string): boolean {
  return isKnownStatus(next) && (RANK[current] ?? 0) < RANK[next];
}
