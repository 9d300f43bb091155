-- The media URLs of a held MMS (a JSON array, as outbound_messages.media), sent on approval.
ALTER TABLE approvals ADD COLUMN media TEXT NOT NULL DEFAULT '[]';
