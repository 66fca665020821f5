-- Issue 12: a document's file is removed by the janitor once its row is marked deleted
-- (the request ended: cancelled, expired or decided). `file_removed_at` records that the
-- file is gone; rows deleted before this migration are checked once more.
ALTER TABLE documents ADD COLUMN file_removed_at BIGINT;
CREATE INDEX documents_files_to_remove ON documents (deleted_at) WHERE deleted_at IS NOT NULL AND file_removed_at IS NULL;
