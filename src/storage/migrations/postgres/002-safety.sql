-- PostgreSQL twin of ../002-safety.sql.

ALTER TABLE outbound_messages ADD COLUMN day TEXT;
CREATE INDEX outbound_messages_day ON outbound_messages (day, to_number);

CREATE TABLE contacts (
  number TEXT PRIMARY KEY,
  approval TEXT CHECK (approval IN ('approved', 'pending', 'denied')),
  approval_source TEXT,
  opted_out INTEGER NOT NULL DEFAULT 0 CHECK (opted_out IN (0, 1)),
  opt_out_source TEXT,
  last_keyword TEXT,
  first_inbound_at TEXT,
  updated_at TEXT NOT NULL
);

CREATE TABLE approvals (
  id TEXT PRIMARY KEY,
  to_number TEXT NOT NULL,
  body TEXT,
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'expired')),
  requested_by TEXT,
  created_at TEXT NOT NULL,
  decided_at TEXT,
  decided_by TEXT
);
CREATE INDEX approvals_status_created ON approvals (status, created_at);

CREATE TABLE idempotency_keys (
  key TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
  status INTEGER,
  response TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
