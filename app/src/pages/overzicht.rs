//! `/overzicht`: one overview of the current organisation, or (`?alle=1`) of all that the
//! manager manages together: means by level and state, authorisations by service and
//! level, open requests by state, what expires within 60 days — every number a link to
//! its list — the person × service matrix, and the CSV export. `/overzicht/middelen` is
//! the means list behind the means counts.

use crate::api::overview::{
    overview, overview_matrix, overview_means, Count, CountRow, Matrix, MeansList, LEVELS, MATRIX_PAGE,
};
use crate::components::shell::current_organisation_id;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn flag(q: &leptos_router::params::ParamsMap, k: &str) -> bool {
    matches!(q.get(k).as_deref(), Some("1" | "true"))
}

fn num(q: &leptos_router::params::ParamsMap, k: &str) -> i64 {
    q.get(k).and_then(|p| p.parse().ok()).unwrap_or(1)
}

#[component]
pub fn OverzichtPage() -> impl IntoView {
    let query = use_query_map();
    let all = move || query.with(|q| flag(q, "alle"));
    // Where the matrix page starts: after (`na`) or before (`voor`) a row, or at the end.
    let at = move || {
        query.with(|q| {
            (
                q.get("na").unwrap_or_default(),
                q.get("voor").unwrap_or_default(),
                flag(q, "laatste"),
            )
        })
    };
    let org = current_organisation_id();
    let data = Resource::new(move || (all(), org()), |(a, _)| overview(a));
    let matrix = Resource::new(
        move || (all(), at(), org()),
        |(a, (na, voor, laatste), _)| overview_matrix(a, na, voor, laatste),
    );
    view! {
        <Title text="Overzicht" />
        <h1>"Overzicht"</h1>
        <nav class="tabs" aria-label="Bereik">
            <a href="/overzicht" aria-current=move || (!all()).then_some("page")>"Deze organisatie"</a>
            <a href="/overzicht?alle=1" aria-current=move || all().then_some("page")>"Alle organisaties die ik beheer"</a>
        </nav>
        <p><a class="button button--secondary" data-testid="export-overview" download
            href=move || format!("/overzicht/export.csv?lijst=overzicht{}", if all() { "&alle=1" } else { "" })>"Exporteer overzicht (CSV)"</a></p>
        <Transition fallback=|| view! { <p>"Cijfers laden…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        <p class="lead" data-testid="overview-scope">{d.organisations.join(", ")}</p>
                        <section class="card"><h2>"Verloopt binnen 60 dagen"</h2>
                            <p class="stat__value" data-testid="count-expiring"><CountLink c=d.expiring.clone() /></p>
                            <p class="hint">"actieve machtigingen waarvan de looptijd binnen 60 dagen eindigt"</p></section>
                        <CountTable title="Middelen per niveau en status" first="Status" rows=d.means testid="means-counts" />
                        <CountTable title="Actieve machtigingen per dienst en niveau" first="Dienst" rows=d.authorisations testid="auth-counts" />
                        <CountTable title="Lopende aanvragen per status" first="Status" rows=d.requests testid="request-counts" />
                    }.into_any(),
                    Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
        <section class="card" aria-labelledby="matrix-titel">
            <h2 id="matrix-titel">"Personen en diensten"</h2>
            <p class="hint">"Per persoon het niveau van iedere actieve machtiging. ⚠ betekent: het middel is te zwak om deze machtiging te gebruiken."</p>
            <Transition fallback=|| view! { <p>"Laden…"</p> }>
                {move || Suspend::new(async move {
                    match matrix.await {
                        Ok(m) => view! { <MatrixTable m all=all() /> }.into_any(),
                        Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CountLink(c: Count) -> impl IntoView {
    view! { <a href=c.href>{c.n}</a> }
}

#[component]
fn CountTable(title: &'static str, first: &'static str, rows: Vec<CountRow>, testid: &'static str) -> impl IntoView {
    let levelled = rows.iter().any(|r| !r.by_level.is_empty());
    view! {
        <section class="card"><h2>{title}</h2>
            {if rows.is_empty() { view! { <p class="empty">"Geen."</p> }.into_any() } else { view! {
                <div class="table-wrap"><table class="table" data-testid=testid>
                    <thead><tr><th scope="col">{first}</th>
                        {levelled.then(|| LEVELS.iter().map(|l| view! { <th scope="col">{*l}</th> }).collect_view())}
                        <th scope="col">"Totaal"</th></tr></thead>
                    <tbody>{rows.into_iter().map(|r| view! { <tr><th scope="row">{r.label}</th>
                        {r.by_level.into_iter().map(|c| view! { <td>{if c.n > 0 { view! { <CountLink c /> }.into_any() } else { view! { <span class="hint">"0"</span> }.into_any() }}</td> }).collect_view()}
                        <td><CountLink c=r.total /></td></tr> }).collect_view()}</tbody>
                </table></div> }.into_any() }}
        </section>
    }
}

#[component]
fn MatrixTable(m: Matrix, all: bool) -> impl IntoView {
    if m.rows.is_empty() {
        return view! { <p class="empty">"Nog geen mensen met een middel."</p> }.into_any();
    }
    let sfx = if all { "&alle=1" } else { "" };
    let first = if all {
        "/overzicht?alle=1#matrix-titel"
    } else {
        "/overzicht#matrix-titel"
    };
    let prev = m
        .first
        .clone()
        .filter(|_| m.has_prev)
        .map(|id| format!("/overzicht?voor={id}{sfx}#matrix-titel"));
    let next = m
        .last
        .clone()
        .filter(|_| m.has_next)
        .map(|id| format!("/overzicht?na={id}{sfx}#matrix-titel"));
    let last = m.has_next.then(|| format!("/overzicht?laatste=1{sfx}#matrix-titel"));
    let total = match m.total {
        1 => "1 persoon met een middel".to_string(),
        n => format!("{n} personen met een middel"),
    };
    view! {
        <div class="table-wrap"><table class="table matrix" data-testid="matrix">
            <thead><tr><th scope="col">"Persoon"</th><th scope="col">"Middel"</th>
                {m.columns.iter().map(|c| view! { <th scope="col">{c.label.clone()}</th> }).collect_view()}</tr></thead>
            <tbody>{m.rows.into_iter().map(|r| view! { <tr>
                <th scope="row">{r.name}<br /><span class="hint">{r.email}</span>{all.then(|| view! { <br /><span class="hint">{r.organisation}</span> })}</th>
                <td><span class="badge">{r.means_level}</span></td>
                {r.cells.into_iter().map(|c| match c {
                    Some(c) if c.too_weak => view! { <td class="matrix__weak" title="Middel te zwak voor deze machtiging">{format!("⚠ {}", c.level)}</td> }.into_any(),
                    Some(c) => view! { <td>{c.level}</td> }.into_any(),
                    None => view! { <td class="hint">"–"</td> }.into_any(),
                }).collect_view()}
            </tr> }).collect_view()}</tbody>
        </table></div>
        <nav class="pager" aria-label="Paginering personen" data-testid="matrix-pager">
            {m.has_prev.then(|| view! { <a href=first>"« Eerste"</a> })}
            {prev.map(|href| view! { <a href=href rel="prev">"‹ Vorige"</a> })}
            <span data-testid="matrix-total">{format!("{total}, {MATRIX_PAGE} per pagina")}</span>
            {next.map(|href| view! { <a href=href rel="next">"Volgende ›"</a> })}
            {last.map(|href| view! { <a href=href>"Laatste »"</a> })}
        </nav>
    }
    .into_any()
}

/// `/overzicht/middelen?niveau=&status=&alle=`: the means behind a count.
#[component]
pub fn OverzichtMiddelenPage() -> impl IntoView {
    let query = use_query_map();
    let args = move || {
        query.with(|q| {
            (
                flag(q, "alle"),
                q.get("niveau").unwrap_or_default(),
                q.get("status").unwrap_or_default(),
                num(q, "pagina"),
            )
        })
    };
    let org = current_organisation_id();
    let list = Resource::new(move || (args(), org()), |((a, n, s, p), _)| overview_means(a, n, s, p));
    view! {
        <Title text="Middelen" />
        <h1>"Middelen"</h1>
        <p><a href="/overzicht">"‹ Terug naar het overzicht"</a></p>
        <p><a class="button button--secondary" download href=move || {
            let (a, n, s, _) = args();
            format!("/overzicht/export.csv?lijst=middelen&niveau={}&status={}{}", crate::api::authorisations::encode(&n), crate::api::authorisations::encode(&s), if a { "&alle=1" } else { "" })
        }>"Exporteer deze lijst (CSV)"</a></p>
        <Transition fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(l) => view! { <MeansTable l /> }.into_any(),
                    Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn MeansTable(l: MeansList) -> impl IntoView {
    view! {
        <p class="hint" data-testid="means-total">{format!("{} middelen", l.total)}</p>
        <div class="table-wrap"><table class="table" data-testid="means-list">
            <thead><tr><th scope="col">"Naam"</th><th scope="col">"E-mailadres"</th><th scope="col">"Organisatie"</th>
                <th scope="col">"Niveau"</th><th scope="col">"Status"</th></tr></thead>
            <tbody>{l.lines.into_iter().map(|m| view! { <tr><td>{m.name}</td><td>{m.email}</td><td>{m.organisation}</td>
                <td><span class="badge">{m.level}</span></td><td>{m.state_label}</td></tr> }).collect_view()}</tbody>
        </table></div>
        <p class="hint">{format!("Pagina {} van {}", l.page, l.pages)}</p>
    }
}
