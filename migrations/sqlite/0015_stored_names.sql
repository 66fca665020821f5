-- Every column that stores an enum's name allows exactly the names of that enum's table
-- in Rust (`app/src/server/db/stored.rs` lists the enums; `server/tests/api/storage_checks.rs`
-- keeps both lists equal). A name added in Rust needs a migration that widens its list.
-- `outbox.template` is left out on purpose: a newer build may write a template this one
-- does not know, and such a row is kept, unclaimed (see `db::outbox`).
-- SQLite cannot add a constraint to an existing table: triggers refuse the same rows,
-- on insert and on an update of the column.

CREATE TRIGGER means_level_names_insert BEFORE INSERT ON means
WHEN NEW.level IS NOT NULL AND NEW.level NOT IN ('EH2', 'EH2+', 'EH3', 'EH4')
BEGIN SELECT RAISE(ABORT, 'means.level: unknown AssuranceLevel name'); END;
CREATE TRIGGER means_level_names_update BEFORE UPDATE OF level ON means
WHEN NEW.level IS NOT NULL AND NEW.level NOT IN ('EH2', 'EH2+', 'EH3', 'EH4')
BEGIN SELECT RAISE(ABORT, 'means.level: unknown AssuranceLevel name'); END;

CREATE TRIGGER means_state_names_insert BEFORE INSERT ON means
WHEN NEW.state IS NOT NULL AND NEW.state NOT IN ('requested', 'active', 'upgrade_pending', 'cancelled', 'expired')
BEGIN SELECT RAISE(ABORT, 'means.state: unknown MeansState name'); END;
CREATE TRIGGER means_state_names_update BEFORE UPDATE OF state ON means
WHEN NEW.state IS NOT NULL AND NEW.state NOT IN ('requested', 'active', 'upgrade_pending', 'cancelled', 'expired')
BEGIN SELECT RAISE(ABORT, 'means.state: unknown MeansState name'); END;

CREATE TRIGGER services_required_level_names_insert BEFORE INSERT ON services
WHEN NEW.required_level IS NOT NULL AND NEW.required_level NOT IN ('EH2', 'EH2+', 'EH3', 'EH4')
BEGIN SELECT RAISE(ABORT, 'services.required_level: unknown AssuranceLevel name'); END;
CREATE TRIGGER services_required_level_names_update BEFORE UPDATE OF required_level ON services
WHEN NEW.required_level IS NOT NULL AND NEW.required_level NOT IN ('EH2', 'EH2+', 'EH3', 'EH4')
BEGIN SELECT RAISE(ABORT, 'services.required_level: unknown AssuranceLevel name'); END;

CREATE TRIGGER authorisations_scope_names_insert BEFORE INSERT ON authorisations
WHEN NEW.scope IS NOT NULL AND NEW.scope NOT IN ('service', 'up_to_level', 'manage')
BEGIN SELECT RAISE(ABORT, 'authorisations.scope: unknown ScopeKind name'); END;
CREATE TRIGGER authorisations_scope_names_update BEFORE UPDATE OF scope ON authorisations
WHEN NEW.scope IS NOT NULL AND NEW.scope NOT IN ('service', 'up_to_level', 'manage')
BEGIN SELECT RAISE(ABORT, 'authorisations.scope: unknown ScopeKind name'); END;

CREATE TRIGGER authorisations_level_names_insert BEFORE INSERT ON authorisations
WHEN NEW.level IS NOT NULL AND NEW.level NOT IN ('EH2', 'EH2+', 'EH3', 'EH4')
BEGIN SELECT RAISE(ABORT, 'authorisations.level: unknown AssuranceLevel name'); END;
CREATE TRIGGER authorisations_level_names_update BEFORE UPDATE OF level ON authorisations
WHEN NEW.level IS NOT NULL AND NEW.level NOT IN ('EH2', 'EH2+', 'EH3', 'EH4')
BEGIN SELECT RAISE(ABORT, 'authorisations.level: unknown AssuranceLevel name'); END;

CREATE TRIGGER authorisations_state_names_insert BEFORE INSERT ON authorisations
WHEN NEW.state IS NOT NULL AND NEW.state NOT IN ('active', 'revoked', 'expired')
BEGIN SELECT RAISE(ABORT, 'authorisations.state: unknown AuthorisationState name'); END;
CREATE TRIGGER authorisations_state_names_update BEFORE UPDATE OF state ON authorisations
WHEN NEW.state IS NOT NULL AND NEW.state NOT IN ('active', 'revoked', 'expired')
BEGIN SELECT RAISE(ABORT, 'authorisations.state: unknown AuthorisationState name'); END;

CREATE TRIGGER batches_state_names_insert BEFORE INSERT ON batches
WHEN NEW.state IS NOT NULL AND NEW.state NOT IN ('staged', 'committed')
BEGIN SELECT RAISE(ABORT, 'batches.state: unknown BatchState name'); END;
CREATE TRIGGER batches_state_names_update BEFORE UPDATE OF state ON batches
WHEN NEW.state IS NOT NULL AND NEW.state NOT IN ('staged', 'committed')
BEGIN SELECT RAISE(ABORT, 'batches.state: unknown BatchState name'); END;

CREATE TRIGGER requests_kind_names_insert BEFORE INSERT ON requests
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('new_means', 'upgrade_means', 'cancel_means', 'grant', 'revoke', 'manager_registration')
BEGIN SELECT RAISE(ABORT, 'requests.kind: unknown RequestKind name'); END;
CREATE TRIGGER requests_kind_names_update BEFORE UPDATE OF kind ON requests
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('new_means', 'upgrade_means', 'cancel_means', 'grant', 'revoke', 'manager_registration')
BEGIN SELECT RAISE(ABORT, 'requests.kind: unknown RequestKind name'); END;

CREATE TRIGGER requests_state_names_insert BEFORE INSERT ON requests
WHEN NEW.state IS NOT NULL AND NEW.state NOT IN ('submitted', 'awaiting_email', 'awaiting_sms', 'awaiting_password', 'awaiting_id_check', 'awaiting_in_person', 'awaiting_representatives', 'awaiting_review', 'completed', 'cancelled', 'rejected', 'refused', 'expired')
BEGIN SELECT RAISE(ABORT, 'requests.state: unknown RequestState name'); END;
CREATE TRIGGER requests_state_names_update BEFORE UPDATE OF state ON requests
WHEN NEW.state IS NOT NULL AND NEW.state NOT IN ('submitted', 'awaiting_email', 'awaiting_sms', 'awaiting_password', 'awaiting_id_check', 'awaiting_in_person', 'awaiting_representatives', 'awaiting_review', 'completed', 'cancelled', 'rejected', 'refused', 'expired')
BEGIN SELECT RAISE(ABORT, 'requests.state: unknown RequestState name'); END;

CREATE TRIGGER request_events_event_names_insert BEFORE INSERT ON request_events
WHEN NEW.event IS NOT NULL AND NEW.event NOT IN ('created', 'email_sent', 'email_resent', 'email_confirmed', 'email_confirmed_for_account', 'sms_sent', 'sms_resent', 'sms_wrong', 'sms_confirmed', 'upgrade_sms_confirmed', 'account_sms_confirmed', 'password_set', 'password_proved', 'password_wrong', 'mobile_differs', 'id_uploaded', 'id_approved', 'in_person_recorded', 'reject', 'cancel', 'expire', 'complete_at_once', 'representatives_asked', 'representatives_reminded', 'representative_approved', 'representatives_approved', 'representative_refused', 'review_approved', 'managers_notified', 'registration_objected')
BEGIN SELECT RAISE(ABORT, 'request_events.event: unknown TimelineEvent name'); END;
CREATE TRIGGER request_events_event_names_update BEFORE UPDATE OF event ON request_events
WHEN NEW.event IS NOT NULL AND NEW.event NOT IN ('created', 'email_sent', 'email_resent', 'email_confirmed', 'email_confirmed_for_account', 'sms_sent', 'sms_resent', 'sms_wrong', 'sms_confirmed', 'upgrade_sms_confirmed', 'account_sms_confirmed', 'password_set', 'password_proved', 'password_wrong', 'mobile_differs', 'id_uploaded', 'id_approved', 'in_person_recorded', 'reject', 'cancel', 'expire', 'complete_at_once', 'representatives_asked', 'representatives_reminded', 'representative_approved', 'representatives_approved', 'representative_refused', 'review_approved', 'managers_notified', 'registration_objected')
BEGIN SELECT RAISE(ABORT, 'request_events.event: unknown TimelineEvent name'); END;

CREATE TRIGGER verification_tokens_purpose_names_insert BEFORE INSERT ON verification_tokens
WHEN NEW.purpose IS NOT NULL AND NEW.purpose NOT IN ('activate', 'activation_session', 'approve_registration', 'registration_status', 'object_registration')
BEGIN SELECT RAISE(ABORT, 'verification_tokens.purpose: unknown Purpose name'); END;
CREATE TRIGGER verification_tokens_purpose_names_update BEFORE UPDATE OF purpose ON verification_tokens
WHEN NEW.purpose IS NOT NULL AND NEW.purpose NOT IN ('activate', 'activation_session', 'approve_registration', 'registration_status', 'object_registration')
BEGIN SELECT RAISE(ABORT, 'verification_tokens.purpose: unknown Purpose name'); END;

CREATE TRIGGER account_flows_purpose_names_insert BEFORE INSERT ON account_flows
WHEN NEW.purpose IS NOT NULL AND NEW.purpose NOT IN ('password_reset', 'mobile_change')
BEGIN SELECT RAISE(ABORT, 'account_flows.purpose: unknown FlowPurpose name'); END;
CREATE TRIGGER account_flows_purpose_names_update BEFORE UPDATE OF purpose ON account_flows
WHEN NEW.purpose IS NOT NULL AND NEW.purpose NOT IN ('password_reset', 'mobile_change')
BEGIN SELECT RAISE(ABORT, 'account_flows.purpose: unknown FlowPurpose name'); END;

CREATE TRIGGER account_flows_step_names_insert BEFORE INSERT ON account_flows
WHEN NEW.step IS NOT NULL AND NEW.step NOT IN ('awaiting_link', 'awaiting_sms', 'awaiting_password', 'done')
BEGIN SELECT RAISE(ABORT, 'account_flows.step: unknown FlowStep name'); END;
CREATE TRIGGER account_flows_step_names_update BEFORE UPDATE OF step ON account_flows
WHEN NEW.step IS NOT NULL AND NEW.step NOT IN ('awaiting_link', 'awaiting_sms', 'awaiting_password', 'done')
BEGIN SELECT RAISE(ABORT, 'account_flows.step: unknown FlowStep name'); END;

CREATE TRIGGER audit_events_action_names_insert BEFORE INSERT ON audit_events
WHEN NEW.action IS NOT NULL AND NEW.action NOT IN ('login_succeeded', 'login_failed', 'second_factor_sent', 'second_factor_failed', 'second_factor_succeeded', 'logged_out', 'organisation_switched', 'organisation_created', 'person_created', 'means_requested', 'means_activated', 'means_upgrade_started', 'means_upgraded', 'means_upgrade_aborted', 'means_cancelled', 'means_expired', 'authorisation_granted', 'authorisation_revoked', 'authorisation_reactivated', 'authorisation_expired', 'request_created', 'request_advanced', 'request_cancelled', 'request_completed', 'request_rejected', 'request_refused', 'representative_answered', 'registration_decided', 'registration_objected', 'request_expired', 'message_resent', 'password_set', 'account_created', 'means_bound', 'account_proof_failed', 'login_refused', 'account_locked', 'password_changed', 'password_reset_requested', 'password_reset', 'mobile_change_started', 'mobile_changed', 'document_uploaded', 'document_deleted', 'document_viewed', 'batch_uploaded', 'service_catalogue_seeded', 'demo_seeded')
BEGIN SELECT RAISE(ABORT, 'audit_events.action: unknown AuditAction name'); END;
CREATE TRIGGER audit_events_action_names_update BEFORE UPDATE OF action ON audit_events
WHEN NEW.action IS NOT NULL AND NEW.action NOT IN ('login_succeeded', 'login_failed', 'second_factor_sent', 'second_factor_failed', 'second_factor_succeeded', 'logged_out', 'organisation_switched', 'organisation_created', 'person_created', 'means_requested', 'means_activated', 'means_upgrade_started', 'means_upgraded', 'means_upgrade_aborted', 'means_cancelled', 'means_expired', 'authorisation_granted', 'authorisation_revoked', 'authorisation_reactivated', 'authorisation_expired', 'request_created', 'request_advanced', 'request_cancelled', 'request_completed', 'request_rejected', 'request_refused', 'representative_answered', 'registration_decided', 'registration_objected', 'request_expired', 'message_resent', 'password_set', 'account_created', 'means_bound', 'account_proof_failed', 'login_refused', 'account_locked', 'password_changed', 'password_reset_requested', 'password_reset', 'mobile_change_started', 'mobile_changed', 'document_uploaded', 'document_deleted', 'document_viewed', 'batch_uploaded', 'service_catalogue_seeded', 'demo_seeded')
BEGIN SELECT RAISE(ABORT, 'audit_events.action: unknown AuditAction name'); END;

CREATE TRIGGER audit_events_target_kind_names_insert BEFORE INSERT ON audit_events
WHEN NEW.target_kind IS NOT NULL AND NEW.target_kind NOT IN ('organisation', 'person', 'account', 'means', 'authorisation', 'request', 'session', 'service', 'batch', 'document')
BEGIN SELECT RAISE(ABORT, 'audit_events.target_kind: unknown TargetKind name'); END;
CREATE TRIGGER audit_events_target_kind_names_update BEFORE UPDATE OF target_kind ON audit_events
WHEN NEW.target_kind IS NOT NULL AND NEW.target_kind NOT IN ('organisation', 'person', 'account', 'means', 'authorisation', 'request', 'session', 'service', 'batch', 'document')
BEGIN SELECT RAISE(ABORT, 'audit_events.target_kind: unknown TargetKind name'); END;

CREATE TRIGGER documents_kind_names_insert BEFORE INSERT ON documents
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('id_copy', 'kvk_extract')
BEGIN SELECT RAISE(ABORT, 'documents.kind: unknown DocumentKind name'); END;
CREATE TRIGGER documents_kind_names_update BEFORE UPDATE OF kind ON documents
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('id_copy', 'kvk_extract')
BEGIN SELECT RAISE(ABORT, 'documents.kind: unknown DocumentKind name'); END;

CREATE TRIGGER registrations_requested_level_names_insert BEFORE INSERT ON registrations
WHEN NEW.requested_level IS NOT NULL AND NEW.requested_level NOT IN ('EH2', 'EH2+', 'EH3', 'EH4')
BEGIN SELECT RAISE(ABORT, 'registrations.requested_level: unknown AssuranceLevel name'); END;
CREATE TRIGGER registrations_requested_level_names_update BEFORE UPDATE OF requested_level ON registrations
WHEN NEW.requested_level IS NOT NULL AND NEW.requested_level NOT IN ('EH2', 'EH2+', 'EH3', 'EH4')
BEGIN SELECT RAISE(ABORT, 'registrations.requested_level: unknown AssuranceLevel name'); END;

CREATE TRIGGER login_attempts_kind_names_insert BEFORE INSERT ON login_attempts
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('password_wrong', 'code_wrong', 'success', 'lock', 'sms_sent')
BEGIN SELECT RAISE(ABORT, 'login_attempts.kind: unknown AttemptKind name'); END;
CREATE TRIGGER login_attempts_kind_names_update BEFORE UPDATE OF kind ON login_attempts
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('password_wrong', 'code_wrong', 'success', 'lock', 'sms_sent')
BEGIN SELECT RAISE(ABORT, 'login_attempts.kind: unknown AttemptKind name'); END;

CREATE TRIGGER outbox_channel_names_insert BEFORE INSERT ON outbox
WHEN NEW.channel IS NOT NULL AND NEW.channel NOT IN ('email', 'sms')
BEGIN SELECT RAISE(ABORT, 'outbox.channel: unknown Channel name'); END;
CREATE TRIGGER outbox_channel_names_update BEFORE UPDATE OF channel ON outbox
WHEN NEW.channel IS NOT NULL AND NEW.channel NOT IN ('email', 'sms')
BEGIN SELECT RAISE(ABORT, 'outbox.channel: unknown Channel name'); END;
