-- The per-sender limit counts a sender's delivered texts of the last minute on every webhook.
-- The (from_number, received_at) index alone made that count read each row for `suppressed`;
-- this one holds only delivered texts, so the count never leaves the index.
CREATE INDEX inbound_messages_delivered_from ON inbound_messages (from_number, received_at)
  WHERE suppressed = 0;
