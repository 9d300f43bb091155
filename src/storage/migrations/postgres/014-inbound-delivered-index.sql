-- PostgreSQL twin of ../014-inbound-delivered-index.sql: the per-sender count reads only
-- the index of delivered texts.
CREATE INDEX inbound_messages_delivered_from ON inbound_messages (from_number, received_at)
  WHERE suppressed = 0;
