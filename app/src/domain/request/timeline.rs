//! [`TimelineEvent`]: the stored names of what a request's timeline records, with the
//! Dutch label the detail page shows. Every [`RequestEvent`] has its entry (same name);
//! the others are steps that do not move the state (a code sent, a wrong answer, a file
//! uploaded, a reminder). The list is the CHECK list of `request_events.event`.

use super::RequestEvent;

crate::domain::named_enum! {
    /// One entry of a request's timeline.
    TimelineEvent {
        Created = "created", "aanvraag ingediend";
        EmailSent = "email_sent", "e-mail verstuurd";
        EmailResent = "email_resent", "e-mail opnieuw verstuurd";
        EmailConfirmed = "email_confirmed", "e-mailadres bevestigd";
        EmailConfirmedForAccount = "email_confirmed_for_account", "e-mailadres bevestigd";
        SmsSent = "sms_sent", "sms-code verstuurd";
        SmsResent = "sms_resent", "sms-code opnieuw verstuurd";
        SmsWrong = "sms_wrong", "onjuiste sms-code ingevoerd";
        SmsConfirmed = "sms_confirmed", "sms-code bevestigd";
        UpgradeSmsConfirmed = "upgrade_sms_confirmed", "sms-code bevestigd";
        AccountSmsConfirmed = "account_sms_confirmed", "sms-code bevestigd";
        PasswordSet = "password_set", "wachtwoord ingesteld";
        PasswordProved = "password_proved", "bevestigd met het eigen wachtwoord";
        PasswordWrong = "password_wrong", "onjuist wachtwoord ingevoerd";
        MobileDiffers = "mobile_differs", "ander mobiel nummer dan bij de persoon bekend";
        IdUploaded = "id_uploaded", "identiteitsbewijs geüpload";
        IdApproved = "id_approved", "identiteitsbewijs goedgekeurd";
        InPersonRecorded = "in_person_recorded", "identificatie aan de balie vastgelegd";
        Reject = "reject", "afgewezen";
        Cancel = "cancel", "geannuleerd";
        Expire = "expire", "verlopen";
        CompleteAtOnce = "complete_at_once", "direct afgerond";
        RepresentativesAsked = "representatives_asked", "gebeurtenis";
        RepresentativesReminded = "representatives_reminded", "gebeurtenis";
        RepresentativeApproved = "representative_approved", "gebeurtenis";
        RepresentativesApproved = "representatives_approved", "gebeurtenis";
        RepresentativeRefused = "representative_refused", "gebeurtenis";
        ReviewApproved = "review_approved", "beoordeling goedgekeurd";
        ManagersNotified = "managers_notified", "bestaande beheerders per e-mail ingelicht";
        RegistrationObjected = "registration_objected", "bezwaar gemaakt door een beheerder";
    }
}

impl TimelineEvent {
    /// Steps the person takes themselves (before an account is known they carry no actor).
    pub fn by_person(self) -> bool {
        use TimelineEvent::*;
        matches!(
            self,
            EmailConfirmed
                | EmailConfirmedForAccount
                | SmsSent
                | SmsWrong
                | SmsConfirmed
                | AccountSmsConfirmed
                | UpgradeSmsConfirmed
                | PasswordSet
                | PasswordProved
                | PasswordWrong
                | IdUploaded
        )
    }
}

impl From<&RequestEvent> for TimelineEvent {
    fn from(e: &RequestEvent) -> TimelineEvent {
        use RequestEvent as E;
        use TimelineEvent as T;
        match e {
            E::EmailSent => T::EmailSent,
            E::EmailConfirmed => T::EmailConfirmed,
            E::EmailConfirmedForAccount => T::EmailConfirmedForAccount,
            E::PasswordProved => T::PasswordProved,
            E::SmsConfirmed => T::SmsConfirmed,
            E::PasswordSet { .. } => T::PasswordSet,
            E::UpgradeSmsConfirmed { .. } => T::UpgradeSmsConfirmed,
            E::AccountSmsConfirmed { .. } => T::AccountSmsConfirmed,
            E::IdApproved { .. } => T::IdApproved,
            E::InPersonRecorded => T::InPersonRecorded,
            E::Reject => T::Reject,
            E::Cancel => T::Cancel,
            E::Expire => T::Expire,
            E::RepresentativesAsked => T::RepresentativesAsked,
            E::RepresentativesApproved => T::RepresentativesApproved,
            E::RepresentativeRefused => T::RepresentativeRefused,
            E::ReviewApproved => T::ReviewApproved,
            E::CompleteAtOnce => T::CompleteAtOnce,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::means::IdentitySteps;

    #[test]
    fn every_request_event_keeps_its_name_on_the_timeline() {
        let steps = IdentitySteps::default();
        for e in [
            RequestEvent::EmailSent,
            RequestEvent::EmailConfirmed,
            RequestEvent::EmailConfirmedForAccount,
            RequestEvent::PasswordProved,
            RequestEvent::SmsConfirmed,
            RequestEvent::PasswordSet { steps },
            RequestEvent::UpgradeSmsConfirmed { steps },
            RequestEvent::AccountSmsConfirmed { steps },
            RequestEvent::IdApproved { in_person: true },
            RequestEvent::InPersonRecorded,
            RequestEvent::Reject,
            RequestEvent::Cancel,
            RequestEvent::Expire,
            RequestEvent::RepresentativesAsked,
            RequestEvent::RepresentativesApproved,
            RequestEvent::RepresentativeRefused,
            RequestEvent::ReviewApproved,
            RequestEvent::CompleteAtOnce,
        ] {
            assert_eq!(TimelineEvent::from(&e).as_str(), e.as_str());
        }
    }
}
