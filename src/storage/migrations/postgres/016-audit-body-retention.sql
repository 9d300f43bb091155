-- PostgreSQL twin of ../016-audit-body-retention.sql: the one change audit_log accepts is
-- the body of a record older than two days set to NULL, every other column as it was.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
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
$$;
