-- Fewer index entries per new means request (a batch of 50,000 wrote every one of them).
-- Covered by a wider index with the same leading columns:
--   persons (surname)                 -> persons_name (surname, given_names, id)
--   means (organisation_id, state)    -> means_org_level_state (organisation_id, level, state)
--   request_events (request_id, at)   -> request_events_request_event (request_id, event, at)
DROP INDEX persons_surname;
DROP INDEX means_org_state;
DROP INDEX request_events_request;
-- requests (state, updated_at) served only the back-office queue: index just its states,
-- so requests in any other state (every new one) need no entry.
DROP INDEX requests_state;
CREATE INDEX requests_backoffice_queue ON requests (updated_at, id)
    WHERE state IN ('awaiting_id_check', 'awaiting_in_person');
