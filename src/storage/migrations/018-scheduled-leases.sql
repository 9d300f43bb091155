-- A scheduled send being sent is held by the bridge sending it (leased_by, a per-process id)
-- until leased_until, renewed while it sends: a bridge that boots beside it on the same
-- PostgreSQL database leaves it alone, and takes it up only once the lease has run out.
ALTER TABLE scheduled_sends ADD COLUMN leased_by TEXT;
ALTER TABLE scheduled_sends ADD COLUMN leased_until TEXT;
