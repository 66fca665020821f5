-- Issue 12: the bytes each unfinished registration draft keeps on disk, so that all
-- drafts together stay under DRAFTS_TOTAL_MAX_BYTES (per-address budgets alone cannot stop
-- many addresses). Drafts from before this migration count as empty until their next step.
ALTER TABLE registration_drafts ADD COLUMN file_bytes BIGINT NOT NULL DEFAULT 0;
