//! Benchmark: storing a confirmed batch of 50,000 means requests (means with particulars, requests,
//! timeline, activation tokens, outbox e-mails, audit) through the real service in one
//! transaction, beside the fastest plain way to store the same rows (native driver,
//! multi-row INSERTs on SQLite, `COPY` on PostgreSQL, one transaction), on SQLite and on
//! PostgreSQL (`TEST_POSTGRES_URL`). Prints `BENCH` lines.

mod common;

use common::{drop_postgres_db, fresh, postgres_db, settle};

use app::domain::person_request::PersonRequest;
use app::domain::time::CivilDate;
use app::domain::value::{AssuranceLevel, BirthDate, DutchMobile, Email, PersonName};
use app::server::db::{batches, directory, new_id, Db};
use app::server::service::means_request::{request_means, Requester};
use std::time::Instant;

const ROWS: usize = 50_000;

fn people(n: usize) -> Vec<PersonRequest> {
    let today = CivilDate::new(2026, 6, 1).unwrap();
    let letters = |i: usize| {
        let a = b"abcdefghijklmnopqrstuvwxyz";
        format!(
            "B{}{}{}{}",
            a[i / 17_576 % 26] as char,
            a[i / 676 % 26] as char,
            a[i / 26 % 26] as char,
            a[i % 26] as char
        )
    };
    (0..n)
        .map(|i| PersonRequest {
            name: PersonName::new("Lid", "", &letters(i)).unwrap(),
            birth_date: BirthDate::parse("15-06-1990", today).unwrap(),
            email: Email::parse(&format!("lid.{i}@example.nl")).unwrap(),
            mobile: DutchMobile::parse(&format!("06{:08}", 10_000_000 + i)).unwrap(),
            employed: i % 3 != 0,
            level: AssuranceLevel::Eh2Plus,
            services: Vec::new(),
            term: None,
        })
        .collect()
}

/// Beheer → Gebruikers on the 50,000 people just stored: a page of the list and a search,
/// each the median of 9 (count + page, as the server function runs them).
async fn people_list_figures(db: &Db, org: &str, backend: &str) {
    let mut c = db.pool.acquire().await.unwrap();
    for (name, query, offset) in [("people_page_50k", "", 25_000), ("people_search_50k", "baaz", 0)] {
        let mut times = Vec::new();
        for _ in 0..9 {
            let t = Instant::now();
            let total = directory::count(&mut c, org, query).await.unwrap();
            let rows = directory::page(&mut c, org, query, offset, 25).await.unwrap();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            assert!(total > 0 && !rows.is_empty());
        }
        times.sort_by(f64::total_cmp);
        println!("BENCH {name}_{backend}_ms {:.1} ms", times[4]);
    }
}

/// One confirmed upload as `service::upload::commit` stores it: the batch's requests
/// (with their means, timeline, tokens, e-mails and audit) and the batch marked
/// committed, in one transaction. The batch row is staged beforehand, as the upload does.
async fn service_ms(url: &str, people: &[PersonRequest], backend: &str, list_figures: bool) -> f64 {
    let (db, org, manager) = fresh(url).await;
    let batch = new_id();
    let mut c = db.pool.acquire().await.unwrap();
    batches::stage(&mut c, &batch, &org, &manager, 1).await.unwrap();
    drop(c);
    settle(&db).await;
    let by = Requester {
        account_id: &manager,
        organisation_id: &org,
        organisation_name: "Bench B.V.",
        manager_level: AssuranceLevel::Eh4,
        public_url: "http://127.0.0.1:3000",
        link_ttl_ms: 24 * 3_600_000,
    };
    let started = Instant::now();
    let mut tx = db.begin().await.unwrap();
    let out = request_means(&mut tx, &by, people, Some(&batch), 1_780_000_000_000)
        .await
        .expect("batch");
    assert!(batches::commit(&mut tx, &batch, "sha", people.len() as i64)
        .await
        .unwrap());
    tx.commit().await.unwrap();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(out.created, people.len());
    if list_figures {
        people_list_figures(&db, &org, backend).await;
    }
    db.pool.close().await;
    ms
}

/// The same rows as a baseline, stored the fastest plain way each database offers, in one
/// transaction: with the native driver (not `Any`), SQLite gets multi-row INSERTs of
/// prepared statements, PostgreSQL `COPY … FROM STDIN`. No checks, no audit wording, no
/// tokens hashed: only the rows.
async fn bare_ms(url: &str, people: &[PersonRequest]) -> f64 {
    let (db, org, manager) = fresh(url).await;
    let batch = new_id();
    let mut c = db.pool.acquire().await.unwrap();
    batches::stage(&mut c, &batch, &org, &manager, 1).await.unwrap();
    drop(c);
    settle(&db).await;
    db.pool.close().await;
    let rows = BareRows::new(people, &org, &manager, &batch);
    let started = Instant::now();
    if url.starts_with("sqlite:") {
        bare_sqlite(url, &rows).await;
    } else {
        bare_copy(url, &rows).await;
    }
    started.elapsed().as_secs_f64() * 1000.0
}

/// A table, its columns, and its rows as text.
type BareTable = (&'static str, &'static [&'static str], Vec<Vec<String>>);

/// Every table's rows as text columns, made before the clock starts.
struct BareRows {
    tables: Vec<BareTable>,
}

impl BareRows {
    fn new(people: &[PersonRequest], org: &str, manager: &str, batch: &str) -> BareRows {
        let (mut means, mut requests, mut events, mut tokens, mut mails, mut audit) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for p in people {
            let (m, r) = (new_id(), new_id());
            let s = |v: &str| v.to_string();
            means.push(vec![
                m.clone(),
                s(org),
                s(p.email.as_str()),
                s(p.name.given_names().as_ref()),
                s(p.name.surname().as_ref()),
                p.birth_date.iso(),
                s(p.mobile.as_e164()),
                s(p.level.as_str()),
                s("requested"),
                i64::from(p.employed).to_string(),
                s("1"),
                s("1"),
            ]);
            requests.push(vec![
                r.clone(),
                s(org),
                s("new_means"),
                s("awaiting_email"),
                m,
                s(batch),
                s(manager),
                s("{}"),
                s("1"),
                s("1"),
            ]);
            for event in ["created", "email_sent"] {
                events.push(vec![new_id(), r.clone(), s("1"), s(manager), s(event), s("{}")]);
            }
            tokens.push(vec![new_id(), r.clone(), s("activate"), s("1"), s("2")]);
            mails.push(vec![
                new_id(),
                s("email"),
                s(p.email.as_str()),
                s("Activeer"),
                s("body"),
                s("1"),
                s("1"),
            ]);
            audit.push(vec![
                new_id(),
                s("1"),
                s(manager),
                s(org),
                s("means_requested"),
                s("request"),
                r,
            ]);
        }
        BareRows {
            tables: vec![
                (
                    "means",
                    &[
                        "id",
                        "organisation_id",
                        "email",
                        "given_names",
                        "surname",
                        "birth_date",
                        "mobile_e164",
                        "level",
                        "state",
                        "employed",
                        "created_at",
                        "updated_at",
                    ],
                    means,
                ),
                (
                    "requests",
                    &[
                        "id",
                        "organisation_id",
                        "kind",
                        "state",
                        "means_id",
                        "batch_id",
                        "requested_by",
                        "payload",
                        "created_at",
                        "updated_at",
                    ],
                    requests,
                ),
                (
                    "request_events",
                    &["id", "request_id", "at", "actor", "event", "detail"],
                    events,
                ),
                (
                    "verification_tokens",
                    &["token_sha256", "request_id", "purpose", "created_at", "expires_at"],
                    tokens,
                ),
                (
                    "outbox",
                    &[
                        "id",
                        "channel",
                        "recipient",
                        "subject",
                        "body",
                        "created_at",
                        "next_attempt_at",
                    ],
                    mails,
                ),
                (
                    "audit_events",
                    &[
                        "id",
                        "at",
                        "actor",
                        "organisation_id",
                        "action",
                        "target_kind",
                        "target_id",
                    ],
                    audit,
                ),
            ],
        }
    }
}

/// SQLite, native driver: multi-row INSERTs of up to 8,000 parameters, one transaction.
async fn bare_sqlite(url: &str, rows: &BareRows) {
    use sqlx::{Connection, QueryBuilder, Sqlite};
    let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
    sqlx::query("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL")
        .execute(&mut conn)
        .await
        .unwrap();
    let mut tx = conn.begin().await.unwrap();
    for (table, cols, data) in &rows.tables {
        for chunk in data.chunks(8_000 / cols.len()) {
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(format!("INSERT INTO {table} ({}) ", cols.join(", ")));
            q.push_values(chunk, |mut b, row| {
                for v in row {
                    b.push_bind(v.as_str());
                }
            });
            q.build().execute(&mut *tx).await.unwrap();
        }
    }
    tx.commit().await.unwrap();
    conn.close().await.unwrap();
}

/// PostgreSQL, native driver: one `COPY … FROM STDIN` per table, one transaction.
async fn bare_copy(url: &str, rows: &BareRows) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let mut tx = conn.begin().await.unwrap();
    for (table, cols, data) in &rows.tables {
        let mut text = String::new();
        for row in data {
            // The values hold no tab, newline or backslash: COPY's text format as is.
            text.push_str(&row.join("\t"));
            text.push('\n');
        }
        let mut copy = tx
            .copy_in_raw(&format!("COPY {table} ({}) FROM STDIN", cols.join(", ")))
            .await
            .unwrap();
        copy.send(text.into_bytes()).await.unwrap();
        copy.finish().await.unwrap();
    }
    tx.commit().await.unwrap();
    conn.close().await.unwrap();
}

/// Timed runs of the batch, each on a fresh database; the figure is their median.
const RUNS: usize = 3;

#[tokio::main]
async fn main() {
    // `bench-bulk [sqlite|postgres]`: one backend only; both by default.
    let only = std::env::args().nth(1);
    let people = people(ROWS);
    let dir = std::env::temp_dir().join(format!("bench-bulk-{}", new_id()));
    std::fs::create_dir_all(&dir).unwrap();
    for backend in ["sqlite", "postgres"] {
        if only.as_deref().is_some_and(|o| o != backend) {
            continue;
        }
        let mut n = 0;
        let mut url = || {
            n += 1;
            let file = dir.join(format!("{n}.db")).display().to_string();
            async move {
                if backend == "sqlite" {
                    format!("sqlite://{file}")
                } else {
                    postgres_db().await
                }
            }
        };
        let mut urls = Vec::new();
        let bare_url = url().await;
        let bare = bare_ms(&bare_url, &people).await;
        urls.push(bare_url);
        let mut runs = Vec::new();
        for run in 0..RUNS {
            let batch_url = url().await;
            runs.push(service_ms(&batch_url, &people, backend, run == 0).await);
            urls.push(batch_url);
        }
        if backend == "postgres" {
            for u in &urls {
                drop_postgres_db(u).await;
            }
        }
        let shown: Vec<String> = runs.iter().map(|ms| format!("{ms:.0}")).collect();
        runs.sort_by(f64::total_cmp);
        let batch = runs[RUNS / 2];
        println!("# {backend}: {RUNS} batch runs, ms: {}", shown.join(", "));
        println!("BENCH bare_insert_50k_{backend}_ms {bare:.0} ms");
        println!("BENCH bulk_create_50k_{backend}_ms {batch:.0} ms");
        println!("BENCH bulk_vs_bare_{backend}_ratio {:.2} x", batch / bare);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
