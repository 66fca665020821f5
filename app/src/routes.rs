//! The HTML shell and the route table. Only pages that exist are routed and linked.

use crate::components::shell::{Header, SessionVersion};
use crate::pages::{
    gebruikers::GebruikersPage, home::BeheerHome, login::LoginPage, login::SmsPage, mijn::MijnPage, not_found::NotFound,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

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
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| view! { <Redirect path="/beheer" /> } />
                    <Route path=path!("/inloggen") view=LoginPage />
                    <Route path=path!("/inloggen/sms") view=SmsPage />
                    <Route path=path!("/beheer") view=BeheerHome />
                    <Route path=path!("/beheer/gebruikers") view=GebruikersPage />
                    <Route path=path!("/mijn") view=MijnPage />
                </Routes>
            </main>
        </Router>
    }
}
