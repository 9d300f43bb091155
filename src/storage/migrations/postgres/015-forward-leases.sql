-- PostgreSQL twin of ../015-forward-leases.sql.
ALTER TABLE inbound_forwards ADD COLUMN leased_until TEXT;
