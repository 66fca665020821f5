-- Accounts proven by their holder; particulars per means. Keep in step with
-- migrations/postgres/0010_accounts.sql.
--
-- Before: one global `persons` row per e-mail address held the name, birth date and mobile
-- that the *first* organisation typed, and every later organisation's means reused it.
-- After:
--   accounts  the holder's own login: e-mail, password hash, verified mobile (the second
--             factor), language. Created by the holder's first completed activation;
--             nothing a manager types is ever written here.
--   means     one organisation's means for one e-mail address, with the particulars *that*
--             organisation entered (names, birth date, mobile as requested, employed);
--             `account_id` is set only once the holder has proven the account.
--
-- SQLite cannot drop NOT NULL or retarget a foreign key in place, so `means` and
-- `accounts` are rebuilt. sqlx runs a SQLite migration inside one transaction, where
-- foreign keys cannot be switched off, so their checks are deferred to the commit:
-- dropping a parent table counts every child row that points at it, putting the same keys
-- back into the new table clears the count again, and the commit fails if any reference
-- were left dangling. Renaming `persons` to `accounts` first makes every foreign key that
-- named `persons` name `accounts` (SQLite >= 3.26 rewrites them).
PRAGMA defer_foreign_keys = ON;

DROP INDEX persons_name;
ALTER TABLE persons RENAME TO accounts;

-- A means is bound to the account only where the holder has proven it: it was issued, or
-- its activation passed the password step (waiting for the ID check or the desk).
CREATE TEMP TABLE means_copy AS
SELECT m.id,
       CASE WHEN p.password_hash IS NOT NULL AND (m.state <> 'requested' OR EXISTS (
                SELECT 1 FROM requests r WHERE r.means_id = m.id AND r.kind = 'new_means'
                  AND r.state IN ('awaiting_id_check', 'awaiting_in_person')))
            THEN p.id END AS account_id,
       m.organisation_id, p.email, p.given_names, p.prefix, p.surname, p.birth_date, p.mobile_e164,
       m.level, m.state, m.employed, m.valid_until, m.created_at, m.updated_at
FROM means m JOIN accounts p ON p.id = m.person_id;

-- requests.person_id becomes the account a request acts for: set where the holder has
-- proven it (a finished request, an upgrade, an activation past its password step).
ALTER TABLE requests RENAME COLUMN person_id TO account_id;
UPDATE requests SET account_id = NULL
 WHERE account_id IN (SELECT id FROM accounts WHERE password_hash IS NULL)
    OR (kind = 'new_means' AND state IN ('submitted', 'awaiting_email', 'awaiting_sms', 'awaiting_password'));
-- References to people who never chose a password point at no account.
UPDATE requests SET requested_by = NULL
 WHERE requested_by IN (SELECT id FROM accounts WHERE password_hash IS NULL);
UPDATE authorisations SET granted_by = NULL
 WHERE granted_by IN (SELECT id FROM accounts WHERE password_hash IS NULL);
UPDATE request_events SET actor = NULL
 WHERE actor IN (SELECT id FROM accounts WHERE password_hash IS NULL);

-- Sessions belong to an account; everyone logs in again (with the second factor) once.
DELETE FROM sms_codes WHERE session_id IS NOT NULL;
DELETE FROM sessions;
ALTER TABLE sessions RENAME COLUMN person_id TO account_id;
DROP INDEX sessions_person;
CREATE INDEX sessions_account ON sessions (account_id, organisation_id);
-- Idle timeout; and the organisations managed when the second factor was given: a manager
-- authorisation gained later opens Beheer only after a new login.
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN manager_orgs TEXT NOT NULL DEFAULT '';

CREATE TEMP TABLE accounts_copy AS
SELECT id, email, password_hash, mobile_e164 AS verified_mobile_e164, 'nl' AS language, is_backoffice,
       CASE WHEN is_backoffice = 1
            THEN given_names || ' ' || COALESCE(NULLIF(prefix, '') || ' ', '') || surname END AS staff_name,
       created_at, updated_at
FROM accounts WHERE password_hash IS NOT NULL;

DROP TABLE means;
DROP TABLE accounts;

CREATE TABLE accounts (
    id                   TEXT PRIMARY KEY,
    email                TEXT NOT NULL UNIQUE,
    password_hash        TEXT NOT NULL,
    verified_mobile_e164 TEXT NOT NULL,
    language             TEXT NOT NULL DEFAULT 'nl',
    is_backoffice        INTEGER NOT NULL DEFAULT 0,
    -- The provider's own staff go by a name in timelines; customers' accounts have none.
    staff_name           TEXT,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
INSERT INTO accounts (id, email, password_hash, verified_mobile_e164, language, is_backoffice, staff_name,
                      created_at, updated_at)
SELECT id, email, password_hash, verified_mobile_e164, language, is_backoffice, staff_name, created_at, updated_at
FROM accounts_copy;
DROP TABLE accounts_copy;

CREATE TABLE means (
    id              TEXT PRIMARY KEY,
    account_id      TEXT REFERENCES accounts (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    email           TEXT NOT NULL,
    given_names     TEXT NOT NULL,
    prefix          TEXT,
    surname         TEXT NOT NULL,
    birth_date      TEXT NOT NULL,
    mobile_e164     TEXT NOT NULL,
    level           TEXT NOT NULL,
    state           TEXT NOT NULL,
    employed        INTEGER NOT NULL,
    valid_until     INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
INSERT INTO means (id, account_id, organisation_id, email, given_names, prefix, surname, birth_date,
                   mobile_e164, level, state, employed, valid_until, created_at, updated_at)
SELECT id, account_id, organisation_id, email, given_names, prefix, surname, birth_date,
       mobile_e164, level, state, employed, valid_until, created_at, updated_at
FROM means_copy;
DROP TABLE means_copy;
CREATE UNIQUE INDEX means_one_live_per_org_email ON means (organisation_id, email) WHERE state <> 'cancelled';
CREATE INDEX means_account ON means (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX means_org_level_state ON means (organisation_id, level, state);
-- The person × service matrix and the people lists page through means by name.
CREATE INDEX means_name ON means (surname, given_names, id);

-- The holder's own changes that need more than one step: a forgotten password (e-mail
-- link, then a code to the verified mobile, then a new password) and a new mobile number
-- (a code to the new number). Links and continuations are stored as SHA-256 only.
CREATE TABLE account_flows (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    purpose         TEXT NOT NULL,
    step            TEXT NOT NULL,
    link_sha256     TEXT UNIQUE,
    session_sha256  TEXT UNIQUE,
    new_mobile_e164 TEXT,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    finished_at     INTEGER
);
CREATE INDEX account_flows_account ON account_flows (account_id, purpose);
ALTER TABLE sms_codes ADD COLUMN flow_id TEXT REFERENCES account_flows (id) ON DELETE CASCADE;
CREATE INDEX sms_codes_flow ON sms_codes (flow_id) WHERE flow_id IS NOT NULL;

-- The request a message belongs to: a manager's page finds the undeliverable messages of
-- its own requests by this, never by matching recipients (which other organisations'
-- messages share).
ALTER TABLE outbox ADD COLUMN request_id TEXT;
