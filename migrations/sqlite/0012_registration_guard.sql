-- The public wizard's guards (issue 12). Keep in step with migrations/postgres/0012_registration_guard.sql.
--
-- A draft remembers whether its applicant confirmed their own e-mail address: the address,
-- the code's HMAC (never the code), its expiry, wrong tries and codes sent, as JSON the
-- browser never sees. It goes with the draft.
ALTER TABLE registration_drafts ADD COLUMN email_check TEXT;

-- The existing managers of an organisation told about a registration for its KvK number,
-- one row per manager and link (the link's SHA-256, as in verification_tokens, which keeps
-- its expiry and single use). An objection fills objected_at and the reason; the back
-- office sees it on the registration.
CREATE TABLE registration_objections (
    token_sha256 TEXT PRIMARY KEY,
    request_id   TEXT NOT NULL REFERENCES requests (id),
    account_id   TEXT NOT NULL REFERENCES accounts (id),
    manager_name TEXT NOT NULL,
    notified_at  INTEGER NOT NULL,
    objected_at  INTEGER,
    reason       TEXT
);
CREATE INDEX registration_objections_request ON registration_objections (request_id);
