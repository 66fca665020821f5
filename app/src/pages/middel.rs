//! `/beheer/middelen/{id}`: one person's means in the current organisation — level, state,
//! authorisations — with *Upgrade* (capped at the manager's level) and *Opzeggen* (with a
//! reason and confirmation; refused with an explanation for the last manager's own means).

use crate::api::means::{load_means_detail, MeansDetail, Outcome, Refusal};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn MiddelPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let outcome = move || query.read().get("melding").and_then(|m| Outcome::parse(&m));
    // Only a text the server chose: the code picks it, unknown codes show nothing.
    let reason = move || {
        query
            .read()
            .get("reden")
            .and_then(|r| Refusal::parse(&r))
            .map_or("", Refusal::text)
    };
    let detail = Resource::new(
        move || (id(), query.read().get("melding")),
        |(id, _)| load_means_detail(id),
    );
    view! {
        <Title text="Middel" />
        <p><a href="/beheer/gebruikers">"‹ Alle gebruikers"</a></p>
        {move || outcome().map(|o| {
            let class = if o.is_error() { "alert alert--error" } else { "alert alert--success" };
            let text = if o == Outcome::Refused { format!("{} {}", o.text(), reason()) } else { o.text().to_string() };
            view! { <p class=class role="status" data-testid="outcome">{text}</p> }
        })}
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <Detail d=d /> }.into_any(),
                    Err(e) => view! { <h1>"Middel"</h1><p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(d: MeansDetail) -> impl IntoView {
    let id = d.means_id.clone();
    view! {
        <h1>{format!("Middel van {}", d.person)}</h1>
        <section class="card">
            <dl class="facts">
                <dt>"E-mailadres"</dt><dd>{d.email.clone()}</dd>
                <dt>"Niveau"</dt><dd><span class="badge" data-testid="means-level">{d.level.clone()}</span></dd>
                <dt>"Status"</dt><dd><span class=format!("state state--{}", d.state) data-testid="means-state">{d.state_label.clone()}</span></dd>
                <dt>"In loondienst"</dt><dd>{if d.employed { "ja" } else { "nee" }}</dd>
            </dl>
            {d.open_request.clone().map(|r| view! { <p><a href=format!("/beheer/aanvragen/{r}")>"Lopende aanvraag bekijken"</a></p> })}
        </section>
        <section class="card">
            <h2>"Machtigingen"</h2>
            {if d.authorisations.is_empty() {
                view! { <p class="empty">"Dit middel heeft geen machtigingen."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="table" data-testid="authorisations">
                        <thead><tr><th scope="col">"Waarvoor"</th><th scope="col">"Niveau"</th><th scope="col">"Status"</th><th scope="col">"Geldig tot"</th></tr></thead>
                        <tbody>{d.authorisations.into_iter().map(|a| view! {
                            <tr data-state=a.state.clone()><td>{a.what}</td><td>{a.level}</td><td>{a.state_label}</td><td>{a.valid_until}</td></tr>
                        }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
        <section class="card">
            <h2>"Upgrade"</h2>
            {match d.upgrade_blocked.clone() {
                Some(why) => view! { <p class="hint">{why}</p> }.into_any(),
                None => view! {
                    <form method="post" action="/api/means/upgrade" class="stack">
                        <input type="hidden" name="means_id" value=id.clone() />
                        <div class="field">
                            <label for="niveau">"Nieuw niveau"</label>
                            <select id="niveau" name="level" required>
                                {d.upgrade_levels.iter().map(|l| view! { <option value=l.clone()>{l.clone()}</option> }).collect_view()}
                            </select>
                            <p class="hint">"Het middel blijft op het huidige niveau werken tot de upgrade rond is. Alleen de identiteitsstappen die het nieuwe niveau vraagt worden herhaald."</p>
                        </div>
                        <button type="submit" class="button">"Upgrade aanvragen"</button>
                    </form>
                }.into_any(),
            }}
        </section>
        <section class="card">
            <h2>"Opzeggen"</h2>
            {match (d.can_cancel, d.cancel_blocked.clone()) {
                (_, Some(why)) => view! { <p class="alert alert--info" data-testid="cancel-blocked">{why}</p> }.into_any(),
                (false, None) => view! { <p class="hint">"Dit middel is al opgezegd of verlopen."</p> }.into_any(),
                (true, None) => view! {
                    <form method="post" action="/api/means/cancel" class="stack">
                        <input type="hidden" name="means_id" value=id.clone() />
                        <div class="field">
                            <label for="reden">"Reden van opzeggen"</label>
                            <textarea id="reden" name="reason" rows="2" maxlength="500" required></textarea>
                        </div>
                        <div class="field field--check">
                            <input id="bevestig" type="checkbox" name="confirmed" required />
                            <label for="bevestig">"Ja, zeg dit middel op. Alle machtigingen ervan worden ingetrokken."</label>
                        </div>
                        <button type="submit" class="button button--danger">"Middel opzeggen"</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
