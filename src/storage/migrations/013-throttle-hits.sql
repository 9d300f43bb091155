-- The send and webhook throttles' hits, for bridges that share a PostgreSQL database (its
-- twin in postgres/): one bridge alone counts them in memory, and leaves this table empty.
-- A hit counts until expires_at (epoch milliseconds), a sliding minute.
CREATE TABLE throttle_hits (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  throttler TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX throttle_hits_key ON throttle_hits (key, throttler, expires_at);
CREATE INDEX throttle_hits_expires ON throttle_hits (expires_at);
