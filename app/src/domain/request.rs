//! Requests (*aanvragen*): every change goes through a request with a kind and a state.
//! This module owns the kinds, the states and the one state machine ([`transition`]).
//!
//! ```text
//! submitted ─EmailSent─▶ awaiting_email ─EmailConfirmed─▶ awaiting_sms ─SmsConfirmed─▶ awaiting_password
//! awaiting_password ─PasswordSet{steps}─▶ completed | awaiting_id_check | awaiting_in_person
//! awaiting_sms ─UpgradeSmsConfirmed{steps}─▶ completed | awaiting_id_check | awaiting_in_person
//!                                        (an upgrade: the person already has a password)
//! awaiting_email ─EmailConfirmedForAccount─▶ awaiting_password ─PasswordProved─▶ awaiting_sms
//! awaiting_sms ─AccountSmsConfirmed{steps}─▶ completed | awaiting_id_check | awaiting_in_person
//!                                        (a new means for an address that has an account: the
//!                                         holder proves it with its password and a code sent to
//!                                         its verified mobile; no new password)
//! awaiting_id_check ─IdApproved{in_person}─▶ awaiting_in_person | completed
//! awaiting_in_person ─InPersonRecorded─▶ completed
//! submitted ─RepresentativesAsked─▶ awaiting_representatives
//! awaiting_representatives ─RepresentativesApproved─▶ awaiting_review ─ReviewApproved─▶ completed
//! awaiting_representatives ─RepresentativeRefused─▶ refused
//! awaiting_id_check | awaiting_in_person | awaiting_review ─Reject─▶ rejected
//! submitted ─CompleteAtOnce─▶ completed            (grant, revoke, cancel means)
//! any open state ─Cancel─▶ cancelled, ─Expire─▶ expired
//! ```
//! Invariant: a final state (completed, cancelled, rejected, refused, expired) never changes.

use crate::domain::means::IdentitySteps;
use crate::domain::TransitionError;
use serde::{Deserialize, Serialize};

mod timeline;
pub use timeline::TimelineEvent;

super::named_enum! {
    /// What a request asks for.
    RequestKind {
        NewMeans = "new_means", "nieuw middel";
        UpgradeMeans = "upgrade_means", "upgrade middel";
        CancelMeans = "cancel_means", "middel opzeggen";
        Grant = "grant", "machtiging verlenen";
        Revoke = "revoke", "machtiging intrekken";
        ManagerRegistration = "manager_registration", "registratie beheerder";
    }
}

super::named_enum! {
    /// Where a request stands.
    RequestState {
        Submitted = "submitted", "ingediend";
        AwaitingEmail = "awaiting_email", "wacht op bevestiging e-mail";
        AwaitingSms = "awaiting_sms", "wacht op sms-code";
        AwaitingPassword = "awaiting_password", "wacht op wachtwoord";
        AwaitingIdCheck = "awaiting_id_check", "wacht op ID-controle";
        AwaitingInPerson = "awaiting_in_person", "wacht op identificatie aan de balie";
        AwaitingRepresentatives = "awaiting_representatives", "wacht op vertegenwoordiger";
        AwaitingReview = "awaiting_review", "wacht op beoordeling";
        Completed = "completed", "afgerond";
        Cancelled = "cancelled", "geannuleerd";
        Rejected = "rejected", "afgewezen";
        Refused = "refused", "geweigerd";
        Expired = "expired", "verlopen";
    }
}

impl RequestState {
    /// Completed, cancelled, rejected, refused or expired: nothing changes any more.
    pub fn is_final(self) -> bool {
        use RequestState::*;
        matches!(self, Completed | Cancelled | Rejected | Refused | Expired)
    }

    /// Still open (submitted or awaiting something): listed under Lopende aanvragen and
    /// cancellable. Exactly the states that are not final.
    pub fn is_waiting(self) -> bool {
        !self.is_final()
    }
}

/// Something that happened to a request. Serialised with an `event` tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RequestEvent {
    EmailSent,
    EmailConfirmed,
    /// The link confirmed for an address that already has an account: the holder proves
    /// it (password, then a code to its verified mobile) instead of creating one.
    EmailConfirmedForAccount,
    /// The account's own password given on an activation of a new means.
    PasswordProved,
    SmsConfirmed,
    PasswordSet {
        steps: IdentitySteps,
    },
    /// An upgrade's SMS code confirmed: the password step is skipped (the person has one)
    /// and the identity steps of the new level follow.
    UpgradeSmsConfirmed {
        steps: IdentitySteps,
    },
    /// The code sent to the account's verified mobile confirmed, after its password: the
    /// new means is bound to the account and the identity steps of its level follow.
    AccountSmsConfirmed {
        steps: IdentitySteps,
    },
    IdApproved {
        in_person: bool,
    },
    InPersonRecorded,
    Reject,
    Cancel,
    Expire,
    RepresentativesAsked,
    RepresentativesApproved,
    RepresentativeRefused,
    ReviewApproved,
    CompleteAtOnce,
}

impl RequestEvent {
    /// The stable name of the event kind, for timelines.
    pub fn as_str(&self) -> &'static str {
        use RequestEvent::*;
        match self {
            EmailSent => "email_sent",
            EmailConfirmed => "email_confirmed",
            EmailConfirmedForAccount => "email_confirmed_for_account",
            PasswordProved => "password_proved",
            SmsConfirmed => "sms_confirmed",
            PasswordSet { .. } => "password_set",
            UpgradeSmsConfirmed { .. } => "upgrade_sms_confirmed",
            AccountSmsConfirmed { .. } => "account_sms_confirmed",
            IdApproved { .. } => "id_approved",
            InPersonRecorded => "in_person_recorded",
            Reject => "reject",
            Cancel => "cancel",
            Expire => "expire",
            RepresentativesAsked => "representatives_asked",
            RepresentativesApproved => "representatives_approved",
            RepresentativeRefused => "representative_refused",
            ReviewApproved => "review_approved",
            CompleteAtOnce => "complete_at_once",
        }
    }

    /// The action in Dutch, as a verb phrase for messages and timelines.
    pub fn label_nl(&self) -> &'static str {
        use RequestEvent::*;
        match self {
            EmailSent => "e-mail versturen",
            EmailConfirmed | EmailConfirmedForAccount => "e-mailadres bevestigen",
            PasswordProved => "wachtwoord van het account bevestigen",
            SmsConfirmed | AccountSmsConfirmed { .. } => "sms-code bevestigen",
            PasswordSet { .. } => "wachtwoord instellen",
            UpgradeSmsConfirmed { .. } => "sms-code voor upgrade bevestigen",
            IdApproved { .. } => "ID-controle goedkeuren",
            InPersonRecorded => "identificatie aan de balie vastleggen",
            Reject => "afwijzen",
            Cancel => "annuleren",
            Expire => "laten verlopen",
            RepresentativesAsked => "vertegenwoordiger om goedkeuring vragen",
            RepresentativesApproved => "goedkeuren door vertegenwoordiger",
            RepresentativeRefused => "weigeren door vertegenwoordiger",
            ReviewApproved => "beoordeling goedkeuren",
            CompleteAtOnce => "direct afronden",
        }
    }
}

/// The next state of a request after `event`, or why the event does not fit.
pub fn transition(state: RequestState, event: &RequestEvent) -> Result<RequestState, TransitionError> {
    use RequestEvent as E;
    use RequestState as S;
    let next = match (state, *event) {
        (s, _) if s.is_final() => None,
        (_, E::Cancel) => Some(S::Cancelled),
        (_, E::Expire) => Some(S::Expired),
        (S::Submitted, E::EmailSent) => Some(S::AwaitingEmail),
        (S::AwaitingEmail, E::EmailConfirmed) => Some(S::AwaitingSms),
        (S::AwaitingEmail, E::EmailConfirmedForAccount) => Some(S::AwaitingPassword),
        (S::AwaitingPassword, E::PasswordProved) => Some(S::AwaitingSms),
        (S::AwaitingSms, E::SmsConfirmed) => Some(S::AwaitingPassword),
        (S::AwaitingPassword, E::PasswordSet { steps })
        | (S::AwaitingSms, E::UpgradeSmsConfirmed { steps })
        | (S::AwaitingSms, E::AccountSmsConfirmed { steps }) => Some(if steps.id_check {
            S::AwaitingIdCheck
        } else if steps.in_person {
            S::AwaitingInPerson
        } else {
            S::Completed
        }),
        (S::AwaitingIdCheck, E::IdApproved { in_person: true }) => Some(S::AwaitingInPerson),
        (S::AwaitingIdCheck, E::IdApproved { in_person: false }) => Some(S::Completed),
        (S::AwaitingInPerson, E::InPersonRecorded) => Some(S::Completed),
        (S::AwaitingIdCheck | S::AwaitingInPerson | S::AwaitingReview, E::Reject) => Some(S::Rejected),
        (S::Submitted, E::RepresentativesAsked) => Some(S::AwaitingRepresentatives),
        (S::AwaitingRepresentatives, E::RepresentativesApproved) => Some(S::AwaitingReview),
        (S::AwaitingRepresentatives, E::RepresentativeRefused) => Some(S::Refused),
        (S::AwaitingReview, E::ReviewApproved) => Some(S::Completed),
        (S::Submitted, E::CompleteAtOnce) => Some(S::Completed),
        _ => None,
    };
    next.ok_or_else(|| TransitionError::new(state.label_nl(), event.label_nl()))
}

#[cfg(test)]
mod tests;
