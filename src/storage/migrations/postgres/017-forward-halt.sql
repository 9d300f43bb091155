-- PostgreSQL twin of ../017-forward-halt.sql.
ALTER TABLE forward_settings ADD COLUMN halted_since TEXT;
ALTER TABLE forward_settings ADD COLUMN halted_reason TEXT;
ALTER TABLE forward_settings ADD COLUMN halted_settings TEXT;
