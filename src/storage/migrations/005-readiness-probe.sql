-- One row, rewritten by each readiness probe: proof that a commit reaches the disk now.
CREATE TABLE readiness_probe (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  checked_at TEXT NOT NULL
);
