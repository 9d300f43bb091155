-- PostgreSQL twin of ../004-inbound-suppressed.sql.
ALTER TABLE inbound_messages ADD COLUMN suppressed INTEGER NOT NULL DEFAULT 0 CHECK (suppressed IN (0, 1));
CREATE INDEX inbound_messages_from_received ON inbound_messages (from_number, received_at);
