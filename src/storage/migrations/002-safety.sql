-- Safety rails: contacts and their approval, held messages, daily limits, idempotent sends.

-- The local calendar day (SMS_TIMEZONE) a send was counted against, 'YYYY-MM-DD'.
-- The daily limits count today's rows, so the outbound table is the ledger: a row is
-- reserved in the same transaction that checks the count.
ALTER TABLE outbound_messages ADD COLUMN day TEXT;
CREATE INDEX outbound_messages_day ON outbound_messages (day, to_number);

-- One row per number the bridge has an opinion about. Approval and opt-out are separate
-- facts: an operator's approval does not override a recipient's STOP.
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

-- Messages held for the operator's decision, and agents' requests to text a number.
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

-- Idempotency-Key of POST /sms/send: the first response, replayed for 24 hours.
CREATE TABLE idempotency_keys (
  key TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
  status INTEGER,
  response TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
