-- A push being made holds its row until leased_until, apart from when its next attempt is
-- due: a bridge that boots makes waiting retries due at once without taking a push another
-- bridge on the same database is making right then.
ALTER TABLE inbound_forwards ADD COLUMN leased_until TEXT;
