-- PostgreSQL twin of ../018-scheduled-leases.sql.
ALTER TABLE scheduled_sends ADD COLUMN leased_by TEXT;
ALTER TABLE scheduled_sends ADD COLUMN leased_until TEXT;
