-- The one table the bare baseline writes, as the bridge's first migration lays it down on
-- SQLite (the same columns, unique sid and received_at index), so that its INSERT costs
-- what the bridge's does. Kept here: the bridge's migrations are TypeScript on Kysely.
CREATE TABLE IF NOT EXISTS inbound_messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  sid TEXT NOT NULL UNIQUE,
  account_sid TEXT NOT NULL,
  from_number TEXT NOT NULL,
  to_number TEXT NOT NULL,
  body TEXT NOT NULL,
  media TEXT NOT NULL DEFAULT '[]',
  received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS inbound_messages_received_at ON inbound_messages (received_at);
