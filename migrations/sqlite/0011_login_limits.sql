-- Login limits kept in the database, so that they hold across instances. Keep in step with
-- the other migrations tree.
--
-- One row per outcome of a login step for a login name (the typed e-mail address,
-- normalised and hashed: unknown addresses are limited exactly like known ones). Delays
-- and locks are computed from these rows (`domain::login_limit`); a completed login
-- ('success') starts the count again.
CREATE TABLE login_attempts (
    id      TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    kind    TEXT NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX login_attempts_subject ON login_attempts (subject, kind, at);
CREATE INDEX login_attempts_at ON login_attempts (at);
