-- PostgreSQL twin of ../006-inbound-forwards.sql: the outbox of pushes, queued by a trigger
-- in the statement that stores the message.

CREATE TABLE forward_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1))
);
INSERT INTO forward_settings (id, enabled) VALUES (1, 0);

-- rowid: SQLite's implicit arrival order, made a column here, so the queue reads the same.
CREATE TABLE inbound_forwards (
  rowid BIGSERIAL UNIQUE,
  sid TEXT PRIMARY KEY REFERENCES inbound_messages (sid) ON DELETE CASCADE,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  delivered_at TEXT
);
CREATE INDEX inbound_forwards_due ON inbound_forwards (state, next_attempt_at);

CREATE FUNCTION inbound_messages_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT enabled FROM forward_settings WHERE id = 1) = 1 THEN
    INSERT INTO inbound_forwards (sid, next_attempt_at, created_at)
    VALUES (NEW.sid, NEW.received_at, NEW.received_at)
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER inbound_messages_forward AFTER INSERT ON inbound_messages
  FOR EACH ROW EXECUTE FUNCTION inbound_messages_forward();
