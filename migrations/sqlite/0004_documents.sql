-- Uploaded documents (ID copies for activation; later KvK extracts). The file lives on
-- disk under DOCUMENT_DIR, never in the database; the row remembers where, what and how big,
-- and keeps existing (with deleted_at) after the file is removed on decision.
CREATE TABLE documents (
    id           TEXT PRIMARY KEY,
    request_id   TEXT NOT NULL REFERENCES requests (id),
    kind         TEXT NOT NULL,
    storage_name TEXT NOT NULL,
    mime         TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    deleted_at   INTEGER
);
CREATE INDEX documents_request ON documents (request_id);
CREATE INDEX requests_state ON requests (state, updated_at);
