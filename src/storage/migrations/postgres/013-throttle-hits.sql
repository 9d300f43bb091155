-- PostgreSQL twin of ../013-throttle-hits.sql: the throttles every bridge on the database shares.
CREATE TABLE throttle_hits (
  id BIGSERIAL PRIMARY KEY,
  key TEXT NOT NULL,
  throttler TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX throttle_hits_key ON throttle_hits (key, throttler, expires_at);
CREATE INDEX throttle_hits_expires ON throttle_hits (expires_at);
