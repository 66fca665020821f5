//! `/backoffice`: the provider's staff check uploaded ID documents and record
//! identification in person. Plain forms; each decision comes back here with a message.

use crate::api::backoffice::{backoffice_queue, InPersonDocument, Outcome, QueueItem};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn BackofficePage() -> impl IntoView {
    let query = use_query_map();
    let outcome = move || query.read().get("melding").and_then(|m| Outcome::parse(&m));
    let items = Resource::new(move || query.read().get("melding"), |_| backoffice_queue());
    view! {
        <Title text="Backoffice" />
        <h1>"Backoffice: identiteitscontrole"</h1>
        {move || outcome().map(|o| if o.is_error() {
            view! { <p class="alert alert--error" role="alert" data-testid="outcome">{o.text()}</p> }.into_any()
        } else {
            view! { <p class="alert alert--success" role="status" data-testid="outcome">{o.text()}</p> }.into_any()
        })}
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(list) if list.is_empty() => view! { <p class="card" data-testid="queue-empty">"Er wacht niets op de backoffice."</p> }.into_any(),
                    Ok(list) => view! {
                        <p class="hint">{match list.len() {
                            1 => "1 aanvraag wacht.".to_string(),
                            n => format!("{n} aanvragen wachten, de oudste bovenaan."),
                        }}</p>
                        <div class="queue">{list.into_iter().map(|i| view! { <Item i=i /> }).collect_view()}</div>
                    }.into_any(),
                    Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
        <crate::pages::backoffice_registrations::RegistrationReview />
    }
}

#[component]
fn Item(i: QueueItem) -> impl IntoView {
    let rid = i.request_id.clone();
    let reason_id = format!("reason-{rid}");
    let doc_id = format!("doc-{rid}");
    let confirm_id = format!("confirm-{rid}");
    view! {
        <article class="card queue__item" data-testid="queue-item" data-email=i.email.clone()>
            <h2>{i.name.clone()}</h2>
            <dl class="facts">
                <dt>"Geboortedatum"</dt><dd>{i.birth_date.clone()}</dd>
                <dt>"E-mailadres"</dt><dd>{i.email.clone()}</dd>
                <dt>"Organisatie"</dt><dd>{format!("{} (KvK {})", i.organisation, i.kvk_number)}</dd>
                <dt>"Niveau"</dt><dd>{i.level.clone()}</dd>
                <dt>"In loondienst"</dt><dd>{if i.employed { "ja" } else { "nee" }}</dd>
                <dt>"Stap"</dt><dd>{i.state.clone()}</dd>
                <dt>"Wacht sinds"</dt><dd>{i.waiting_since.clone()}</dd>
            </dl>
            {match (&i.document_id, i.can_record_in_person) {
                (Some(d), _) => view! {
                    <p><a href=format!("/backoffice/documenten/{d}") target="_blank" rel="noopener">"Identiteitsbewijs bekijken"</a>
                    " (" {i.document_mime.clone().unwrap_or_default()} ")"</p>
                }.into_any(),
                (None, false) => view! { <p class="hint">"Wacht op upload van het identiteitsbewijs."</p> }.into_any(),
                (None, true) => ().into_any(),
            }}
            <div class="queue__actions">
                {i.can_approve_id.then(|| view! {
                    <form method="post" action="/api/backoffice/approve">
                        <input type="hidden" name="request_id" value=rid.clone() />
                        <button type="submit" class="button">"Identiteitsbewijs goedkeuren"</button>
                    </form>
                })}
                {i.can_record_in_person.then(|| view! {
                    <form method="post" action="/api/backoffice/in_person" class="stack">
                        <input type="hidden" name="request_id" value=rid.clone() />
                        <div class="field">
                            <label for=doc_id.clone()>"Getoond document"</label>
                            <select id=doc_id.clone() name="document" required>
                                {InPersonDocument::ALL.into_iter().map(|d| view! { <option value=d.as_str()>{d.label_nl()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field field--check">
                            <input id=confirm_id.clone() type="checkbox" name="confirmed" required />
                            <label for=confirm_id.clone()>"Ik heb deze persoon aan de balie geïdentificeerd"</label>
                        </div>
                        <button type="submit" class="button">"Identificatie vastleggen"</button>
                    </form>
                })}
                <form method="post" action="/api/backoffice/reject" class="stack">
                    <input type="hidden" name="request_id" value=rid.clone() />
                    <div class="field">
                        <label for=reason_id.clone()>"Reden van afwijzing"</label>
                        <textarea id=reason_id.clone() name="reason" rows="2" minlength="5" maxlength="500" required></textarea>
                    </div>
                    <button type="submit" class="button button--danger">"Afwijzen"</button>
                </form>
            </div>
        </article>
    }
}
