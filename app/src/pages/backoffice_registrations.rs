//! The back office's review of manager registrations: its own section on `/backoffice`.
//! Due dates count working days; overdue items stand out, and so does an objection by one
//! of the organisation's existing managers. Plain forms.

use crate::api::registration_review::{outcome_text, registration_queue, ReviewItem};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RegistrationReview() -> impl IntoView {
    let query = use_query_map();
    let outcome = move || query.read().get("registratie").and_then(|c| outcome_text(&c));
    let items = Resource::new(move || query.read().get("registratie"), |_| registration_queue());
    view! {
        <section aria-labelledby="registraties-titel" class="stack">
            <h2 id="registraties-titel">"Aanmeldingen van beheerders"</h2>
            {move || outcome().map(|(error, text)| if error {
                view! { <p class="alert alert--error" role="alert" data-testid="registration-outcome">{text}</p> }.into_any()
            } else {
                view! { <p class="alert alert--success" role="status" data-testid="registration-outcome">{text}</p> }.into_any()
            })}
            <Suspense fallback=|| view! { <p>"Laden…"</p> }>
                {move || Suspend::new(async move {
                    match items.await {
                        Ok(list) if list.is_empty() => view! { <p class="card" data-testid="registrations-empty">"Er wachten geen aanmeldingen op beoordeling."</p> }.into_any(),
                        Ok(list) => view! {
                            <p class="hint">{format!("{} aanmeldingen wachten, de oudste bovenaan. Te laat: {}.", list.len(), list.iter().filter(|i| i.overdue).count())}</p>
                            <div class="queue">{list.into_iter().map(|i| view! { <Item i=i /> }).collect_view()}</div>
                        }.into_any(),
                        Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Item(i: ReviewItem) -> impl IntoView {
    let rid = i.request_id.clone();
    let reason_id = format!("reg-reason-{rid}");
    view! {
        <article class="card queue__item" class:queue__item--overdue=i.overdue data-testid="registration-item" data-kvk=i.kvk_number.clone()>
            <h3>
                {format!("{} (KvK {})", i.org_name, i.kvk_number)}
                {i.overdue.then(|| view! { <span class="badge badge--overdue" data-testid="overdue">"Te laat"</span> })}
            </h3>
            {(!i.objections.is_empty()).then(|| view! {
                <div class="alert alert--error" role="note" data-testid="objections">
                    <strong>"Bezwaar van een bestaande beheerder van deze organisatie"</strong>
                    <ul>
                        {i.objections.iter().map(|(who, at, why)| view! {
                            <li>{format!("{who}, {at}: {}", if why.is_empty() { "geen toelichting gegeven" } else { why.as_str() })}</li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
            <dl class="facts">
                <dt>"Vestiging"</dt><dd>{i.branch_number.clone().unwrap_or_else(|| "hele organisatie".into())}</dd>
                <dt>"Ingediend"</dt><dd>{i.submitted.clone()}</dd>
                <dt>"Afhandelen"</dt><dd>{format!("tussen {} en {}", i.due_min, i.due_max)}</dd>
                <dt>"Uittreksel"</dt>
                <dd class:text-error=!i.extract_ok>{i.extract.clone()}{(!i.extract_ok).then_some(" Ouder dan 14 dagen bij indiening.")}</dd>
                <dt>"Nieuwe beheerder"</dt><dd>{format!("{}, geboren {}, {}, {}", i.manager, i.manager_birth_date, i.manager_email, i.manager_mobile)}</dd>
                <dt>"In loondienst"</dt><dd>{if i.manager_employed { "ja" } else { "nee" }}</dd>
                <dt>"Niveau"</dt><dd>{i.level.clone()}</dd>
                <dt>"Vertegenwoordiging"</dt>
                <dd>{i.representatives.iter().map(|(n, e, a)| format!("{n} ({e}): {a}")).collect::<Vec<_>>().join("; ")}</dd>
                <dt>"Contracthouder"</dt><dd>{i.contract.clone()}</dd>
            </dl>
            <ul>
                {i.documents.iter().map(|(id, label, mime)| view! {
                    <li><a href=format!("/backoffice/documenten/{id}") target="_blank" rel="noopener">{format!("{label} bekijken")}</a>{format!(" ({mime})")}</li>
                }).collect_view()}
            </ul>
            <div class="queue__actions">
                <form method="post" action="/api/backoffice/registration_approve">
                    <input type="hidden" name="request_id" value=rid.clone() />
                    <button type="submit" class="button">"Aanmelding goedkeuren"</button>
                </form>
                <form method="post" action="/api/backoffice/registration_reject" class="stack">
                    <input type="hidden" name="request_id" value=rid.clone() />
                    <div class="field">
                        <label for=reason_id.clone()>"Reden van afwijzing"</label>
                        <textarea id=reason_id.clone() name="reason" rows="2" minlength="5" maxlength="500" required></textarea>
                    </div>
                    <button type="submit" class="button button--danger">"Aanmelding afwijzen"</button>
                </form>
            </div>
        </article>
    }
}
