-- PostgreSQL twin of ../005-readiness-probe.sql.
CREATE TABLE readiness_probe (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  checked_at TEXT NOT NULL
);
