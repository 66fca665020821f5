-- CSV uploads arrive in chunks (each request body stays small) and are committed as one.
CREATE TABLE upload_chunks (
    batch_id TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    idx      BIGINT NOT NULL,
    data     TEXT NOT NULL,
    PRIMARY KEY (batch_id, idx)
);
CREATE INDEX means_person ON means (person_id);
CREATE INDEX persons_surname ON persons (surname);
