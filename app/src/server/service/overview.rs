//! Overzicht (flow 8), server side: the counts with the links to the lists behind them
//! (cached by `overview_cache`), the person × service matrix page by page, and the means
//! list behind the means counts — the same rows the CSV export writes.
//!
//! Read only: nothing here writes, so nothing here audits.

use crate::contract::authorisations::encode as enc;
use crate::contract::overview::*;
use crate::domain::request::RequestState;
use crate::domain::value::display_name;
use crate::error::AppError;
use crate::server::db::{overview as q, services, Conn};
use std::collections::BTreeMap;

fn count(n: i64, href: String) -> Count {
    Count { n, href }
}

/// The matrix page a query asks for: the last (`laatste`), the one after means `na`, the
/// one before means `voor`, or the first. Ids are clipped to 64 characters.
pub fn cursor(na: &str, voor: &str, laatste: bool) -> q::Cursor {
    use q::Cursor;
    match (na.trim(), voor.trim(), laatste) {
        (_, _, true) => Cursor::Last,
        (id, _, _) if !id.is_empty() => Cursor::After(id.chars().take(64).collect()),
        (_, id, _) if !id.is_empty() => Cursor::Before(id.chars().take(64).collect()),
        _ => Cursor::First,
    }
}

/// The means of `orgs` at level `niveau` in state `status` (either may be empty: any),
/// as the list and the export filter them.
pub fn means_filter(orgs: Vec<String>, niveau: &str, status: &str) -> q::MeansFilter {
    q::MeansFilter {
        organisation_ids: orgs,
        level: niveau.chars().take(10).collect(),
        state: status.chars().take(30).collect(),
        ..Default::default()
    }
}

/// One line of the means list (and of its export).
pub fn means_line(m: q::MeansLine) -> MeansListLine {
    MeansListLine {
        organisation: m.organisation_name,
        name: display_name(&m.given_names, m.prefix.as_deref(), &m.surname),
        email: m.email,
        level: m.level.to_string(),
        state_label: m.state.label_nl().to_string(),
        state: m.state.to_string(),
    }
}

/// Page `page` (clamped to the pages there are) of the means `f` selects.
pub async fn means_list(conn: &mut Conn, f: &q::MeansFilter, page: i64) -> Result<MeansList, AppError> {
    let total = q::count_means(conn, f).await?;
    let size = crate::contract::authorisations::PAGE_SIZE;
    let pages = ((total + size - 1) / size).max(1);
    let page = page.clamp(1, pages);
    let lines = q::means_page(conn, f, (page - 1) * size, size)
        .await?
        .into_iter()
        .map(means_line)
        .collect();
    Ok(MeansList {
        total,
        page,
        pages,
        lines,
    })
}

/// The counts of `orgs` at `now`, each with the link to its list (`all`: the links keep
/// `&alle=1`). `organisations` is left empty: the caller names them.
pub async fn build(conn: &mut Conn, orgs: &[String], all: bool, now: i64) -> Result<OverviewData, AppError> {
    use crate::server::clock::DAY_MS;
    let sfx = all_suffix(all);
    let mut means: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    for c in q::means_counts(conn, orgs).await? {
        *means
            .entry(c.state.to_string())
            .or_default()
            .entry(c.level.to_string())
            .or_default() += c.n;
    }
    let means = crate::domain::means::MeansState::ALL
        .iter()
        .filter_map(|s| means.get(s.as_str()).map(|m| (s.as_str(), m)))
        .map(|(state, m)| CountRow {
            label: means_state_label(state),
            by_level: LEVELS
                .iter()
                .map(|l| {
                    count(
                        *m.get(*l).unwrap_or(&0),
                        format!("/overzicht/middelen?niveau={}&status={state}{sfx}", enc(l)),
                    )
                })
                .collect(),
            total: count(m.values().sum(), format!("/overzicht/middelen?status={state}{sfx}")),
        })
        .collect();
    let names: BTreeMap<String, String> = services::all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, format!("{} ({})", s.name, s.provider)))
        .collect();
    let mut auths: BTreeMap<(String, String), BTreeMap<String, i64>> = BTreeMap::new();
    for c in q::authorisation_counts(conn, orgs).await? {
        let (key, label) = match c.service_id {
            Some(id) => (id.clone(), names.get(&id).cloned().unwrap_or(id)),
            None => ("alle".to_string(), "Alle diensten t/m niveau".to_string()),
        };
        *auths
            .entry((label, key))
            .or_default()
            .entry(c.level.to_string())
            .or_default() += c.n;
    }
    let authorisations = auths
        .into_iter()
        .map(|((label, key), m)| CountRow {
            label,
            by_level: LEVELS
                .iter()
                .map(|l| {
                    let href = format!("/beheer/machtigingen?dienst={key}&niveau={}&status=active{sfx}", enc(l));
                    count(*m.get(*l).unwrap_or(&0), href)
                })
                .collect(),
            total: count(
                m.values().sum(),
                format!("/beheer/machtigingen?dienst={key}&status=active{sfx}"),
            ),
        })
        .collect();
    let requests = q::open_request_counts(conn, orgs)
        .await?
        .into_iter()
        .map(|(state, n)| CountRow {
            label: RequestState::parse(&state)
                .map(|s| s.label_nl().to_string())
                .unwrap_or(state.clone()),
            by_level: Vec::new(),
            total: count(n, format!("/beheer/aanvragen?status={state}")),
        })
        .collect();
    let expiring = q::expiring_count(conn, orgs, now, now + 60 * DAY_MS).await?;
    Ok(OverviewData {
        all,
        organisations: Vec::new(),
        means,
        authorisations,
        requests,
        expiring: count(expiring, format!("/beheer/machtigingen?verloopt=true{sfx}")),
    })
}

/// One page of the matrix of `orgs`: people with a live means × the services they hold.
pub async fn matrix(conn: &mut Conn, orgs: &[String], cursor: q::Cursor) -> Result<Matrix, AppError> {
    use q::Cursor;
    let f = q::MeansFilter {
        organisation_ids: orgs.to_vec(),
        live_only: true,
        ..Default::default()
    };
    let total = q::count_means(conn, &f).await?;
    let mut page = q::matrix_page(conn, orgs, &cursor, MATRIX_PAGE).await?;
    // Nothing left beyond the cursor (the list shrank meanwhile): show the end it points to.
    if page.rows.is_empty() && total > 0 {
        let end = match page.cursor {
            Cursor::After(_) => Some(Cursor::Last),
            Cursor::Before(_) => Some(Cursor::First),
            _ => None,
        };
        if let Some(end) = end {
            page = q::matrix_page(conn, orgs, &end, MATRIX_PAGE).await?;
        }
    }
    let (has_prev, has_next) = match &page.cursor {
        Cursor::First => (false, page.more),
        Cursor::After(_) => (true, page.more),
        Cursor::Before(_) => (page.more, true),
        Cursor::Last => (page.more, false),
    };
    let people = page.rows;
    let ids: Vec<String> = people.iter().map(|p| p.means_id.clone()).collect();
    let cells = q::cells(conn, &ids).await?;
    let names: BTreeMap<String, String> = services::all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, format!("{} ({})", s.name, s.provider)))
        .collect();
    let mut keys: Vec<String> = cells
        .iter()
        .map(|c| c.service_id.clone().unwrap_or_else(|| "alle".into()))
        .collect();
    keys.sort();
    keys.dedup();
    let columns: Vec<MatrixColumn> = keys
        .iter()
        .map(|k| MatrixColumn {
            key: k.clone(),
            label: names
                .get(k)
                .cloned()
                .unwrap_or_else(|| "Alle diensten t/m niveau".into()),
        })
        .collect();
    let rows = people
        .into_iter()
        .map(|p| {
            let mine: Vec<_> = cells.iter().filter(|c| c.means_id == p.means_id).collect();
            MatrixRow {
                name: display_name(&p.given_names, p.prefix.as_deref(), &p.surname),
                email: p.email,
                organisation: p.organisation_name,
                cells: keys
                    .iter()
                    .map(|k| {
                        mine.iter()
                            .filter(|c| c.service_id.as_deref().unwrap_or("alle") == k)
                            .max_by(|a, b| a.level.cmp(&b.level))
                            .map(|c| MatrixCell {
                                too_weak: p.level < c.level,
                                level: c.level.to_string(),
                            })
                    })
                    .collect(),
                means_level: p.level.to_string(),
            }
        })
        .collect();
    Ok(Matrix {
        columns,
        rows,
        total,
        first: ids.first().cloned(),
        last: ids.last().cloned(),
        has_prev,
        has_next,
    })
}
