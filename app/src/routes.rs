//! The HTML shell and the route table. Only pages that exist are routed and linked.

use crate::components::shell::{Header, SessionVersion};
use crate::pages::{
    aanvraag::AanvraagPage,
    aanvragen::AanvragenPage,
    activeren::{ActivationLinkPage, ActivationPage},
    backoffice::BackofficePage,
    gebruikers::GebruikersPage,
    home::BeheerHome,
    login::LoginPage,
    login::SmsPage,
    machtigingen::MachtigingenPage,
    middel::MiddelPage,
    mijn::MijnPage,
    not_found::NotFound,
    overzicht::{OverzichtMiddelenPage, OverzichtPage},
    registratie::{RegistrationApprovalPage, RegistrationObjectionPage, RegistrationStatusPage, StatusLinkRequestPage},
    registreren::RegistrerenPage,
    wachtwoord::{ForgottenPage, ResetLinkPage, ResetPage},
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;
use leptos_router::SsrMode;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="nl">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(SessionVersion(RwSignal::new(0)));
    view! {
        <Stylesheet id="leptos" href="/pkg/beheermodule.css" />
        <Title formatter=|text: String| if text.is_empty() { "Beheermodule".to_string() } else { format!("{text} · Beheermodule") } />
        <Router>
            <a class="skip-link" href="#inhoud">"Naar de inhoud"</a>
            <Header />
            <main id="inhoud" class="main">
                // Every page renders completely on the server before it is sent (no streamed
                // fragments that need a script to be put in place), so every page and form
                // works without JavaScript; hydration then takes over.
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| view! { <Redirect path="/beheer" /> } ssr=SsrMode::Async />
                    <Route path=path!("/inloggen") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/inloggen/sms") view=SmsPage ssr=SsrMode::Async />
                    <Route path=path!("/inloggen/wachtwoord-vergeten") view=ForgottenPage ssr=SsrMode::Async />
                    <Route path=path!("/wachtwoord-herstellen") view=ResetPage ssr=SsrMode::Async />
                    <Route path=path!("/wachtwoord-herstellen/:token") view=ResetLinkPage ssr=SsrMode::Async />
                    <Route path=path!("/beheer") view=BeheerHome ssr=SsrMode::Async />
                    <Route path=path!("/beheer/gebruikers") view=GebruikersPage ssr=SsrMode::Async />
                    <Route path=path!("/beheer/aanvragen") view=AanvragenPage ssr=SsrMode::Async />
                    <Route path=path!("/beheer/aanvragen/:id") view=AanvraagPage ssr=SsrMode::Async />
                    <Route path=path!("/beheer/middelen/:id") view=MiddelPage ssr=SsrMode::Async />
                    <Route path=path!("/beheer/machtigingen") view=MachtigingenPage ssr=SsrMode::Async />
                    <Route path=path!("/overzicht") view=OverzichtPage ssr=SsrMode::Async />
                    <Route path=path!("/overzicht/middelen") view=OverzichtMiddelenPage ssr=SsrMode::Async />
                    <Route path=path!("/mijn") view=MijnPage ssr=SsrMode::Async />
                    <Route path=path!("/activeren") view=ActivationPage ssr=SsrMode::Async />
                    <Route path=path!("/activeren/:token") view=ActivationLinkPage ssr=SsrMode::Async />
                    <Route path=path!("/backoffice") view=BackofficePage ssr=SsrMode::Async />
                    <Route path=path!("/registreren") view=RegistrerenPage ssr=SsrMode::Async />
                    <Route path=path!("/registreren/status") view=StatusLinkRequestPage ssr=SsrMode::Async />
                    <Route path=path!("/registreren/status/:token") view=RegistrationStatusPage ssr=SsrMode::Async />
                    <Route path=path!("/registreren/goedkeuren/:token") view=RegistrationApprovalPage ssr=SsrMode::Async />
                    <Route path=path!("/registreren/bezwaar/:token") view=RegistrationObjectionPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
