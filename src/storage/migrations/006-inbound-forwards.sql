-- The outbox of inbound messages to push to SMS_FORWARD_URL (src/forward/).
--
-- The trigger queues a message in the same statement that stores it, so nothing stored
-- can miss its push, whoever stores it. A Twilio retry of a stored MessageSid inserts
-- nothing (ON CONFLICT DO NOTHING) and so queues nothing. The bridge writes
-- forward_settings.enabled at every boot from its config: without SMS_FORWARD_URL
-- nothing is queued.

CREATE TABLE forward_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1))
);
INSERT INTO forward_settings (id, enabled) VALUES (1, 0);

CREATE TABLE inbound_forwards (
  sid TEXT PRIMARY KEY REFERENCES inbound_messages (sid) ON DELETE CASCADE,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  delivered_at TEXT
);
CREATE INDEX inbound_forwards_due ON inbound_forwards (state, next_attempt_at);

CREATE TRIGGER inbound_messages_forward AFTER INSERT ON inbound_messages
WHEN (SELECT enabled FROM forward_settings WHERE id = 1) = 1
BEGIN
  INSERT OR IGNORE INTO inbound_forwards (sid, next_attempt_at, created_at)
  VALUES (NEW.sid, NEW.received_at, NEW.received_at);
END;
