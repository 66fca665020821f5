//! `/registreren/status/{token}` (the applicant's status page, from the confirmation
//! e-mail) and `/registreren/goedkeuren/{token}` (the legal representative's link: look,
//! then approve or refuse with a plain form; looking uses nothing).

use crate::api::registrations::{registration_link, registration_status, ApprovalView, StatusView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn failed(e: crate::error::AppError) -> AnyView {
    view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any()
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
            <Suspense fallback=|| view! { <p>"Laden…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(Some(s)) => view! { <Status s=s token=token() /> }.into_any(),
                        Ok(None) => view! { <p class="alert alert--error" role="alert">"Deze statuslink werkt niet (meer). Gebruik de link uit de laatste e-mail over uw aanmelding."</p> }.into_any(),
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
