-- PostgreSQL twin of ../001-initial.sql: the same tables and columns, so that one SQL text
-- serves both adapters. Times are ISO-8601 UTC text (Date#toISOString), which sorts as it reads.

CREATE TABLE inbound_messages (
  seq BIGSERIAL PRIMARY KEY,
  sid TEXT NOT NULL UNIQUE,
  account_sid TEXT NOT NULL,
  from_number TEXT NOT NULL,
  to_number TEXT NOT NULL,
  body TEXT NOT NULL,
  media TEXT NOT NULL DEFAULT '[]',
  received_at TEXT NOT NULL
);
CREATE INDEX inbound_messages_received_at ON inbound_messages (received_at);

CREATE TABLE outbound_messages (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  sid TEXT UNIQUE,
  from_number TEXT NOT NULL,
  to_number TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  segments INTEGER,
  error_code INTEGER,
  error_message TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX outbound_messages_created_at ON outbound_messages (created_at);

-- Append-only: a record of what the agent asked for and what came of it.
CREATE TABLE audit_log (
  id BIGSERIAL PRIMARY KEY,
  at TEXT NOT NULL,
  request_id TEXT NOT NULL,
  action TEXT NOT NULL,
  phase TEXT NOT NULL CHECK (phase IN ('attempt', 'outcome')),
  caller TEXT,
  recipient TEXT,
  body TEXT,
  outcome TEXT,
  reason TEXT,
  sid TEXT,
  detail TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_request ON audit_log (request_id);

-- Refused for every role, the bridge's included: a trigger, not a grant, so that a bridge
-- connecting as the table's owner cannot rewrite its own record either.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
