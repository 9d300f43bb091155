import { sql } from 'kysely';
import { isSqlite, Store } from '../store';

/**
 * SMS_RETENTION_DAYS removes the message text of audit records older than the setting,
 * and keeps the records. The one change audit_log accepts: the body of a record older
 * than two days (the shortest retention the bridge allows) set to NULL, every other
 * column as it was. Any other UPDATE, and every DELETE, is still refused.
 *
 * Triggers have no builder, and each dialect writes its own: SQLite replaces the trigger
 * with one that has a WHEN clause; PostgreSQL replaces the function its triggers call.
 */
export async function up(db: Store): Promise<void> {
  if (isSqlite(db)) {
    await sql`DROP TRIGGER audit_log_no_update`.execute(db);
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (
  OLD.body IS NOT NULL AND NEW.body IS NULL
  AND OLD.at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 days')
  AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.request_id = OLD.request_id
  AND NEW.action = OLD.action AND NEW.phase = OLD.phase
  AND NEW.caller IS OLD.caller AND NEW.recipient IS OLD.recipient
  AND NEW.outcome IS OLD.outcome AND NEW.reason IS OLD.reason
  AND NEW.sid IS OLD.sid AND NEW.detail IS OLD.detail
)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
    return;
  }
  await sql`CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.body IS NOT NULL AND NEW.body IS NULL
       AND OLD.at < to_char(now() AT TIME ZONE 'UTC' - interval '2 days', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
       AND to_jsonb(NEW) - 'body' = to_jsonb(OLD) - 'body' THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only';
END
$$`.execute(db);
}
