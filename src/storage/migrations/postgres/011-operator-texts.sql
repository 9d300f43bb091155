-- PostgreSQL twin of ../011-operator-texts.sql.
CREATE TABLE approval_codes (
  approval_id TEXT PRIMARY KEY REFERENCES approvals (id),
  code_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX approval_codes_hash ON approval_codes (code_hash);

CREATE TABLE operator_texts (
  id BIGSERIAL PRIMARY KEY,
  direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  kind TEXT NOT NULL,
  number TEXT NOT NULL,
  body TEXT NOT NULL,
  sid TEXT UNIQUE,
  status TEXT NOT NULL,
  approval_id TEXT,
  error TEXT,
  day TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX operator_texts_number_day ON operator_texts (number, day, direction);
CREATE INDEX operator_texts_number_created ON operator_texts (number, created_at);

CREATE TABLE operator_phones (
  number TEXT PRIMARY KEY,
  stopped INTEGER NOT NULL DEFAULT 0 CHECK (stopped IN (0, 1)),
  locked_at TEXT,
  unlocked_at TEXT
);
