-- Lopende aanvragen: open requests of an organisation by age, finished ones by when they
-- ended, and the expiry job's scan of open requests without recent activity.
CREATE INDEX requests_open_by_age ON requests (organisation_id, created_at, id) WHERE finished_at IS NULL;
CREATE INDEX requests_finished_by_time ON requests (organisation_id, finished_at, id) WHERE finished_at IS NOT NULL;
CREATE INDEX requests_open_by_activity ON requests (updated_at) WHERE finished_at IS NULL;
CREATE INDEX request_events_request_event ON request_events (request_id, event, at);
