//! Server side of Overzicht: the counts with their links, and the person × service matrix.

use super::*;
use crate::api::authorisations::encode as enc;
use crate::domain::request::RequestState;
use crate::server::db::{overview as q, services, Conn};
use std::collections::BTreeMap;

fn count(n: i64, href: String) -> Count {
    Count { n, href }
}

pub fn person_name(given: &str, prefix: Option<&str>, surname: &str) -> String {
    match prefix.filter(|p| !p.is_empty()) {
        Some(p) => format!("{given} {p} {surname}"),
        None => format!("{given} {surname}"),
    }
}

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
                name: person_name(&p.given_names, p.prefix.as_deref(), &p.surname),
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
