-- Approval by text (SMS_OPERATOR_NUMBERS).

-- The one-time code texted to the operator's phones for an approval, kept only as an HMAC
-- keyed with the operator token: a copy of the database alone neither shows a code nor
-- lets anyone try the million six-digit codes against it. Owned by the approvals module.
CREATE TABLE approval_codes (
  approval_id TEXT PRIMARY KEY REFERENCES approvals (id),
  code_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX approval_codes_hash ON approval_codes (code_hash);

-- Texts between the bridge and the operator's phones, kept apart from the agent's messages
-- so that no agent route can show a code. Bodies are stored with the code masked.
-- kind: notification, confirmation, lockout (outbound); reply (inbound).
CREATE TABLE operator_texts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
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

-- What an operator phone asked or earned: STOP (no more notifications) and the lock after
-- too many wrong codes, which only a use of the operator token lifts.
CREATE TABLE operator_phones (
  number TEXT PRIMARY KEY,
  stopped INTEGER NOT NULL DEFAULT 0 CHECK (stopped IN (0, 1)),
  locked_at TEXT,
  unlocked_at TEXT
);
