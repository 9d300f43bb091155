import type { Generated } from 'kysely';

/**
 * The tables as the typed query builder sees them, named as in the migrations. Times are
 * ISO-8601 UTC text, except the throttle's expiry (integer milliseconds, compared on every hit).
 */
export interface Tables {
  readiness_probe: { id: number; checked_at: string };
  schema_migrations: { version: number; name: string; applied_at: string };
  throttle_hits: { id: Generated<number>; key: string; throttler: string; expires_at: number };
  /** The columns reached through this store so far: a stopping bridge gives back its leases. */
  scheduled_sends: {
    id: string;
    status: string;
    leased_by: string | null;
    leased_until: string | null;
  };
}
