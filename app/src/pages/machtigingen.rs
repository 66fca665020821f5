//! `/beheer/machtigingen`: the authorisations of the current organisation (or, with
//! `alle=1`, of all it manages), filtered through the URL by person, service, level,
//! state and "expires within 60 days"; revoking a selection with a reason; reactivating
//! an expired one; granting new ones; the list as CSV.

use crate::api::authorisations::{
    list_authorisations, reactivate_authorisation, revoke_authorisations, AuthPage, AuthQuery,
};
use crate::api::overview::service_catalogue;
use crate::components::grant_form::GrantForm;
use crate::components::shell::current_organisation_id;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MachtigingenPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        query.with(|q| AuthQuery {
            persoon: q.get("persoon").unwrap_or_default(),
            dienst: q.get("dienst").unwrap_or_default(),
            status: q.get("status").unwrap_or_default(),
            niveau: q.get("niveau").unwrap_or_default(),
            verloopt: matches!(q.get("verloopt").as_deref(), Some("1" | "true" | "ja")),
            alle: matches!(q.get("alle").as_deref(), Some("1" | "true")),
        })
    };
    let page = move || query.with(|q| q.get("pagina").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1));
    let org = current_organisation_id();
    let refresh = RwSignal::new(0u32);
    let list = Resource::new(
        move || (filter(), page(), org(), refresh.get()),
        |(f, p, _, _)| list_authorisations(f, p),
    );
    let bump = move || refresh.update(|n| *n += 1);
    let catalogue = Resource::new(|| (), |_| service_catalogue(String::new()));
    let revoke = Action::new(|(ids, reason): &(Vec<String>, String)| {
        let (ids, reason) = (ids.clone(), reason.clone());
        async move { revoke_authorisations(ids, reason).await }
    });
    let reactivate = Action::new(|(id, term): &(String, String)| {
        let (id, term) = (id.clone(), term.clone());
        async move { reactivate_authorisation(id, term).await }
    });
    Effect::new(move |_| {
        if matches!(revoke.value().get(), Some(Ok(_))) || matches!(reactivate.value().get(), Some(Ok(()))) {
            bump();
        }
    });
    view! {
        <Title text="Machtigingen" />
        <h1>"Machtigingen"</h1>
        <p class="lead">"Wie mag namens uw organisatie bij welke dienst inloggen. Verleen, trek in of activeer opnieuw."</p>
        <GrantForm on_done=bump />
        <section class="card" aria-labelledby="lijst-titel">
            <h2 id="lijst-titel">"Verleende machtigingen"</h2>
            {move || filter().alle.then(|| view! { <p class="alert alert--info">"U ziet de machtigingen van alle organisaties die u beheert. Intrekken en opnieuw activeren kan per organisatie: kies die in de kop."</p> })}
            <Form method="GET" action="">
                <div class="filters">
                    <div class="field"><label for="f-persoon">"Persoon (naam of e-mailadres)"</label>
                        <input id="f-persoon" type="search" name="persoon" prop:value=move || filter().persoon maxlength="100" /></div>
                    <div class="field"><label for="f-dienst">"Dienst"</label>
                        <Suspense fallback=|| view! { <select id="f-dienst" name="dienst" disabled><option>"Laden…"</option></select> }>
                            {move || Suspend::new(async move {
                                let list = catalogue.await.unwrap_or_default();
                                let current = filter().dienst;
                                view! { <select id="f-dienst" name="dienst">
                                    <option value="" selected=current.is_empty()>"alle diensten"</option>
                                    <option value="alle" selected=current == "alle">"Alle diensten t/m niveau (één machtiging)"</option>
                                    {list.into_iter().map(|s| { let sel = current == s.id; view! {
                                        <option value=s.id.clone() selected=sel>{format!("{} ({})", s.name, s.provider)}</option> } }).collect_view()}
                                </select> }
                            })}
                        </Suspense></div>
                    <div class="field"><label for="f-status">"Status"</label>
                        <select id="f-status" name="status">
                            {[("", "alle"), ("active", "actief"), ("revoked", "ingetrokken"), ("expired", "verlopen")].into_iter().map(|(v, l)|
                                view! { <option value=v selected=move || filter().status == v>{l}</option> }).collect_view()}
                        </select></div>
                    <div class="field"><label for="f-niveau">"Niveau"</label>
                        <select id="f-niveau" name="niveau">
                            {["", "EH2", "EH2+", "EH3", "EH4"].into_iter().map(|v|
                                view! { <option value=v selected=move || filter().niveau == v>{if v.is_empty() { "alle" } else { v }}</option> }).collect_view()}
                        </select></div>
                    <div class="field"><label><input type="checkbox" name="verloopt" value="1" prop:checked=move || filter().verloopt />" Verloopt binnen 60 dagen"</label></div>
                    {move || filter().alle.then(|| view! { <input type="hidden" name="alle" value="1" /> })}
                    <button type="submit" class="button">"Filteren"</button>
                </div>
            </Form>
            <p><a class="button button--secondary" data-testid="export-list" download
                href=move || format!("/overzicht/export.csv?lijst=machtigingen&{}", filter().to_query())>"Exporteer deze lijst (CSV)"</a></p>
            <Transition fallback=|| view! { <p>"Laden…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(p) => view! { <AuthTable page=p filter=filter() revoke reactivate /> }.into_any(),
                        Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
            {move || revoke.value().get().map(|r| match r {
                Ok(n) => view! { <p class="alert alert--success" role="status" data-testid="revoke-outcome">{format!("{n} machtiging(en) ingetrokken.")}</p> }.into_any(),
                Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            {move || reactivate.value().get().map(|r| match r {
                Ok(()) => view! { <p class="alert alert--success" role="status" data-testid="reactivate-outcome">"Machtiging opnieuw actief."</p> }.into_any(),
                Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}

type Revoke = Action<(Vec<String>, String), Result<usize, crate::error::AppError>>;
type Reactivate = Action<(String, String), Result<(), crate::error::AppError>>;

#[component]
fn AuthTable(page: AuthPage, filter: AuthQuery, revoke: Revoke, reactivate: Reactivate) -> impl IntoView {
    if page.lines.is_empty() {
        return view! { <p class="empty" data-testid="auth-empty">"Geen machtigingen gevonden met deze filters."</p> }
            .into_any();
    }
    let selected = RwSignal::new(Vec::<String>::new());
    let reason = RwSignal::new(String::new());
    let (prev, next) = (page.page > 1, page.page < page.pages);
    let qs = filter.to_query();
    let editable = !filter.alle;
    view! {
        <p class="hint" data-testid="auth-total">{format!("{} machtigingen", page.total)}</p>
        <div class="table-wrap">
            <table class="table" data-testid="authorisations">
                <thead><tr>
                    <th scope="col">"Kies"</th><th scope="col">"Naam"</th><th scope="col">"Dienst"</th><th scope="col">"Niveau"</th>
                    <th scope="col">"Middel"</th><th scope="col">"Status"</th><th scope="col">"Geldig tot"</th><th scope="col">"Actie"</th>
                </tr></thead>
                <tbody>
                    {page.lines.into_iter().map(|l| {
                        let (id1, id2, id3) = (l.id.clone(), l.id.clone(), l.id.clone());
                        let label = format!("Kies {} — {}", l.person, l.service);
                        let term = RwSignal::new("1".to_string());
                        view! { <tr data-state=l.state.clone()>
                            <td>{(editable && l.state == "active").then(|| view! {
                                <input type="checkbox" aria-label=label
                                    prop:checked=move || selected.with(|s| s.contains(&id1))
                                    on:change=move |_| selected.update(|s| if let Some(i) = s.iter().position(|x| *x == id2) { s.remove(i); } else { s.push(id2.clone()); }) /> })}</td>
                            <td>{l.person.clone()}<br /><span class="hint">{l.email}</span>{filter.alle.then(|| view! { <br /><span class="hint">{l.organisation}</span> })}</td>
                            <td>{l.service.clone()}</td>
                            <td><span class="badge">{l.level}</span></td>
                            <td><span class="badge">{l.means_level}</span>{l.too_weak.then(|| view! { <span class="warning-inline" role="note">" Middel te zwak"</span> })}</td>
                            <td><span class=format!("state state--{}", l.state)>{l.state_label}</span>
                                {l.revoked_reason.map(|r| view! { <br /><span class="hint">{format!("Reden: {r}")}</span> })}</td>
                            <td>{l.valid_until}</td>
                            <td>{(editable && l.state == "expired").then(|| view! {
                                <label class="visually-hidden" for=format!("t-{id3}")>"Nieuwe looptijd"</label>
                                <select id=format!("t-{id3}") on:change=move |ev| term.set(event_target_value(&ev))>
                                    <option value="1">"1 jaar"</option><option value="3">"3 jaar"</option><option value="5">"5 jaar"</option>
                                </select>
                                <button type="button" class="button button--secondary"
                                    on:click=move |_| { reactivate.dispatch((id3.clone(), term.get())); }>"Opnieuw activeren"</button> })}</td>
                        </tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label="Paginering">
            {prev.then(|| view! { <a href=format!("/beheer/machtigingen?{qs}&pagina={}", page.page - 1) rel="prev">"‹ Vorige"</a> })}
            <span>{format!("Pagina {} van {}", page.page, page.pages)}</span>
            {next.then(|| view! { <a href=format!("/beheer/machtigingen?{qs}&pagina={}", page.page + 1) rel="next">"Volgende ›"</a> })}
        </nav>
        {editable.then(|| view! {
            <form class="revoke" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); revoke.dispatch((selected.get(), reason.get())); }>
                <h3>"Gekozen machtigingen intrekken"</h3>
                <div class="field"><label for="revoke-reason">"Reden van intrekken"</label>
                    <input id="revoke-reason" type="text" maxlength="500" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) /></div>
                <button type="submit" class="button button--danger" disabled=move || revoke.pending().get()>
                    {move || format!("Intrekken ({})", selected.with(|s| s.len()))}</button>
            </form>
        })}
    }
    .into_any()
}
