//! One module per page.

pub mod aanvraag;
pub mod aanvragen;
pub mod activeren;
pub mod backoffice;
pub mod backoffice_registrations;
pub mod gebruikers;
pub mod home;
pub mod login;
pub mod machtigingen;
pub mod middel;
pub mod mijn;
pub mod not_found;
pub mod overzicht;
pub mod registratie;
pub mod registreren;
pub mod wachtwoord;
