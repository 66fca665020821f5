-- Every column that stores an enum's name allows exactly the names of that enum's table
-- in Rust (`app/src/server/db/stored.rs` lists the enums; `server/tests/api/storage_checks.rs`
-- keeps both lists equal). A name added in Rust needs a migration that widens its list.
-- `outbox.template` is left out on purpose: a newer build may write a template this one
-- does not know, and such a row is kept, unclaimed (see `db::outbox`).

ALTER TABLE means ADD CONSTRAINT means_level_names CHECK (level IN ('EH2', 'EH2+', 'EH3', 'EH4'));
ALTER TABLE means ADD CONSTRAINT means_state_names CHECK (state IN ('requested', 'active', 'upgrade_pending', 'cancelled', 'expired'));
ALTER TABLE services ADD CONSTRAINT services_required_level_names CHECK (required_level IN ('EH2', 'EH2+', 'EH3', 'EH4'));
ALTER TABLE authorisations ADD CONSTRAINT authorisations_scope_names CHECK (scope IN ('service', 'up_to_level', 'manage'));
ALTER TABLE authorisations ADD CONSTRAINT authorisations_level_names CHECK (level IN ('EH2', 'EH2+', 'EH3', 'EH4'));
ALTER TABLE authorisations ADD CONSTRAINT authorisations_state_names CHECK (state IN ('active', 'revoked', 'expired'));
ALTER TABLE batches ADD CONSTRAINT batches_state_names CHECK (state IN ('staged', 'committed'));
ALTER TABLE requests ADD CONSTRAINT requests_kind_names CHECK (kind IN ('new_means', 'upgrade_means', 'cancel_means', 'grant', 'revoke', 'manager_registration'));
ALTER TABLE requests ADD CONSTRAINT requests_state_names CHECK (state IN ('submitted', 'awaiting_email', 'awaiting_sms', 'awaiting_password', 'awaiting_id_check', 'awaiting_in_person', 'awaiting_representatives', 'awaiting_review', 'completed', 'cancelled', 'rejected', 'refused', 'expired'));
ALTER TABLE request_events ADD CONSTRAINT request_events_event_names CHECK (event IN ('created', 'email_sent', 'email_resent', 'email_confirmed', 'email_confirmed_for_account', 'sms_sent', 'sms_resent', 'sms_wrong', 'sms_confirmed', 'upgrade_sms_confirmed', 'account_sms_confirmed', 'password_set', 'password_proved', 'password_wrong', 'mobile_differs', 'id_uploaded', 'id_approved', 'in_person_recorded', 'reject', 'cancel', 'expire', 'complete_at_once', 'representatives_asked', 'representatives_reminded', 'representative_approved', 'representatives_approved', 'representative_refused', 'review_approved', 'managers_notified', 'registration_objected'));
ALTER TABLE verification_tokens ADD CONSTRAINT verification_tokens_purpose_names CHECK (purpose IN ('activate', 'activation_session', 'approve_registration', 'registration_status', 'object_registration'));
ALTER TABLE account_flows ADD CONSTRAINT account_flows_purpose_names CHECK (purpose IN ('password_reset', 'mobile_change'));
ALTER TABLE account_flows ADD CONSTRAINT account_flows_step_names CHECK (step IN ('awaiting_link', 'awaiting_sms', 'awaiting_password', 'done'));
ALTER TABLE audit_events ADD CONSTRAINT audit_events_action_names CHECK (action IN ('login_succeeded', 'login_failed', 'second_factor_sent', 'second_factor_failed', 'second_factor_succeeded', 'logged_out', 'organisation_switched', 'organisation_created', 'person_created', 'means_requested', 'means_activated', 'means_upgrade_started', 'means_upgraded', 'means_upgrade_aborted', 'means_cancelled', 'means_expired', 'authorisation_granted', 'authorisation_revoked', 'authorisation_reactivated', 'authorisation_expired', 'request_created', 'request_advanced', 'request_cancelled', 'request_completed', 'request_rejected', 'request_refused', 'representative_answered', 'registration_decided', 'registration_objected', 'request_expired', 'message_resent', 'password_set', 'account_created', 'means_bound', 'account_proof_failed', 'login_refused', 'account_locked', 'password_changed', 'password_reset_requested', 'password_reset', 'mobile_change_started', 'mobile_changed', 'document_uploaded', 'document_deleted', 'document_viewed', 'batch_uploaded', 'service_catalogue_seeded', 'demo_seeded'));
ALTER TABLE audit_events ADD CONSTRAINT audit_events_target_kind_names CHECK (target_kind IN ('organisation', 'person', 'account', 'means', 'authorisation', 'request', 'session', 'service', 'batch', 'document'));
ALTER TABLE documents ADD CONSTRAINT documents_kind_names CHECK (kind IN ('id_copy', 'kvk_extract'));
ALTER TABLE registrations ADD CONSTRAINT registrations_requested_level_names CHECK (requested_level IN ('EH2', 'EH2+', 'EH3', 'EH4'));
ALTER TABLE login_attempts ADD CONSTRAINT login_attempts_kind_names CHECK (kind IN ('password_wrong', 'code_wrong', 'success', 'lock', 'sms_sent'));
ALTER TABLE outbox ADD CONSTRAINT outbox_channel_names CHECK (channel IN ('email', 'sms'));
