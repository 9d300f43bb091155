import type { Store } from '../../storage/store';

export type AuditOutcome = 'accepted' | 'held' | 'refused' | 'failed';

export interface AuditEntry {
  requestId: string;
  action: string;
  phase: 'attempt' | 'outcome';
  caller?: string;
  recipient?: string;
  body?: string;
  outcome?: AuditOutcome;
  reason?: string;
  sid?: string;
  detail?: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  at: string;
}

/**
 * A request whose attempt is committed with its first write instead of a commit of its own,
 * and whose outcome is committed with the writes that settle it (see `AuditService.recording`).
 */
export interface PendingRecord {
  readonly attempt: AuditEntry;
  attemptCommitted: boolean;
  /** Each runs in the transaction that commits the outcome. */
  readonly settlements: ((trx: Store) => Promise<void>)[];
}
