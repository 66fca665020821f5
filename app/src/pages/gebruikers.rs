//! `/beheer/gebruikers`: the people of the current organisation with their means
//! (searchable, paged through the URL so it works without JavaScript and survives a
//! reload), and requesting means by hand or from a CSV file.

use crate::api::users::{list_people, PeoplePage};
use crate::components::csv_upload::CsvUpload;
use crate::components::request_form::RequestForm;
use crate::components::shell::current_organisation_id;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn GebruikersPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("pagina")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
    };
    let org = current_organisation_id();
    let refresh = RwSignal::new(0u32);
    let people = Resource::new(
        move || (q(), page(), org(), refresh.get()),
        |(q, p, _, _)| list_people(q, p),
    );
    view! {
        <Title text="Gebruikers" />
        <h1>"Gebruikers"</h1>
        <p class="lead">"De mensen van uw organisatie met hun eHerkenningsmiddel. Vraag hieronder nieuwe middelen aan."</p>
        <section class="card">
            <Form method="GET" action="">
                <div class="search">
                    <label for="zoek">"Zoek op naam of e-mailadres"</label>
                    <div class="search__row">
                        <input id="zoek" type="search" name="q" prop:value=q maxlength="100" />
                        <button type="submit" class="button">"Zoeken"</button>
                    </div>
                </div>
            </Form>
            <Transition fallback=|| view! { <p>"Laden…"</p> }>
                {move || Suspend::new(async move {
                    match people.await {
                        Ok(p) => view! { <PeopleTable page=p query=q() /> }.into_any(),
                        Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <RequestForm on_done=move || refresh.update(|n| *n += 1) />
        <CsvUpload on_done=move || refresh.update(|n| *n += 1) />
    }
}

fn page_href(query: &str, page: i64) -> String {
    let mut href = format!("/beheer/gebruikers?pagina={page}");
    if !query.is_empty() {
        href.push_str("&q=");
        for b in query.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => href.push(b as char),
                _ => href.push_str(&format!("%{b:02X}")),
            }
        }
    }
    href
}

#[component]
fn PeopleTable(page: PeoplePage, query: String) -> impl IntoView {
    if page.lines.is_empty() {
        let msg = if query.is_empty() {
            "Er zijn nog geen gebruikers met een middel.".to_string()
        } else {
            format!("Niemand gevonden voor ‘{query}’.")
        };
        return view! { <p class="empty">{msg}</p> }.into_any();
    }
    let (prev, next) = (page.page > 1, page.page < page.pages);
    view! {
        <p class="hint" data-testid="people-total">{format!("{} {}", page.total, if page.total == 1 { "middel" } else { "middelen" })}</p>
        <div class="table-wrap">
            <table class="table" data-testid="people">
                <thead>
                    <tr>
                        <th scope="col">"Naam"</th>
                        <th scope="col">"E-mailadres"</th>
                        <th scope="col">"Niveau"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"In loondienst"</th>
                        <th scope="col">"Sinds"</th>
                        <th scope="col">"Acties"</th>
                    </tr>
                </thead>
                <tbody>
                    {page
                        .lines
                        .into_iter()
                        .map(|l| {
                            let label = format!("Upgrade of opzeggen: {}", l.email);
                            view! {
                                <tr>
                                    <td>{l.name}</td>
                                    <td>{l.email}</td>
                                    <td><span class="badge">{l.level}</span></td>
                                    <td><span class=format!("state state--{}", l.state)>{l.state_label}</span></td>
                                    <td>{if l.employed { "ja" } else { "nee" }}</td>
                                    <td>{l.since}</td>
                                    <td><a href=format!("/beheer/middelen/{}", l.means_id) aria-label=label>"Upgrade of opzeggen"</a></td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label="Paginering">
            {prev.then(|| view! { <a href=page_href(&query, page.page - 1) rel="prev">"‹ Vorige"</a> })}
            <span>{format!("Pagina {} van {}", page.page, page.pages)}</span>
            {next.then(|| view! { <a href=page_href(&query, page.page + 1) rel="next">"Volgende ›"</a> })}
        </nav>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_links_keep_the_query_encoded() {
        assert_eq!(super::page_href("", 2), "/beheer/gebruikers?pagina=2");
        assert_eq!(
            super::page_href("van der", 3),
            "/beheer/gebruikers?pagina=3&q=van%20der"
        );
    }
}
