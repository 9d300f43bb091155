-- PostgreSQL twin of ../009-inbound-opt-out-hint.sql.
ALTER TABLE inbound_messages ADD COLUMN opt_out_hint INTEGER NOT NULL DEFAULT 0 CHECK (opt_out_hint IN (0, 1));
