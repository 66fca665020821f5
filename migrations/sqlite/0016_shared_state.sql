-- Issue 14: what several instances on one database must share lives in the database.
-- Uploaded documents (ID copies, extracts, registration drafts' files) are kept here, in
-- their own table, so every instance can read them; a row goes when its document is
-- decided (the documents row itself stays, marked deleted).
CREATE TABLE document_files (
    storage_name TEXT PRIMARY KEY,
    bytes BLOB NOT NULL,
    created_at BIGINT NOT NULL
);
-- The client-address budgets (logins, SMS, registration drafts, form posts) as a
-- generic cell rate: `tat` is the theoretical arrival time in unix ms; a spend is allowed
-- while tat - now stays within the hour's burst. Rows whose tat has passed are swept.
CREATE TABLE address_budgets (
    budget TEXT NOT NULL,
    address TEXT NOT NULL,
    tat BIGINT NOT NULL,
    PRIMARY KEY (budget, address)
);
CREATE INDEX address_budgets_tat ON address_budgets (tat);
-- One row per background job: the instance that moves `due_at` on runs the job for
-- that period; the others find it taken and skip.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    due_at BIGINT NOT NULL
);
-- A generation per cache kept in a process (Overzicht's counts): a change bumps it, and
-- every instance compares it before reusing what it computed.
CREATE TABLE cache_generations (
    name TEXT PRIMARY KEY,
    generation BIGINT NOT NULL
);
INSERT INTO cache_generations (name, generation) VALUES ('overview', 0);
