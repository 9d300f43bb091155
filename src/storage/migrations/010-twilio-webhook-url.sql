-- One row: the last answer Twilio gave about where the sender's inbound webhook points, so
-- that a restart checks signatures against it without waiting for Twilio's API.
CREATE TABLE twilio_webhook_url (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  url TEXT,
  source TEXT NOT NULL,
  checked_at TEXT NOT NULL
);
