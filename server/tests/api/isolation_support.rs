//! The world of the generated isolation test: three organisations with a manager each, the
//! first of whom also manages the second (one account, a means in both, and the switch);
//! people in each whose e-mail addresses recur in the others; the two demo organisations;
//! and a model of what every organisation owns, kept up to date from the database.
//!
//! A leak is what belongs to one organisation only: its tag (in every surname its people got),
//! name and id, the ids of its means, requests and authorisations, and addresses only its
//! people have (an address several organisations hold is by design no marker of either).

use crate::helpers::TestApp;
use crate::identity_support::{request, tenant, Tenant, TENANT_PASSWORD};
use app::domain::means::MeansState;
use app::domain::value::AssuranceLevel;
use app::server::db::means::{self, MeansRow};
use app::server::db::{authorisations, new_id};
use std::collections::{HashMap, HashSet};

/// Test cases drawn from the upload sample's SplitMix64: deterministic per seed.
pub struct Rng(pub app::upload::sample::SplitMix);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn percent(&mut self, p: u64) -> bool {
        self.next() % 100 < p
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// An id of the shape of the real ones that no table holds.
    pub fn uuid(&mut self) -> String {
        uuid::Uuid::from_u128(((self.next() as u128) << 64) | self.next() as u128).to_string()
    }
}

/// KvK number, name, tag, manager's e-mail address and mobile of the three organisations.
#[rustfmt::skip]
const TENANTS: [(&str, &str, &str, &str, &str); 3] = [
    ("51000001", "Aalsmeer Installatie B.V.", "Xantippe", "beheer@aalsmeer.example", "+31651000001"),
    ("51000002", "Bergen Logistiek B.V.", "Ypsilanti", "beheer@bergen.example", "+31651000002"),
    ("51000003", "Capelle Zorg B.V.", "Zwaluwstaart", "beheer@capelle.example", "+31651000003"),
];

/// Addresses of people in several organisations (indexes into `TENANTS`).
pub const SHARED: [(&str, &[usize]); 4] = [
    ("noor.jansma@gedeeld.example", &[0, 1, 2]),
    ("sam.dekker@gedeeld.example", &[0, 1]),
    ("lex.mulder@gedeeld.example", &[1, 2]),
    ("ria.kok@gedeeld.example", &[0, 2]),
];

pub const SURNAMES: [&str; 6] = ["Jansma", "Dekker", "Mulder", "Kok", "Visscher", "Brouwer"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Means,
    Request,
    Authorisation,
}

pub struct Org {
    pub id: String,
    pub name: String,
    /// In every surname of its people (`None` for the demo organisations).
    pub tag: Option<String>,
}

pub struct Item {
    pub org: usize,
    pub kind: Kind,
    pub state: String,
    /// A manager's means: the test never cancels it, so nobody loses Beheer.
    pub protected: bool,
}

pub struct Actor {
    pub label: &'static str,
    /// `bm_session` value of a complete session.
    pub cookie: String,
    pub managed: Vec<usize>,
    pub current: usize,
}

/// Rows of (what, how many, last change) about one organisation and the accounts.
pub type Digest = Vec<(String, i64, i64)>;

pub struct World {
    pub orgs: Vec<Org>,
    pub org_ids: HashMap<String, usize>,
    pub actors: Vec<Actor>,
    pub items: HashMap<String, Item>,
    /// Per organisation and `Kind as usize`: its ids in the order they appeared.
    pub ids: Vec<[Vec<String>; 3]>,
    /// Lower-case address → the organisations with a means for it.
    pub emails: HashMap<String, HashSet<usize>>,
    pub services: Vec<String>,
    /// Numbers people and addresses made up by the test.
    pub counter: u64,
}

/// Person number `n` gets an active means in `org` (name, level, mobile and employment
/// follow `n`).
async fn person(app: &TestApp, org: &str, email: &str, surname: &str, n: u64) {
    let now = app.state.now();
    let row = MeansRow {
        id: new_id(),
        account_id: None,
        organisation_id: org.into(),
        email: email.into(),
        given_names: ["Noor", "Anna", "Nina"][n as usize % 3].into(),
        prefix: None,
        surname: surname.into(),
        birth_date: "1984-04-04".into(),
        mobile_e164: format!("+3162{:07}", n % 10_000_000),
        level: [AssuranceLevel::Eh2Plus, AssuranceLevel::Eh3][n as usize % 2],
        state: MeansState::Active,
        employed: !n.is_multiple_of(3) as i64,
        valid_until: None,
        created_at: now,
        updated_at: now,
    };
    let mut c = app.state.db.pool.acquire().await.unwrap();
    means::insert(&mut c, &row).await.unwrap();
}

/// `t`'s manager becomes a manager of `org` too: a copy of their means and of their
/// `manage` authorisation there.
async fn also_manages(app: &TestApp, t: &Tenant, org: &str, tag: &str) {
    let (m, a): (String, String) = sqlx::query_as(
        "SELECT a.means_id, a.id FROM authorisations a WHERE a.organisation_id = $1 AND a.scope = 'manage'",
    )
    .bind(&t.org)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    let mut c = app.state.db.pool.acquire().await.unwrap();
    let mut m = means::find(&mut c, &t.org, &m).await.unwrap().unwrap();
    let mut a = authorisations::find(&mut c, &t.org, &a).await.unwrap().unwrap();
    (m.id, m.organisation_id, m.surname) = (new_id(), org.into(), format!("Tweede-{tag}"));
    (a.id, a.means_id, a.organisation_id) = (new_id(), m.id.clone(), org.into());
    means::insert(&mut c, &m).await.unwrap();
    authorisations::insert(&mut c, &a).await.unwrap();
}

impl World {
    pub async fn build(app: &TestApp) -> World {
        let mut tenants = Vec::new();
        for (kvk, name, _, email, mobile) in TENANTS {
            tenants.push(tenant(app, kvk, name, email, mobile).await);
        }
        also_manages(app, &tenants[0], &tenants[1].org, TENANTS[1].2).await;
        let mut n = 0;
        for (o, t) in tenants.iter().enumerate() {
            let tag = TENANTS[o].2;
            let shared = SHARED
                .iter()
                .filter(|(_, orgs)| orgs.contains(&o))
                .map(|(e, _)| e.to_string());
            for email in shared.chain((0..3).map(|i| format!("eigen{o}{i}@uniek.example"))) {
                n += 1;
                let surname = format!("{}-{tag}", SURNAMES[n as usize % SURNAMES.len()]);
                person(app, &t.org, &email, &surname, n).await;
            }
            // Two waiting requests through the real server function, one for a shared address.
            let wim = format!("wim{o}@uniek.example");
            for (given, email, level) in [("Joost", "joost.vink@gedeeld.example", "EH3"), ("Wim", &wim, "EH2+")] {
                let (surname, mobile) = (format!("{given}-{tag}"), format!("06 58{}0 000{o}", level.len()));
                request(app, t, given, &surname, email, &mobile, level).await;
            }
        }
        let mut orgs: Vec<Org> = (tenants.iter().zip(TENANTS))
            .map(|(t, (_, _, tag, _, _))| Org {
                id: t.org.clone(),
                name: t.name.clone(),
                tag: Some(tag.into()),
            })
            .collect();
        // The demo organisations (their people's names are in the CSV sample too: no tag).
        let all: Vec<(String, String)> = sqlx::query_as("SELECT id, name FROM organisations ORDER BY name")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
        let demo: Vec<Org> = (all.into_iter().filter(|(id, _)| !orgs.iter().any(|o| &o.id == id)))
            .map(|(id, name)| Org { id, name, tag: None })
            .collect();
        orgs.extend(demo);
        let mut actors = Vec::new();
        for (i, t) in tenants.into_iter().enumerate() {
            // The second organisation opens only to a session that logs in after it came.
            let cookie = match i {
                0 => app.login(&t.manager_email, TENANT_PASSWORD, &t.manager_mobile).await,
                _ => t.session,
            };
            let label = ["beheerder A (van A en B)", "beheerder B", "beheerder C"][i];
            let managed = if i == 0 { vec![0, 1] } else { vec![i] };
            actors.push(Actor {
                label,
                cookie,
                managed,
                current: i,
            });
        }
        let services = sqlx::query_scalar("SELECT id FROM services ORDER BY id")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
        let mut w = World {
            org_ids: orgs.iter().enumerate().map(|(i, o)| (o.id.clone(), i)).collect(),
            ids: orgs.iter().map(|_| Default::default()).collect(),
            orgs,
            actors,
            items: HashMap::new(),
            emails: HashMap::new(),
            services,
            counter: n,
        };
        w.refresh(app, 0, None).await;
        w
    }

    /// Takes in every means, request and authorisation of `org` (or of all) changed at or
    /// after `since`.
    pub async fn refresh(&mut self, app: &TestApp, since: i64, org: Option<usize>) {
        let only = org
            .map(|o| format!("AND organisation_id = '{}'", self.orgs[o].id))
            .unwrap_or_default();
        let sql = format!(
            "SELECT 0, id, organisation_id, state, email,
                    (SELECT COUNT(*) FROM authorisations a WHERE a.means_id = m.id AND a.scope = 'manage')
               FROM means m WHERE updated_at >= $1 {only}
             UNION ALL SELECT 1, id, organisation_id, state, '', 0 FROM requests WHERE updated_at >= $1 {only}
             UNION ALL SELECT 2, id, organisation_id, state, '', 0 FROM authorisations WHERE updated_at >= $1 {only}"
        );
        let rows: Vec<(i32, String, String, String, String, i64)> = sqlx::query_as(&sql)
            .bind(since)
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
        for (kind, id, org, state, email, managers) in rows {
            let o = self.org_ids[&org];
            let kind = [Kind::Means, Kind::Request, Kind::Authorisation][kind as usize];
            if kind == Kind::Means {
                self.emails.entry(email.to_lowercase()).or_default().insert(o);
            }
            if let Some(item) = self.items.get_mut(&id) {
                item.state = state;
            } else {
                self.ids[o][kind as usize].push(id.clone());
                self.items.insert(
                    id,
                    Item {
                        org: o,
                        kind,
                        state,
                        protected: managers > 0,
                    },
                );
            }
        }
    }

    /// Keeps at least four people with an active means in `org`, to grant, upgrade and cancel.
    pub async fn replenish(&mut self, app: &TestApp, org: usize) {
        let Some(tag) = self.orgs[org].tag.clone() else { return };
        let active = (self.ids[org][Kind::Means as usize].iter().map(|id| &self.items[id]))
            .filter(|m| !m.protected && m.state == "active")
            .count();
        if active < 4 {
            self.counter += 1;
            let (n, since) = (self.counter, app.state.now());
            let surname = format!("{}-{tag}", SURNAMES[n as usize % SURNAMES.len()]);
            let email = format!("aanvulling{n}@uniek.example");
            person(app, &self.orgs[org].id, &email, &surname, n).await;
            self.refresh(app, since, Some(org)).await;
        }
    }

    /// What in `text` belongs only to organisations outside `data` (people, ids, addresses)
    /// or, for the organisation itself (name, id), outside `visible`.
    pub fn leaks(&self, text: &str, data: &[usize], visible: &[usize]) -> Vec<String> {
        let lower = text.to_lowercase();
        let mut found = Vec::new();
        for (i, org) in self.orgs.iter().enumerate() {
            match &org.tag {
                Some(tag) if !data.contains(&i) && lower.contains(&tag.to_lowercase()) => {
                    found.push(format!("a person of {} (`{tag}`)", org.name))
                }
                _ => {}
            }
            if !visible.contains(&i) && text.contains(&org.name) {
                found.push(format!("the name of {}", org.name));
            }
        }
        let hex = |c: char| !(c.is_ascii_hexdigit() || c == '-');
        for id in lower.split(hex).map(|t| t.trim_matches('-')).filter(|t| t.len() == 36) {
            match (self.items.get(id), self.org_ids.get(id)) {
                (Some(item), _) if !data.contains(&item.org) => {
                    found.push(format!("{:?} {id} of {}", item.kind, self.orgs[item.org].name))
                }
                (_, Some(o)) if !visible.contains(o) => found.push(format!("the id of {}", self.orgs[*o].name)),
                _ => {}
            }
        }
        for e in lower
            .split(|c: char| !(c.is_ascii_alphanumeric() || "-._%+@".contains(c)))
            .filter(|t| t.contains('@'))
        {
            match self.emails.get(e.trim_matches('.')) {
                Some(owners) if !owners.iter().any(|o| data.contains(o)) => {
                    found.push(format!("the address {e}, held only by organisation(s) {owners:?}"))
                }
                _ => {}
            }
        }
        found
    }

    /// All about organisation `org` that a manager's change could touch, and every account
    /// (which only its holder changes). A request's links, codes and messages go with a
    /// change of the request and an audit event; audit events are only ever added.
    pub async fn digest(&self, app: &TestApp, org: usize) -> Digest {
        let sql = "SELECT 'm' || state || level AS k, COUNT(*) AS n, COALESCE(MAX(updated_at), 0) AS u
                FROM means WHERE organisation_id = $1 GROUP BY state, level
            UNION ALL SELECT 'r' || kind || state, COUNT(*), COALESCE(MAX(updated_at), 0)
                FROM requests WHERE organisation_id = $1 GROUP BY kind, state
            UNION ALL SELECT 'a' || state || level, COUNT(*), COALESCE(MAX(updated_at), 0)
                FROM authorisations WHERE organisation_id = $1 GROUP BY state, level
            UNION ALL SELECT 'e', COUNT(*), COALESCE(MAX(at), 0) FROM audit_events WHERE organisation_id = $1
            UNION ALL SELECT 'p' || id || email || verified_mobile_e164 || password_hash || language, 1, updated_at
                FROM accounts";
        let mut rows: Digest = sqlx::query_as(sql)
            .bind(&self.orgs[org].id)
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
        rows.sort();
        rows
    }
}

/// `s` in a URL: the values aimed at are ids, words and addresses, so only `@` needs it.
pub fn pct(s: &str) -> String {
    s.replace('@', "%40")
}

/// The answer with the value asked for put out of sight, and without what differs between
/// two renderings of one page: its CSP nonce, and the order in which its data resolved and
/// how that was cut into scripts (the resolved values are put at the end, sorted).
pub fn seen(text: &str, target: &str) -> String {
    let mut s = text.to_string();
    if !target.is_empty() {
        s = s.replace(target, "<DOEL>").replace(&pct(target), "<DOEL>");
    }
    for attr in ["nonce=\"", "crossorigin=\""] {
        let mut parts = s.split(attr);
        let mut out = parts.next().unwrap_or_default().to_string();
        for part in parts {
            out.push_str(attr);
            out.push_str(&part[part.find('"').unwrap_or(0)..]);
        }
        s = out;
    }
    let s = s.replace("</script><script nonce=\"\">", "");
    let mut parts = s.split("__RESOLVED_RESOURCES[");
    let (mut out, mut resolved) = (parts.next().unwrap_or_default().to_string(), Vec::new());
    for part in parts {
        let end = part.match_indices("\";").find(|(i, _)| !part[..*i].ends_with('\\'));
        let end = end.map_or(part.len(), |(i, _)| i + 2);
        resolved.push(&part[..end]);
        out.push_str(&part[end..]);
    }
    resolved.sort();
    out + &resolved.concat()
}

/// Where two answers first differ, with some context.
pub fn difference(a: &str, b: &str) -> String {
    let same = a.bytes().zip(b.bytes()).position(|(x, y)| x != y);
    let from = same.unwrap_or(a.len().min(b.len())).saturating_sub(80);
    let cut = |s: &str| s.get(from..).unwrap_or("").chars().take(200).collect::<String>();
    let (a, b) = (cut(a), cut(b));
    format!("a foreign value answers unlike a missing one: …{a}… vs …{b}…")
}
