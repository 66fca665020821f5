//! `/beheer/aanvragen/{id}`: one request — its facts, its timeline (what happened, when,
//! by whom), resending its e-mail or SMS (with the limit and the wait shown) and cancelling
//! it with confirmation. Plain form posts that come back here with a message.

use crate::api::requests::{load_request_detail, Outcome, RequestDetail};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn AanvraagPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let outcome = move || query.read().get("melding").and_then(|m| Outcome::parse(&m));
    let detail = Resource::new(
        move || (id(), query.read().get("melding")),
        |(id, _)| load_request_detail(id),
    );
    view! {
        <Title text="Aanvraag" />
        <p><a href="/beheer/aanvragen">"‹ Alle lopende aanvragen"</a></p>
        {move || outcome().map(|o| {
            let class = if o.is_error() { "alert alert--error" } else { "alert alert--success" };
            view! { <p class=class role="status" data-testid="outcome">{o.text()}</p> }
        })}
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <Detail d=d /> }.into_any(),
                    Err(e) => view! { <h1>"Aanvraag"</h1><p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(d: RequestDetail) -> impl IntoView {
    let id = d.id.clone();
    view! {
        <h1>{format!("Aanvraag: {} voor {}", d.kind_label, d.person)}</h1>
        <section class="card">
            <dl class="facts">
                <dt>"Status"</dt><dd><span class=format!("state state--{}", d.state) data-testid="request-state">{d.state_label.clone()}</span></dd>
                <dt>"Persoon"</dt><dd>{format!("{} ({})", d.person, d.email)}</dd>
                <dt>"Niveau"</dt><dd>{d.level.clone()}</dd>
                <dt>"Aangevraagd door"</dt><dd>{d.requested_by.clone()}</dd>
                <dt>"Ingediend"</dt><dd>{d.created.clone()}</dd>
                {d.finished.clone().map(|f| view! { <dt>"Beëindigd"</dt><dd>{f}</dd> })}
            </dl>
        </section>
        <section class="card">
            <h2>"Verloop"</h2>
            <ol class="timeline" data-testid="timeline">
                {d.timeline.into_iter().map(|t| view! {
                    <li data-testid="timeline-item">
                        <time>{t.at}</time>" — "<strong>{t.label}</strong>" door "{t.actor}
                        {(!t.detail.is_empty()).then(|| view! { <span class="hint">{format!(" (reden: {})", t.detail)}</span> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
        {d.resend.map(|r| {
            let what = if r.channel == "sms" { "sms-code" } else { "e-mail met de activeringslink" };
            let limit = format!(
                "U kunt maximaal één keer per 5 minuten en {} keer per 24 uur opnieuw versturen; {} van {} gebruikt.",
                r.limit, r.used, r.limit
            );
            view! {
                <section class="card" data-testid="resend">
                    <h2>{format!("De {what} opnieuw versturen")}</h2>
                    <p class="hint" data-testid="resend-limit">{limit}</p>
                    {match r.wait {
                        Some(w) => view! { <p class="alert alert--info" data-testid="resend-wait">{format!("Opnieuw versturen kan over {w}.")}</p> }.into_any(),
                        None => view! {
                            <form method="post" action="/api/requests/resend">
                                <input type="hidden" name="request_id" value=id.clone() />
                                <button type="submit" class="button button--secondary">{format!("De {what} opnieuw versturen")}</button>
                            </form>
                        }.into_any(),
                    }}
                </section>
            }
        })}
        {d.cancellable.then(|| view! {
            <section class="card">
                <h2>"Aanvraag annuleren"</h2>
                <form method="post" action="/api/requests/cancel" class="stack">
                    <input type="hidden" name="ids[0]" value=id.clone() />
                    <input type="hidden" name="from" value=id.clone() />
                    <div class="field field--check">
                        <input id="bevestig" type="checkbox" name="confirmed" />
                        <label for="bevestig">"Ja, annuleer deze aanvraag. De link en sms-code werken daarna niet meer."</label>
                    </div>
                    <button type="submit" class="button button--danger">"Aanvraag annuleren"</button>
                </form>
            </section>
        })}
    }
}
