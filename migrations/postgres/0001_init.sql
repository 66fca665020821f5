-- Beheermodule schema (PostgreSQL). Keep in step with migrations/sqlite/0001_init.sql:
-- ids are UUID text, instants unix milliseconds (BIGINT), flags 0/1 BIGINT, so that one
-- code path (sqlx Any) reads both databases alike.

CREATE TABLE organisations (
    id            TEXT PRIMARY KEY,
    kvk_number    TEXT NOT NULL,
    branch_number TEXT,
    name          TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX organisations_kvk_branch ON organisations (kvk_number, COALESCE(branch_number, ''));

CREATE TABLE persons (
    id            TEXT PRIMARY KEY,
    given_names   TEXT NOT NULL,
    prefix        TEXT,
    surname       TEXT NOT NULL,
    birth_date    TEXT NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    mobile_e164   TEXT NOT NULL,
    password_hash TEXT,
    is_backoffice BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE means (
    id              TEXT PRIMARY KEY,
    person_id       TEXT NOT NULL REFERENCES persons (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    level           TEXT NOT NULL,
    state           TEXT NOT NULL,
    employed        BIGINT NOT NULL,
    valid_until     BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX means_one_live_per_person_org ON means (person_id, organisation_id) WHERE state <> 'cancelled';
CREATE INDEX means_org_state ON means (organisation_id, state);

CREATE TABLE services (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    provider       TEXT NOT NULL,
    required_level TEXT NOT NULL
);

CREATE TABLE authorisations (
    id                    TEXT PRIMARY KEY,
    means_id              TEXT NOT NULL REFERENCES means (id),
    organisation_id       TEXT NOT NULL REFERENCES organisations (id),
    scope                 TEXT NOT NULL,
    service_id            TEXT REFERENCES services (id),
    level                 TEXT NOT NULL,
    valid_from            BIGINT NOT NULL,
    valid_until           BIGINT NOT NULL,
    state                 TEXT NOT NULL,
    revoked_reason        TEXT,
    granted_by            TEXT REFERENCES persons (id),
    expiry_notice_sent_at BIGINT,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
CREATE INDEX authorisations_org_state ON authorisations (organisation_id, state);
CREATE INDEX authorisations_means ON authorisations (means_id);

CREATE TABLE batches (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    file_sha256     TEXT NOT NULL,
    row_count       BIGINT NOT NULL,
    state           TEXT NOT NULL,
    created_by      TEXT NOT NULL REFERENCES persons (id),
    created_at      BIGINT NOT NULL,
    UNIQUE (organisation_id, file_sha256)
);

CREATE TABLE requests (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    kind            TEXT NOT NULL,
    state           TEXT NOT NULL,
    person_id       TEXT REFERENCES persons (id),
    means_id        TEXT REFERENCES means (id),
    batch_id        TEXT REFERENCES batches (id),
    requested_by    TEXT REFERENCES persons (id),
    payload         TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    finished_at     BIGINT
);
CREATE INDEX requests_org_state ON requests (organisation_id, state, created_at);
CREATE INDEX requests_means ON requests (means_id);

CREATE TABLE request_events (
    id         TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests (id),
    at         BIGINT NOT NULL,
    actor      TEXT,
    event      TEXT NOT NULL,
    detail     TEXT NOT NULL
);
CREATE INDEX request_events_request ON request_events (request_id, at);

CREATE TABLE verification_tokens (
    token_sha256 TEXT PRIMARY KEY,
    request_id   TEXT NOT NULL REFERENCES requests (id),
    purpose      TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT,
    cancelled_at BIGINT
);
CREATE INDEX verification_tokens_request ON verification_tokens (request_id, purpose);

CREATE TABLE sessions (
    id_sha256          TEXT PRIMARY KEY,
    person_id          TEXT NOT NULL REFERENCES persons (id),
    organisation_id    TEXT REFERENCES organisations (id),
    second_factor_done BIGINT NOT NULL,
    created_at         BIGINT NOT NULL,
    expires_at         BIGINT NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);

-- One live code per owner: a request (activation) or a pending login session.
CREATE TABLE sms_codes (
    id            TEXT PRIMARY KEY,
    request_id    TEXT REFERENCES requests (id),
    session_id    TEXT REFERENCES sessions (id_sha256) ON DELETE CASCADE,
    code_hash     TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    tries_left    BIGINT NOT NULL,
    superseded_at BIGINT,
    used_at       BIGINT
);
CREATE INDEX sms_codes_request ON sms_codes (request_id);
CREATE INDEX sms_codes_session ON sms_codes (session_id);

CREATE TABLE audit_events (
    id              TEXT PRIMARY KEY,
    at              BIGINT NOT NULL,
    actor           TEXT,
    organisation_id TEXT,
    action          TEXT NOT NULL,
    target_kind     TEXT NOT NULL,
    target_id       TEXT NOT NULL,
    before_json     TEXT,
    after_json      TEXT
);
CREATE INDEX audit_events_org_at ON audit_events (organisation_id, at);

CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    channel         TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    subject         TEXT,
    body            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until   BIGINT,
    delivered_at    BIGINT,
    delivered_via   TEXT,
    last_error      TEXT
);
CREATE INDEX outbox_pending ON outbox (delivered_at, next_attempt_at);
