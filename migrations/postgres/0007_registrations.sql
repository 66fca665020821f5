-- Manager registrations (flow 1). Keep in step with migrations/sqlite/0007_registrations.sql.
-- A registration is a request of kind `manager_registration` (its state lives there, on the
-- one state machine); this table holds what the applicant entered. The organisation is
-- found or created by KvK number at submission, so requests.organisation_id stays NOT NULL.
CREATE TABLE registrations (
    id               TEXT PRIMARY KEY,
    request_id       TEXT NOT NULL UNIQUE REFERENCES requests (id),
    organisation_id  TEXT NOT NULL REFERENCES organisations (id),
    kvk_number       TEXT NOT NULL,
    org_name         TEXT NOT NULL,
    branch_number    TEXT,
    extract_date     TEXT,
    arrange_extract  BIGINT NOT NULL,
    requested_level  TEXT NOT NULL,
    signing          TEXT NOT NULL,
    applicant        TEXT NOT NULL,
    representatives  TEXT NOT NULL,
    contract_holder  TEXT NOT NULL,
    submitted_at     BIGINT NOT NULL,
    due_min          TEXT NOT NULL,
    due_max          TEXT NOT NULL,
    version          BIGINT NOT NULL
);

-- The public wizard's work in progress, keyed by the SHA-256 of an HttpOnly cookie.
CREATE TABLE registration_drafts (
    id_sha256  TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX registration_drafts_expires ON registration_drafts (expires_at);
