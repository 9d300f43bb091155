-- A push the hook refused as misconfigured (400, 401, 403, 404, 413: a wrong token, URL or
-- payload) halts every push: retrying would only fail the same way, and OpenClaw throttles
-- repeated bad tokens. The halt keeps since when, why, and a fingerprint of the forward
-- settings it was refused under: a bridge that boots with other settings lifts it, as does
-- `sms-bridge forward retry`. The messages stay queued meanwhile.
ALTER TABLE forward_settings ADD COLUMN halted_since TEXT;
ALTER TABLE forward_settings ADD COLUMN halted_reason TEXT;
ALTER TABLE forward_settings ADD COLUMN halted_settings TEXT;
