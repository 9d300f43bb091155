-- Inbound texts over the per-sender limit (SMS_INBOUND_PER_SENDER_PER_MINUTE): kept, since
-- Twilio was told 200 and will not resend, but hidden from the inbox unless asked for.
ALTER TABLE inbound_messages ADD COLUMN suppressed INTEGER NOT NULL DEFAULT 0 CHECK (suppressed IN (0, 1));

-- The limit counts a sender's delivered texts of the last minute.
CREATE INDEX inbound_messages_from_received ON inbound_messages (from_number, received_at);
