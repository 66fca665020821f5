//! The audit trail: typed, append-only records of every change and every login attempt.
//!
//! This module owns the vocabulary ([`AuditAction`], [`TargetKind`], both with stable
//! stored names) and the event shape ([`AuditEvent`]). Writing the event in the same
//! transaction as the change is the server's job; the time is the database's (UTC).
//!
//! **Never put secrets in an event**: no passwords, SMS codes, link tokens, session ids or
//! password hashes in `before`/`after`, and no ID-document contents. Record *that*
//! something was set, not its value.

use serde::{Deserialize, Serialize};

super::named_enum! {
    /// What happened.
    AuditAction {
        LoginSucceeded = "login_succeeded", "ingelogd";
        LoginFailed = "login_failed", "inloggen mislukt";
        SecondFactorSent = "second_factor_sent", "sms-code verstuurd";
        SecondFactorFailed = "second_factor_failed", "sms-code onjuist";
        SecondFactorSucceeded = "second_factor_succeeded", "sms-code juist";
        LoggedOut = "logged_out", "uitgelogd";
        OrganisationSwitched = "organisation_switched", "andere organisatie gekozen";
        OrganisationCreated = "organisation_created", "organisatie aangemaakt";
        PersonCreated = "person_created", "persoon aangemaakt";
        MeansRequested = "means_requested", "middel aangevraagd";
        MeansActivated = "means_activated", "middel geactiveerd";
        MeansUpgradeStarted = "means_upgrade_started", "upgrade middel gestart";
        MeansUpgraded = "means_upgraded", "middel geüpgraded";
        MeansUpgradeAborted = "means_upgrade_aborted", "upgrade middel afgebroken";
        MeansCancelled = "means_cancelled", "middel opgezegd";
        MeansExpired = "means_expired", "middel verlopen";
        AuthorisationGranted = "authorisation_granted", "machtiging verleend";
        AuthorisationRevoked = "authorisation_revoked", "machtiging ingetrokken";
        AuthorisationReactivated = "authorisation_reactivated", "machtiging opnieuw actief";
        AuthorisationExpired = "authorisation_expired", "machtiging verlopen";
        RequestCreated = "request_created", "aanvraag ingediend";
        RequestAdvanced = "request_advanced", "aanvraag een stap verder";
        RequestCancelled = "request_cancelled", "aanvraag geannuleerd";
        RequestCompleted = "request_completed", "aanvraag afgerond";
        RequestRejected = "request_rejected", "aanvraag afgewezen";
        RequestRefused = "request_refused", "aanvraag geweigerd door vertegenwoordiger";
        RepresentativeAnswered = "representative_answered", "vertegenwoordiger heeft geantwoord";
        RegistrationDecided = "registration_decided", "aanmelding beheerder beoordeeld";
        RegistrationObjected = "registration_objected", "bezwaar van een beheerder tegen een aanmelding";
        RequestExpired = "request_expired", "aanvraag verlopen";
        MessageResent = "message_resent", "bericht opnieuw verstuurd";
        PasswordSet = "password_set", "wachtwoord ingesteld";
        AccountCreated = "account_created", "account aangemaakt";
        MeansBound = "means_bound", "middel aan account gekoppeld";
        AccountProofFailed = "account_proof_failed", "onjuist wachtwoord bij activatie";
        LoginRefused = "login_refused", "inloggen geweigerd: geen actief middel";
        AccountLocked = "account_locked", "inloggen tijdelijk geblokkeerd na te veel onjuiste pogingen";
        PasswordChanged = "password_changed", "wachtwoord gewijzigd";
        PasswordResetRequested = "password_reset_requested", "wachtwoord vergeten gemeld";
        PasswordReset = "password_reset", "nieuw wachtwoord ingesteld na vergeten";
        MobileChangeStarted = "mobile_change_started", "wijziging mobiel nummer gestart";
        MobileChanged = "mobile_changed", "mobiel nummer gewijzigd";
        DocumentUploaded = "document_uploaded", "document geüpload";
        DocumentDeleted = "document_deleted", "document verwijderd";
        DocumentViewed = "document_viewed", "document bekeken";
        BatchUploaded = "batch_uploaded", "bestand met aanvragen verwerkt";
        ServiceCatalogueSeeded = "service_catalogue_seeded", "dienstencatalogus gevuld";
        DemoSeeded = "demo_seeded", "demogegevens aangemaakt";
    }
}

super::named_enum! {
    /// What kind of thing an event is about. `person` is what events stored before
    /// accounts existed name; new events name the `account`.
    TargetKind {
        Organisation = "organisation", "organisatie";
        Person = "person", "persoon";
        Account = "account", "account";
        Means = "means", "middel";
        Authorisation = "authorisation", "machtiging";
        Request = "request", "aanvraag";
        Session = "session", "sessie";
        Service = "service", "dienst";
        Batch = "batch", "bestand";
        Document = "document", "document";
    }
}

/// One audit record. Build with [`AuditEvent::new`] and the builder methods.
///
/// `before`/`after` hold the relevant state as JSON. Never secrets (see module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub action: AuditAction,
    /// Who did it (an account id); `None` for the system and anonymous attempts.
    pub actor: Option<String>,
    pub organisation_id: Option<String>,
    pub target_kind: TargetKind,
    pub target_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl AuditEvent {
    pub fn new(action: AuditAction, target_kind: TargetKind, target_id: impl Into<String>) -> Self {
        AuditEvent {
            action,
            actor: None,
            organisation_id: None,
            target_kind,
            target_id: target_id.into(),
            before: None,
            after: None,
        }
    }

    pub fn actor(mut self, actor: impl Into<String>) -> Self {
        self.actor = Some(actor.into());
        self
    }

    pub fn organisation(mut self, organisation_id: impl Into<String>) -> Self {
        self.organisation_id = Some(organisation_id.into());
        self
    }

    /// State before the change. Never include secrets.
    pub fn before(mut self, value: serde_json::Value) -> Self {
        self.before = Some(value);
        self
    }

    /// State after the change. Never include secrets.
    pub fn after(mut self, value: serde_json::Value) -> Self {
        self.after = Some(value);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn builds_an_event() {
        let e = AuditEvent::new(AuditAction::MeansCancelled, TargetKind::Means, "m1")
            .actor("p1")
            .organisation("o1")
            .before(json!({"state": "active"}))
            .after(json!({"state": "cancelled"}));
        assert_eq!(e.actor.as_deref(), Some("p1"));
        assert_eq!(e.organisation_id.as_deref(), Some("o1"));
        assert_eq!(e.after, Some(json!({"state": "cancelled"})));
        let text = serde_json::to_string(&e).unwrap();
        assert!(text.contains(r#""action":"means_cancelled""#));
        assert!(text.contains(r#""target_kind":"means""#));
        assert_eq!(serde_json::from_str::<AuditEvent>(&text).unwrap(), e);
    }

    #[test]
    fn required_actions_exist_with_stable_names() {
        for (a, name) in [
            (AuditAction::LoginSucceeded, "login_succeeded"),
            (AuditAction::SecondFactorSucceeded, "second_factor_succeeded"),
            (AuditAction::AuthorisationReactivated, "authorisation_reactivated"),
            (AuditAction::ServiceCatalogueSeeded, "service_catalogue_seeded"),
            (AuditAction::DemoSeeded, "demo_seeded"),
        ] {
            assert_eq!(a.as_str(), name);
        }
        assert_eq!(TargetKind::Batch.as_str(), "batch");
    }

    #[test]
    fn names_are_unique_and_serde_matches_as_str() {
        let mut names: Vec<_> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), AuditAction::ALL.len());
        for a in AuditAction::ALL {
            assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{}\"", a.as_str()));
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
            assert!(!a.label_nl().is_empty());
        }
        for t in TargetKind::ALL {
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{}\"", t.as_str()));
            assert_eq!(TargetKind::parse(t.as_str()), Some(t));
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_only_accepts_exact_names(s in "[a-z_]{0,30}|.{0,30}") {
            if let Some(a) = AuditAction::parse(&s) { prop_assert_eq!(a.as_str(), s.as_str()); }
            if let Some(t) = TargetKind::parse(&s) { prop_assert_eq!(t.as_str(), s.as_str()); }
        }
    }
}
