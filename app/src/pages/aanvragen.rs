//! `/beheer/aanvragen`: Lopende aanvragen — open requests (or, under the second tab, the
//! finished ones) of the current organisation: filter by kind and state, search, sort by
//! age, page through the URL; select and cancel with confirmation (a plain form post).

use crate::api::authorisations::encode;
use crate::api::requests::{list_requests, ListQuery, Outcome, RequestList};
use crate::components::shell::current_organisation_id;
use crate::domain::request::{RequestKind, RequestState};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AanvragenPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let list_query = move || ListQuery {
        tab: get("tab"),
        kind: get("soort"),
        state: get("status"),
        q: get("q"),
        sort: get("sorteer"),
        page: get("pagina").parse().unwrap_or(1),
    };
    let outcome = move || query.read().get("melding").and_then(|m| Outcome::parse(&m));
    let org = current_organisation_id();
    let list = Resource::new(
        move || (list_query(), org(), get("melding")),
        |(q, _, _)| list_requests(q),
    );
    let finished = move || get("tab") == "afgerond";
    let states = move || {
        RequestState::ALL
            .into_iter()
            .filter(|s| s.is_final() == finished())
            .collect::<Vec<_>>()
    };
    view! {
        <Title text="Lopende aanvragen" />
        <h1>"Lopende aanvragen"</h1>
        <p class="lead">"Aanvragen van uw organisatie die nog niet zijn afgerond. Open een aanvraag voor het verloop, om een e-mail of sms opnieuw te versturen of om te annuleren."</p>
        <nav class="tabs" aria-label="Soort overzicht">
            <a href="/beheer/aanvragen" aria-current=move || (!finished()).then_some("page")>"Lopend"</a>
            <a href="/beheer/aanvragen?tab=afgerond" aria-current=move || finished().then_some("page")>"Afgerond"</a>
        </nav>
        {move || outcome().map(|o| {
            let class = if o.is_error() { "alert alert--error" } else { "alert alert--success" };
            view! { <p class=class role="status" data-testid="outcome">{o.text()}</p> }
        })}
        <section class="card">
            <form method="get" action="/beheer/aanvragen" class="filters">
                <input type="hidden" name="tab" prop:value=move || get("tab") />
                <div class="field">
                    <label for="soort">"Soort"</label>
                    <select id="soort" name="soort">
                        <option value="">"Alle soorten"</option>
                        {RequestKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || get("soort") == k.as_str()>{k.label_nl()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="status">"Status"</label>
                    <select id="status" name="status">
                        <option value="">"Alle statussen"</option>
                        {move || states().into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || get("status") == s.as_str()>{s.label_nl()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="zoek">"Zoek op naam of e-mailadres"</label>
                    <input id="zoek" type="search" name="q" prop:value=move || get("q") maxlength="100" />
                </div>
                <div class="field">
                    <label for="sorteer">"Volgorde"</label>
                    <select id="sorteer" name="sorteer">
                        <option value="">{move || if finished() { "Laatst afgerond eerst" } else { "Oudste eerst" }}</option>
                        <option value="nieuw" selected=move || get("sorteer") == "nieuw">{move || if finished() { "Eerst afgerond eerst" } else { "Nieuwste eerst" }}</option>
                    </select>
                </div>
                <button type="submit" class="button">"Filteren"</button>
            </form>
            <Transition fallback=|| view! { <p>"Laden…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(l) => view! { <RequestTable list=l finished=finished() href=page_base(&list_query()) /> }.into_any(),
                        Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The list URL with the current filters, ready for `&pagina=n`.
pub fn page_base(q: &ListQuery) -> String {
    let mut href = String::from("/beheer/aanvragen?");
    for (k, v) in [
        ("tab", &q.tab),
        ("soort", &q.kind),
        ("status", &q.state),
        ("q", &q.q),
        ("sorteer", &q.sort),
    ] {
        if !v.is_empty() {
            href.push_str(&format!("{k}={}&", encode(v)));
        }
    }
    href
}

#[component]
fn RequestTable(list: RequestList, finished: bool, href: String) -> impl IntoView {
    if list.lines.is_empty() {
        return view! { <p class="empty" data-testid="requests-empty">"Geen aanvragen gevonden."</p> }.into_any();
    }
    let (prev, next) = (list.page > 1, list.page < list.pages);
    let rows = list
        .lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let check = format!("kies-{}", l.id);
            let (email, state, id) = (l.email.clone(), l.state.clone(), l.id.clone());
            let choose = format!("Kies aanvraag van {}", l.person);
            view! {
                <tr data-testid="request-row" data-email=email data-state=state>
                    {(!finished).then(move || view! {
                        <td><input type="checkbox" id=check.clone() name=format!("ids[{i}]") value=id />
                        <label for=check class="visually-hidden">{choose}</label></td>
                    })}
                    <td>{l.kind_label}</td>
                    <td><a href=format!("/beheer/aanvragen/{}", l.id)>{l.person}</a><br /><span class="hint">{l.email}</span></td>
                    <td><span class="badge">{l.level}</span></td>
                    <td><span class=format!("state state--{}", l.state)>{l.state_label}</span></td>
                    <td>{l.requested_by}</td>
                    <td title=l.created>{l.age}</td>
                </tr>
            }
        })
        .collect_view();
    let table = view! {
        <p class="hint" data-testid="requests-total">{format!("{} aanvragen", list.total)}</p>
        <div class="table-wrap">
            <table class="table" data-testid="requests">
                <thead>
                    <tr>
                        {(!finished).then(|| view! { <th scope="col">"Kies"</th> })}
                        <th scope="col">"Soort"</th>
                        <th scope="col">"Persoon"</th>
                        <th scope="col">"Niveau"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Aangevraagd door"</th>
                        <th scope="col">"Leeftijd"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    };
    let pager = view! {
        <nav class="pager" aria-label="Paginering">
            {prev.then(|| view! { <a href=format!("{href}pagina={}", list.page - 1) rel="prev">"‹ Vorige"</a> })}
            <span>{format!("Pagina {} van {}", list.page, list.pages)}</span>
            {next.then(|| view! { <a href=format!("{href}pagina={}", list.page + 1) rel="next">"Volgende ›"</a> })}
        </nav>
    };
    if finished {
        return view! { {table} {pager} }.into_any();
    }
    view! {
        <form method="post" action="/api/requests/cancel" class="stack">
            {table}
            <div class="field field--check">
                <input id="bevestig-selectie" type="checkbox" name="confirmed" />
                <label for="bevestig-selectie">"Ja, annuleer de gekozen aanvragen. Hun links en sms-codes werken daarna niet meer."</label>
            </div>
            <button type="submit" class="button button--danger">"Gekozen aanvragen annuleren"</button>
        </form>
        {pager}
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_keep_the_filters() {
        let q = ListQuery {
            tab: "afgerond".into(),
            q: "van der".into(),
            ..Default::default()
        };
        assert_eq!(page_base(&q), "/beheer/aanvragen?tab=afgerond&q=van%20der&");
        assert_eq!(page_base(&ListQuery::default()), "/beheer/aanvragen?");
    }
}
