//! The texts of the e-mails the public wizard causes. Everything a stranger typed
//! (organisation name, names, e-mail addresses, reasons) goes through
//! [`crate::domain::mail_text::plain`] here, so it reaches an inbox as inert text, never as
//! a link: an attacker who names an organisation `Belastingdienst http://phish.example`
//! gets no clickable link into a message from us. Links of our own stand on a line of
//! their own.

use crate::domain::mail_text::plain;
use crate::domain::registration::Registration;
use crate::server::service::registration::PersonRecord;

/// Cap for an organisation name in a mail (the parser allows longer names).
const ORG_CHARS: usize = 120;
const NAME_CHARS: usize = 120;
const REASON_CHARS: usize = 500;

pub fn org(name: &str) -> String {
    plain(name, ORG_CHARS)
}

pub fn name(name: &str) -> String {
    plain(name, NAME_CHARS)
}

pub fn reason(text: &str) -> String {
    plain(text, REASON_CHARS)
}

/// To a representative: approve or refuse, with the link.
pub fn approval(rep: &PersonRecord, reg: &Registration, link: &str) -> String {
    format!(
        "Beste {},\n\n{} heeft zich aangemeld als machtigingenbeheerder (niveau {}) voor {} (KvK {}).\n\
         U staat opgegeven als bevoegd vertegenwoordiger. Open de link hieronder om te zien wat er\n\
         is gevraagd en om het goed te keuren of te weigeren.\n\n{}\n\n\
         De link werkt 24 uur en één keer. Kent u dit verzoek niet? Weiger het dan.\n\nMet vriendelijke groet,\nBeheermodule\n",
        name(&rep.display_name()),
        name(&reg.manager.name.display_name()),
        reg.level.as_str(),
        org(reg.org_name.as_str()),
        reg.kvk.as_str(),
        link
    )
}

/// To a representative whose link expired: a fresh one.
pub fn reminder(rep: &PersonRecord, org_name: &str, kvk: &str, link: &str) -> String {
    format!(
        "Beste {},\n\nEr wacht nog een aanmelding van een machtigingenbeheerder voor {} (KvK {}) op uw\n\
         goedkeuring. Open de link hieronder om haar te bekijken en goed te keuren of te weigeren.\n\n\
         {link}\n\nDe link werkt 24 uur en één keer.\n\nMet vriendelijke groet,\nBeheermodule\n",
        name(&rep.display_name()),
        org(org_name),
        kvk,
    )
}

/// To the applicant after submission: the status link.
pub fn confirmation(applicant: &PersonRecord, reg: &Registration, link: &str) -> String {
    format!(
        "Beste {},\n\nWe hebben uw aanmelding als machtigingenbeheerder voor {} ontvangen. De module is gratis.\n\
         Eerst keurt de bevoegd vertegenwoordiger de aanmelding goed; daarna beoordeelt onze backoffice haar\n\
         binnen 5 tot 15 werkdagen. Op de pagina hieronder ziet u steeds hoe het ervoor staat.\n\n{}\n\n\
         Met vriendelijke groet,\nBeheermodule\n",
        name(&applicant.display_name()),
        org(reg.org_name.as_str()),
        link
    )
}

/// To the applicant, on request: a fresh link to the status page.
pub fn status_link(applicant: &str, org_name: &str, kvk: &str, link: &str) -> String {
    format!(
        "Beste {},\n\nU vroeg om een nieuwe link naar de status van uw aanmelding als machtigingenbeheerder voor\n\
         {} (KvK {}). De link werkt 24 uur; eerdere links werken niet meer.\n\n{}\n\n\
         Heeft u hier niet om gevraagd? Dan kunt u deze e-mail negeren.\n\n\
         Met vriendelijke groet,\nBeheermodule\n",
        name(applicant),
        org(org_name),
        plain(kvk, 12),
        link
    )
}

/// To the applicant's own address before anything else goes out: the code. Holds nothing
/// the applicant typed, so the wizard cannot carry a stranger's text to any address.
pub fn email_code(code: &str) -> String {
    format!(
        "Beste,\n\nUw code om uw e-mailadres te bevestigen: {code}\n\n\
         Vul deze code in op de pagina van uw aanmelding als machtigingenbeheerder. De code werkt 10 minuten.\n\
         Pas als u uw e-mailadres heeft bevestigd, versturen we de aanmelding en krijgt de vertegenwoordiging\n\
         een e-mail.\n\nHeeft u zich niet aangemeld? Dan kunt u deze e-mail negeren: zonder de code gebeurt er niets.\n\n\
         Met vriendelijke groet,\nBeheermodule\n"
    )
}

/// To an existing manager of the organisation: someone registered, with the link to object.
pub fn objection_invite(manager: &str, known_org: &str, reg: &Registration, submitted: &str, link: &str) -> String {
    format!(
        "Beste {},\n\nU bent machtigingenbeheerder voor {} (KvK {}). Op {} heeft iemand zich aangemeld als\n\
         nieuwe machtigingenbeheerder voor dit KvK-nummer:\n\n\
         Aanvrager: {} ({})\nOpgegeven naam van de organisatie: {}\nGevraagd niveau: {}\n\n\
         Kent u deze aanmelding en is ze in orde? Dan hoeft u niets te doen: de bevoegd vertegenwoordiger keurt\n\
         haar goed en onze backoffice beoordeelt haar.\n\
         Vertrouwt u haar niet? Maak dan bezwaar via de link hieronder; onze backoffice ziet uw bezwaar bij de\n\
         beoordeling.\n\n{}\n\nDe link werkt 24 uur en één keer.\n\nMet vriendelijke groet,\nBeheermodule\n",
        name(manager),
        org(known_org),
        reg.kvk.as_str(),
        submitted,
        name(&reg.manager.name.display_name()),
        plain(reg.manager.email.as_str(), NAME_CHARS),
        org(reg.org_name.as_str()),
        reg.level.as_str(),
        link
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::CivilDate;

    fn reg(org_name: &str) -> Registration {
        let mut d = crate::domain::registration::Draft {
            kvk: "12345678".into(),
            org_name: org_name.into(),
            arrange_extract: true,
            signing: "alone".into(),
            contract_name: "Ria".into(),
            contract_email: "ria@ketting.example".into(),
            level: "EH3".into(),
            ..Default::default()
        };
        let p = |given: &str, email: &str| crate::domain::registration::PersonFields {
            given_names: given.into(),
            surname: "Jansen".into(),
            birth_date: "01-02-1980".into(),
            email: email.into(),
            mobile: "0611111111".into(),
            employed: "ja".into(),
            ..Default::default()
        };
        d.reps = vec![p("Ria", "ria@ketting.example")];
        d.manager = p("Bas", "bas@ketting.example");
        for s in ["rep0", "manager"] {
            d.files.insert(
                s.into(),
                crate::domain::registration::FileRef {
                    storage_name: "x".into(),
                    mime: "image/png".into(),
                    size: 1,
                    sha256: "0".into(),
                },
            );
        }
        Registration::from_draft(&d, CivilDate::new(2026, 6, 1).unwrap()).unwrap()
    }

    fn record() -> PersonRecord {
        PersonRecord {
            given_names: "Ria".into(),
            prefix: None,
            surname: "Jansen".into(),
            email: "ria@ketting.example".into(),
            mobile: "+31611111111".into(),
            birth_date: None,
            employed: None,
            document_id: None,
            token_sha256: None,
            answer: "pending".into(),
            answered_at: None,
        }
    }

    #[test]
    fn no_mail_carries_the_attackers_link() {
        let r = reg("Evil http://phish.example/x");
        let ours = "http://127.0.0.1:3000/registreren/goedkeuren/abc";
        for body in [
            approval(&record(), &r, ours),
            confirmation(&record(), &r, ours),
            reminder(&record(), r.org_name.as_str(), "12345678", ours),
            objection_invite("Jan", "Echte Naam B.V.", &r, "1 juni 2026", ours),
        ] {
            assert!(!body.contains("phish.example"), "{body}");
            assert!(!body.contains("http://phish"), "{body}");
            assert!(body.contains("phish[.]example"), "{body}");
            assert!(body.contains(ours), "our own link stays: {body}");
        }
        assert!(objection_invite("Jan", "Echte Naam B.V.", &r, "1 juni 2026", ours).contains("bas@ketting[.]example"));
    }

    #[test]
    fn the_code_mail_has_one_code_and_nothing_typed() {
        let body = email_code("123456");
        assert_eq!(crate::server::notify::extract_code(&body).as_deref(), Some("123456"));
        assert!(!body.contains("http"));
    }
}
