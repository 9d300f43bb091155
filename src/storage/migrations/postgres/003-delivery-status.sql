-- PostgreSQL twin of ../003-delivery-status.sql.
ALTER TABLE outbound_messages ADD COLUMN encoding TEXT;
ALTER TABLE outbound_messages ADD COLUMN twilio_segments INTEGER;
ALTER TABLE outbound_messages ADD COLUMN messaging_service_sid TEXT;
ALTER TABLE outbound_messages ADD COLUMN media TEXT NOT NULL DEFAULT '[]';
CREATE INDEX outbound_messages_to ON outbound_messages (to_number, seq);
CREATE INDEX outbound_messages_status ON outbound_messages (status, seq);

CREATE TABLE outbound_status_history (
  id BIGSERIAL PRIMARY KEY,
  message_id TEXT NOT NULL REFERENCES outbound_messages (id),
  status TEXT NOT NULL,
  error_code INTEGER,
  at TEXT NOT NULL
);
CREATE INDEX outbound_status_history_message ON outbound_status_history (message_id, id);
