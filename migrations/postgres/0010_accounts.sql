-- Accounts proven by their holder; particulars per means. Keep in step with
-- migrations/sqlite/0010_accounts.sql (which explains the model).

CREATE TABLE accounts (
    id                   TEXT PRIMARY KEY,
    email                TEXT NOT NULL UNIQUE,
    password_hash        TEXT NOT NULL,
    verified_mobile_e164 TEXT NOT NULL,
    language             TEXT NOT NULL DEFAULT 'nl',
    is_backoffice        BIGINT NOT NULL DEFAULT 0,
    staff_name           TEXT,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);
INSERT INTO accounts (id, email, password_hash, verified_mobile_e164, language, is_backoffice, staff_name,
                      created_at, updated_at)
SELECT id, email, password_hash, mobile_e164, 'nl', is_backoffice,
       CASE WHEN is_backoffice = 1
            THEN given_names || ' ' || COALESCE(NULLIF(prefix, '') || ' ', '') || surname END,
       created_at, updated_at
FROM persons WHERE password_hash IS NOT NULL;

ALTER TABLE means
    ADD COLUMN account_id  TEXT REFERENCES accounts (id),
    ADD COLUMN email       TEXT,
    ADD COLUMN given_names TEXT,
    ADD COLUMN prefix      TEXT,
    ADD COLUMN surname     TEXT,
    ADD COLUMN birth_date  TEXT,
    ADD COLUMN mobile_e164 TEXT;
UPDATE means m SET
    email = p.email, given_names = p.given_names, prefix = p.prefix, surname = p.surname,
    birth_date = p.birth_date, mobile_e164 = p.mobile_e164,
    account_id = CASE WHEN p.password_hash IS NOT NULL AND (m.state <> 'requested' OR EXISTS (
                     SELECT 1 FROM requests r WHERE r.means_id = m.id AND r.kind = 'new_means'
                       AND r.state IN ('awaiting_id_check', 'awaiting_in_person')))
                 THEN p.id END
FROM persons p WHERE p.id = m.person_id;
ALTER TABLE means
    ALTER COLUMN email SET NOT NULL,
    ALTER COLUMN given_names SET NOT NULL,
    ALTER COLUMN surname SET NOT NULL,
    ALTER COLUMN birth_date SET NOT NULL,
    ALTER COLUMN mobile_e164 SET NOT NULL;
-- Drops means_one_live_per_person_org and means_person with the column.
ALTER TABLE means DROP COLUMN person_id;
CREATE UNIQUE INDEX means_one_live_per_org_email ON means (organisation_id, email) WHERE state <> 'cancelled';
CREATE INDEX means_account ON means (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX means_name ON means (surname, given_names, id);

ALTER TABLE requests ADD COLUMN account_id TEXT REFERENCES accounts (id);
UPDATE requests r SET account_id = a.id FROM accounts a
 WHERE a.id = r.person_id
   AND NOT (r.kind = 'new_means' AND r.state IN ('submitted', 'awaiting_email', 'awaiting_sms', 'awaiting_password'));
ALTER TABLE requests DROP COLUMN person_id;
UPDATE requests SET requested_by = NULL WHERE requested_by NOT IN (SELECT id FROM accounts);
ALTER TABLE requests DROP CONSTRAINT IF EXISTS requests_requested_by_fkey;
ALTER TABLE requests ADD CONSTRAINT requests_requested_by_fkey FOREIGN KEY (requested_by) REFERENCES accounts (id);

UPDATE authorisations SET granted_by = NULL WHERE granted_by NOT IN (SELECT id FROM accounts);
ALTER TABLE authorisations DROP CONSTRAINT IF EXISTS authorisations_granted_by_fkey;
ALTER TABLE authorisations ADD CONSTRAINT authorisations_granted_by_fkey FOREIGN KEY (granted_by) REFERENCES accounts (id);

ALTER TABLE batches DROP CONSTRAINT IF EXISTS batches_created_by_fkey;
ALTER TABLE batches ADD CONSTRAINT batches_created_by_fkey FOREIGN KEY (created_by) REFERENCES accounts (id);

UPDATE request_events SET actor = NULL WHERE actor NOT IN (SELECT id FROM accounts);

-- Sessions belong to an account; everyone logs in again (with the second factor) once.
DELETE FROM sms_codes WHERE session_id IS NOT NULL;
DELETE FROM sessions;
ALTER TABLE sessions DROP COLUMN person_id;
ALTER TABLE sessions
    ADD COLUMN account_id   TEXT NOT NULL REFERENCES accounts (id),
    ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN manager_orgs TEXT NOT NULL DEFAULT '';
CREATE INDEX sessions_account ON sessions (account_id, organisation_id);

DROP TABLE persons;

CREATE TABLE account_flows (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    purpose         TEXT NOT NULL,
    step            TEXT NOT NULL,
    link_sha256     TEXT UNIQUE,
    session_sha256  TEXT UNIQUE,
    new_mobile_e164 TEXT,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    finished_at     BIGINT
);
CREATE INDEX account_flows_account ON account_flows (account_id, purpose);
ALTER TABLE sms_codes ADD COLUMN flow_id TEXT REFERENCES account_flows (id) ON DELETE CASCADE;
CREATE INDEX sms_codes_flow ON sms_codes (flow_id) WHERE flow_id IS NOT NULL;

-- The request a message belongs to: a manager's page finds the undeliverable messages of
-- its own requests by this, never by matching recipients (which other organisations'
-- messages share).
ALTER TABLE outbox ADD COLUMN request_id TEXT;
