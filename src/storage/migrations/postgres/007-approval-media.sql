-- PostgreSQL twin of ../007-approval-media.sql.
ALTER TABLE approvals ADD COLUMN media TEXT NOT NULL DEFAULT '[]';
