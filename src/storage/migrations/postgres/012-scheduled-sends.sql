-- PostgreSQL twin of ../012-scheduled-sends.sql.
CREATE TABLE scheduled_sends (
  id TEXT PRIMARY KEY,
  to_number TEXT NOT NULL,
  body TEXT NOT NULL,
  media TEXT NOT NULL DEFAULT '[]',
  send_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN (
    'scheduled', 'awaiting_approval', 'sending', 'sent', 'refused', 'failed', 'unknown',
    'cancelled', 'expired'
  )),
  reason TEXT,
  approval_id TEXT,
  sid TEXT,
  error_code TEXT,
  requested_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX scheduled_sends_due ON scheduled_sends (status, send_at);
CREATE INDEX scheduled_sends_approval ON scheduled_sends (approval_id);
