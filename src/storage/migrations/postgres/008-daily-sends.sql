-- PostgreSQL twin of ../008-daily-sends.sql.
CREATE TABLE daily_sends (
  id BIGSERIAL PRIMARY KEY,
  day TEXT NOT NULL,
  to_number TEXT NOT NULL
);
CREATE INDEX daily_sends_day_to ON daily_sends (day, to_number);

INSERT INTO daily_sends (day, to_number)
SELECT day, to_number FROM outbound_messages
WHERE NOT (status = 'failed' AND sid IS NULL AND error_code IS NOT NULL);
