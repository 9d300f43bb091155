-- SMS_RETENTION_DAYS removes the message text of audit records older than the setting,
-- and keeps the records. The one change audit_log accepts: the body of a record older
-- than two days (the shortest retention the bridge allows) set to NULL, every other
-- column as it was. Any other UPDATE, and every DELETE, is still refused.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (
  OLD.body IS NOT NULL AND NEW.body IS NULL
  AND OLD.at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 days')
  AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.request_id = OLD.request_id
  AND NEW.action = OLD.action AND NEW.phase = OLD.phase
  AND NEW.caller IS OLD.caller AND NEW.recipient IS OLD.recipient
  AND NEW.outcome IS OLD.outcome AND NEW.reason IS OLD.reason
  AND NEW.sid IS OLD.sid AND NEW.detail IS OLD.detail
)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
