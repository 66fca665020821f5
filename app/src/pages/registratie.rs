//! `/registreren/status/{token}` (the applicant's status page, from the confirmation
//! e-mail; a fresh link on request at `/registreren/status`), `/registreren/goedkeuren/{token}` (the legal representative's link: look,
//! then approve or refuse with a plain form) and `/registreren/bezwaar/{token}` (an
//! existing manager's link: look, then object with a plain form). Looking uses nothing.

use crate::api::registrations::{
    limit_text, registration_link, registration_objection_link, registration_status, ApprovalView, ObjectionView,
    StatusView,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn failed(e: crate::error::AppError) -> AnyView {
    view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any()
}

/// The notice after a post refused because the client address's budget was spent.
fn limit_notice(query: Memo<leptos_router::params::ParamsMap>) -> impl IntoView {
    move || {
        let q = query.read();
        limit_text(q.get("melding").as_deref(), q.get("over"))
            .map(|t| view! { <p class="alert alert--error" role="alert" data-testid="notice">{t}</p> })
    }
}

/// `/registreren/status`: ask for a fresh status link by e-mail.
#[component]
pub fn StatusLinkRequestPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || {
        match query.read().get("melding").as_deref() {
        Some("link-verstuurd") => Some(("alert alert--success", "Als er een aanmelding met dit e-mailadres is, krijgt u binnen enkele minuten een e-mail met een nieuwe statuslink. De link werkt 24 uur.")),
        Some("email-ongeldig") => Some(("alert alert--error", "Vul een geldig e-mailadres in, zoals naam@organisatie.nl.")),
        _ => None,
    }
    };
    view! {
        <Title text="Nieuwe statuslink" />
        <section class="card card--narrow">
            <h1>"Nieuwe statuslink"</h1>
            {move || notice().map(|(class, text)| view! { <p class=class role="status" data-testid="notice">{text}</p> })}
            {limit_notice(query)}
            <p>"Vul het e-mailadres in waarmee u zich als machtigingenbeheerder aanmeldde. We sturen de nieuwe link alleen naar dat adres."</p>
            <form method="post" action="/api/registration/status_link" class="stack">
                <div class="field">
                    <label for="email">"E-mailadres"</label>
                    <input id="email" name="email" type="email" autocomplete="email" required />
                </div>
                <button type="submit" class="button">"Stuur mij een nieuwe link"</button>
            </form>
        </section>
    }
}

#[component]
pub fn RegistrationStatusPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let status = Resource::new(token, registration_status);
    let submitted = move || query.read().get("melding").as_deref() == Some("ingediend");
    let resent = move || query.read().get("melding").as_deref() == Some("verstuurd");
    view! {
        <Title text="Status van uw aanmelding" />
        <section class="card card--narrow">
            <h1>"Status van uw aanmelding"</h1>
            {move || submitted().then(|| view! {
                <p class="alert alert--success" role="status" data-testid="ingediend">
                    "Uw aanmelding is verstuurd. U krijgt een bevestiging per e-mail met een link naar deze pagina."
                </p>
            })}
            {move || resent().then(|| view! {
                <p class="alert alert--info" role="status">"De vertegenwoordiging heeft een nieuwe link gekregen."</p>
            })}
            {limit_notice(query)}
            <Suspense fallback=|| view! { <p>"Laden…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(Some(s)) => view! { <Status s=s token=token() /> }.into_any(),
                        Ok(None) => view! {
                            <p class="alert alert--error" role="alert">"Deze statuslink werkt niet (meer): een statuslink werkt 24 uur."</p>
                            <p><a href="/registreren/status">"Vraag een nieuwe statuslink aan"</a></p>
                        }.into_any(),
                        Err(e) => failed(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Status(s: StatusView, token: String) -> impl IntoView {
    let done = |states: &[&str]| states.contains(&s.state.as_str());
    let steps = [
        ("Aanmelding ingediend", true),
        (
            "Goedkeuring door de vertegenwoordiging",
            done(&["awaiting_review", "completed", "rejected"]),
        ),
        ("Beoordeling door de backoffice", done(&["completed", "rejected"])),
    ];
    view! {
        <p class="lead">
            "Aanmelding voor " <strong>{s.org_name.clone()}</strong> " (KvK " {s.kvk_number.clone()} "), niveau " {s.level.clone()} "."
        </p>
        <p>"Stand van zaken: " <strong data-testid="status">{s.state_label.clone()}</strong></p>
        <ol class="checklist">
            {steps.into_iter().map(|(t, ok)| view! { <li class:done=ok>{if ok { "✓ " } else { "○ " }}{t}</li> }).collect_view()}
        </ol>
        <h2>"Vertegenwoordiging"</h2>
        <ul>{s.representatives.iter().map(|(n, a)| view! { <li>{format!("{n}: {a}")}</li> }).collect_view()}</ul>
        {s.reason.clone().map(|r| view! { <p class="alert alert--error" role="alert">"Reden: " {r}</p> })}
        {s.can_resend.then(|| view! {
            <p>"De links voor de vertegenwoordiging zijn verlopen (een link werkt 24 uur)."</p>
            <form method="post" action="/api/registration/resend">
                <input type="hidden" name="token" value=token.clone() />
                <button type="submit" class="button">"Vertegenwoordiging een nieuwe link sturen"</button>
            </form>
        })}
        <p class="hint">
            "Ingediend op " {s.submitted.clone()} ". De backoffice handelt uw aanmelding af tussen " {s.due_min.clone()}
            " en " {s.due_max.clone()} " (5 tot 15 werkdagen)."
        </p>
    }
}

#[component]
pub fn RegistrationApprovalPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let link = Resource::new(token, registration_link);
    let outcome = move || match query.read().get("melding").as_deref() {
        Some("goedgekeurd") => Some("Dank u wel: u heeft de aanmelding goedgekeurd. De aanvrager hoort het van ons."),
        Some("geweigerd") => Some("U heeft de aanmelding geweigerd. De aanvrager hoort het van ons."),
        _ => None,
    };
    view! {
        <Title text="Aanmelding beheerder goedkeuren" />
        <section class="card card--narrow">
            <h1>"Aanmelding machtigingenbeheerder"</h1>
            {limit_notice(query)}
            {move || match outcome() {
                Some(text) => view! { <p class="alert alert--success" role="status" data-testid="beantwoord">{text}</p> }.into_any(),
                None => view! {
                    <Suspense fallback=|| view! { <p>"Laden…"</p> }>
                        {move || Suspend::new(async move {
                            match link.await {
                                Ok(ApprovalView::Valid { representative, org_name, kvk_number, branch_number, manager_name, manager_email, level, others }) => view! {
                                    <p class="lead">"Beste " {representative} ","</p>
                                    <p>"U staat in het KvK-uittreksel als bevoegd vertegenwoordiger. Er is gevraagd:"</p>
                                    <dl class="facts">
                                        <dt>"Organisatie"</dt><dd>{format!("{org_name} (KvK {kvk_number})")}</dd>
                                        <dt>"Vestiging"</dt><dd>{branch_number.unwrap_or_else(|| "hele organisatie".into())}</dd>
                                        <dt>"Nieuwe beheerder"</dt><dd data-testid="beheerder">{format!("{manager_name} ({manager_email})")}</dd>
                                        <dt>"Niveau"</dt><dd>{level}</dd>
                                    </dl>
                                    {(!others.is_empty()).then(|| view! {
                                        <p class="hint">{format!("U tekent gezamenlijk met {}; ook die goedkeuring is nodig.", others.join(", "))}</p>
                                    })}
                                    <form method="post" action="/api/registration/answer" class="stack">
                                        <input type="hidden" name="token" value=token() />
                                        <button type="submit" name="besluit" value="goedkeuren" class="button">"Aanmelding goedkeuren"</button>
                                    </form>
                                    <form method="post" action="/api/registration/answer" class="stack">
                                        <input type="hidden" name="token" value=token() />
                                        <div class="field">
                                            <label for="reason">"Toelichting bij weigeren (niet verplicht)"</label>
                                            <textarea id="reason" name="reason" rows="2" maxlength="500"></textarea>
                                        </div>
                                        <button type="submit" name="besluit" value="weigeren" class="button button--danger">"Aanmelding weigeren"</button>
                                    </form>
                                }.into_any(),
                                Ok(ApprovalView::Unusable(why)) => view! {
                                    <p class="alert alert--error" role="alert" data-testid="link-problem">{why}</p>
                                }.into_any(),
                                Err(e) => failed(e),
                            }
                        })}
                    </Suspense>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
pub fn RegistrationObjectionPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let link = Resource::new(token, registration_objection_link);
    let done = move || query.read().get("melding").as_deref() == Some("bezwaar-ontvangen");
    view! {
        <Title text="Bezwaar tegen een aanmelding" />
        <section class="card card--narrow">
            <h1>"Bezwaar tegen een aanmelding als beheerder"</h1>
            {limit_notice(query)}
            {move || if done() {
                view! {
                    <p class="alert alert--success" role="status" data-testid="bezwaar-ontvangen">
                        "Dank u wel: uw bezwaar is vastgelegd. Onze backoffice ziet het bij de beoordeling van de aanmelding en neemt zo nodig contact met u op."
                    </p>
                }.into_any()
            } else {
                view! {
                    <Suspense fallback=|| view! { <p>"Laden…"</p> }>
                        {move || Suspend::new(async move {
                            match link.await {
                                Ok(ObjectionView::Valid { manager, org_name, kvk_number, branch_number, applicant, applicant_email, level, submitted }) => view! {
                                    <p class="lead">"Beste " {manager} ","</p>
                                    <p>"Iemand heeft zich aangemeld als nieuwe machtigingenbeheerder voor een organisatie die u beheert:"</p>
                                    <dl class="facts" data-testid="aanmelding">
                                        <dt>"Opgegeven organisatie"</dt><dd>{format!("{org_name} (KvK {kvk_number})")}</dd>
                                        <dt>"Vestiging"</dt><dd>{branch_number.unwrap_or_else(|| "hele organisatie".into())}</dd>
                                        <dt>"Aanvrager"</dt><dd data-testid="aanvrager">{format!("{applicant} ({applicant_email})")}</dd>
                                        <dt>"Niveau"</dt><dd>{level}</dd>
                                        <dt>"Ingediend"</dt><dd>{submitted}</dd>
                                    </dl>
                                    <p>"Is deze aanmelding in orde? Dan hoeft u niets te doen. Vertrouwt u haar niet, maak dan hieronder bezwaar: onze backoffice ziet uw bezwaar bij de beoordeling."</p>
                                    <form method="post" action="/api/registration/object" class="stack">
                                        <input type="hidden" name="token" value=token() />
                                        <div class="field">
                                            <label for="reason">"Waarom maakt u bezwaar? (niet verplicht)"</label>
                                            <textarea id="reason" name="reason" rows="3" maxlength="500"></textarea>
                                            <span class="hint">"Hoogstens 500 tekens."</span>
                                        </div>
                                        <button type="submit" class="button button--danger">"Bezwaar maken"</button>
                                    </form>
                                }.into_any(),
                                Ok(ObjectionView::Unusable(why)) => view! {
                                    <p class="alert alert--error" role="alert" data-testid="link-problem">{why}</p>
                                }.into_any(),
                                Err(e) => failed(e),
                            }
                        })}
                    </Suspense>
                }.into_any()
            }}
        </section>
    }
}
