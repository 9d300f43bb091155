-- PostgreSQL twin of ../010-twilio-webhook-url.sql.
CREATE TABLE twilio_webhook_url (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  url TEXT,
  source TEXT NOT NULL,
  checked_at TEXT NOT NULL
);
