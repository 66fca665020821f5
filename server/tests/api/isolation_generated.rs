//! Tenant isolation, generated (issue 14 part 5): a seeded run of random operations through
//! the server functions, pages and the export — request, cancel, resend, grant, revoke,
//! reactivate, upgrade, opzeggen, lists, details, exports, matrix pages and switching — by
//! three managers of three organisations (`isolation_support`), with ids, search terms and
//! addresses of the other organisations too; `ISOLATION_SEED` and `ISOLATION_OPS` (default
//! 10,000 per database) replay a run. After each operation:
//!
//! 1. the answer shows nothing that belongs only to an organisation the manager is not
//!    acting for (a page's header may name the organisations they manage);
//! 2. a foreign value answers exactly like one that exists nowhere, asked right after it;
//! 3. a change aimed at a foreign id changes nothing of that organisation nor any account.

#[path = "isolation_support.rs"]
mod support;

use crate::helpers::{spawn_app_with, TestApp, TestDb, Which};
use support::{difference, pct, seen, Digest, Kind, Rng, World, SHARED, SURNAMES};

/// What an operation is aimed at: an id of this kind (own ones preferably in one of these
/// states; `true`: never a manager's means), a search term, or nothing.
enum Aim {
    Id(Kind, &'static [&'static str], bool),
    Text,
    Nothing,
}

const WAITING: &[&str] = &["awaiting_email", "awaiting_sms"];
const ACTIVE: &[&str] = &["active"];

/// Name, weight, aim, whether it may cover all managed organisations (`alle`), whether it
/// changes anything, and the request: `get PATH`, `form`/`html ENDPOINT k=v&…` (`html`: as a
/// browser without JavaScript posts it), or `json ENDPOINT BODY`. In it `@T` is the aim,
/// `@O` another own id of its kind, `@S` a service, `@D` today, `@A`/`@1` the scope, and
/// `«a|b»` one of the choices. `request` and `switch` are built in [`plan`].
#[rustfmt::skip]
const OPS: &[(&str, u64, Aim, bool, bool, &str)] = &[
    ("request", 6, Aim::Nothing, false, true, ""),
    ("cancel", 14, Aim::Id(Kind::Request, WAITING, false), false, true,
        "html requests/cancel ids[0]=@T«&ids[1]=@O||||»«&confirmed=on|&confirmed=on|&confirmed=on|»«&from=@T||»"),
    ("resend", 10, Aim::Id(Kind::Request, WAITING, false), false, true, "html requests/resend request_id=@T"),
    ("grant", 14, Aim::Id(Kind::Means, &["active", "requested"], false), false, true,
        r#"json grant_authorisations {"order": {"means_ids": [«"@O", ||||»"@T"], "services": ["@S"«|, "@S"»],
        "up_to_level": "«|||||EH2+|EH3»", "term": "«1|3|5»", "start": "@D"}}"#),
    ("revoke", 12, Aim::Id(Kind::Authorisation, ACTIVE, false), false, true,
        r#"json revoke_authorisations {"ids": ["@T"], "reason": "Uit dienst"}"#),
    ("reactivate", 6, Aim::Id(Kind::Authorisation, &["expired", "revoked"], false), false, true,
        "form reactivate_authorisation id=@T&term=«1|3»"),
    ("upgrade", 12, Aim::Id(Kind::Means, ACTIVE, true), false, true, "html means/upgrade means_id=@T&level=«EH2+|EH3|EH4»"),
    ("opzeggen", 8, Aim::Id(Kind::Means, &["active", "requested", "upgrade_pending"], true), false, true,
        "html means/cancel means_id=@T&reason=Vertrokken«&confirmed=on|&confirmed=on|&confirmed=on|»"),
    ("switch", 8, Aim::Nothing, false, true, "html switch_organisation organisation_id=@T"),
    ("people", 10, Aim::Text, false, false, "form list_people query=@T&page=«1|2»"),
    ("requests", 10, Aim::Text, false, false,
        concat!("form requests/list query[q]=@T&query[page]=«1|2»&query[tab]=«|afgerond»",
            "&query[kind]=«|new_means|grant»&query[state]=«|awaiting_email»&query[sort]=«|nieuw»")),
    ("request detail", 16, Aim::Id(Kind::Request, &[], false), false, false, "form requests/detail request_id=@T"),
    ("means detail", 16, Aim::Id(Kind::Means, &[], false), false, false, "form means/detail means_id=@T"),
    ("authorisations", 10, Aim::Text, true, false,
        r#"json list_authorisations {"query": {"persoon": "@T", "status": "«|active|revoked»", "alle": @A}, "page": 1}"#),
    ("grant choices", 6, Aim::Text, false, false, "form grant_choices query=@T&service_query="),
    ("overview", 6, Aim::Nothing, true, false, "form overview alle=@A"),
    ("matrix", 10, Aim::Id(Kind::Means, &[], false), true, false, "form overview_matrix alle=@A&laatste=false&«na=@T&voor=|na=&voor=@T»"),
    ("means list", 6, Aim::Nothing, true, false, "form overview_means alle=@A&niveau=«|EH2+|EH3»&status=«|active|requested»&page=1"),
    ("export", 4, Aim::Text, true, false, "get /overzicht/export.csv?lijst=«overzicht|machtigingen|middelen»&persoon=@T&alle=@1"),
    ("request page", 1, Aim::Id(Kind::Request, &[], false), false, false, "get /beheer/aanvragen/@T"),
    ("means page", 1, Aim::Id(Kind::Means, &[], false), false, false, "get /beheer/middelen/@T"),
    ("people page", 1, Aim::Text, false, false, "get /beheer/gebruikers?q=@T"),
    ("requests page", 1, Aim::Text, false, false, "get /beheer/aanvragen?q=@T"),
    ("authorisations page", 1, Aim::Text, true, false, "get /beheer/machtigingen?persoon=@T&alle=@1"),
    ("matrix page", 1, Aim::Id(Kind::Means, &[], false), true, false, "get /overzicht?na=@T&alle=@1"),
    ("means list page", 1, Aim::Nothing, true, false, "get /overzicht/middelen?alle=@1"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whose {
    Own,
    Foreign(usize),
    Missing,
}

struct Plan {
    name: &'static str,
    req: String,
    target: String,
    whose: Whose,
    mutating: bool,
    /// The organisations whose data the answer may show.
    data: Vec<usize>,
}

/// Status and the whole answer (status, redirect target, body) to `req` aimed at `target`.
async fn send(app: &TestApp, cookie: &str, req: &str, target: &str) -> (u16, String) {
    let (how, rest) = req.split_once(' ').unwrap();
    let (endpoint, args) = rest.split_once(' ').unwrap_or((rest, ""));
    let (status, location, body) = match how {
        "get" => {
            let r = app.get(&endpoint.replace("@T", &pct(target)), Some(cookie)).await;
            (r.status, r.location.unwrap_or_default(), r.body)
        }
        "json" => {
            let body = serde_json::from_str(&args.replace("@T", target)).expect(req);
            let r = app.call_json(endpoint, Some(cookie), &body).await;
            (r.status, r.location.unwrap_or_default(), r.body)
        }
        _ => {
            let pairs: Vec<(&str, String)> = (args.split('&').filter_map(|kv| kv.split_once('=')))
                .map(|(k, v)| (k, v.replace("@T", target)))
                .collect();
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let cookie = format!("bm_session={cookie}");
            let r = crate::http_client::form(app, endpoint, Some(&cookie), &pairs, how == "html").await;
            (r.status, r.location, r.body)
        }
    };
    (status, format!("{status} {location}\n{body}"))
}

/// For `roll` < 60 an own id of `kind` (in one of `states` where there is one, 70 %; never a
/// manager's means when `spare`), < 90 another organisation's, else nobody's.
fn pick_id(rng: &mut Rng, w: &World, aim: (Kind, &[&str], bool), scope: &[usize], roll: usize) -> (String, Whose) {
    let (kind, states, spare) = aim;
    if roll < 60 {
        let own: Vec<&String> = (scope.iter().flat_map(|o| &w.ids[*o][kind as usize]))
            .filter(|id| !(spare && w.items[*id].protected))
            .collect();
        let preferred: Vec<&String> = own
            .iter()
            .copied()
            .filter(|id| states.contains(&w.items[*id].state.as_str()))
            .collect();
        let from = if !preferred.is_empty() && rng.percent(70) {
            preferred
        } else {
            own
        };
        if !from.is_empty() {
            return ((*rng.pick(&from)).clone(), Whose::Own);
        }
    } else if roll < 90 {
        let others: Vec<usize> = (0..w.orgs.len())
            .filter(|o| !scope.contains(o) && !w.ids[*o][kind as usize].is_empty())
            .collect();
        if !others.is_empty() {
            let o = *rng.pick(&others);
            return (rng.pick(&w.ids[o][kind as usize]).clone(), Whose::Foreign(o));
        }
    }
    (rng.uuid(), Whose::Missing)
}

/// A search term: empty or own (45 %), another organisation's tag or address (40 %), or
/// one that matches nothing.
fn pick_text(rng: &mut Rng, w: &World, scope: &[usize]) -> (String, Whose) {
    let roll = rng.below(100);
    if roll < 45 {
        let text = match (rng.below(3), &w.orgs[*rng.pick(scope)].tag) {
            (0, Some(tag)) => tag.clone(),
            (1, _) => SHARED[rng.below(SHARED.len())].0.split('@').next().unwrap().to_string(),
            _ => String::new(),
        };
        return (text, Whose::Own);
    }
    if roll < 85 {
        let o = outside(rng, w, scope);
        match (rng.percent(50), &w.orgs[o].tag, foreign_email(rng, w, o, scope)) {
            (true, Some(tag), _) => return (tag.clone(), Whose::Foreign(o)),
            (_, _, Some(e)) => return (e, Whose::Foreign(o)),
            _ => {}
        }
    }
    (missing(rng, "Tekst"), Whose::Missing)
}

fn outside(rng: &mut Rng, w: &World, scope: &[usize]) -> usize {
    *rng.pick(&(0..w.orgs.len()).filter(|o| !scope.contains(o)).collect::<Vec<_>>())
}

/// An address that organisation `o`, and only organisations outside `scope`, hold.
fn foreign_email(rng: &mut Rng, w: &World, o: usize, scope: &[usize]) -> Option<String> {
    let mut theirs: Vec<&String> = (w.emails.iter())
        .filter(|(_, owners)| owners.contains(&o) && !owners.iter().any(|x| scope.contains(x)))
        .map(|(e, _)| e)
        .collect();
    theirs.sort();
    (!theirs.is_empty()).then(|| (*rng.pick(&theirs)).clone())
}

/// A value of the shape of `like` (an id, an address or a word) that nothing holds.
fn missing(rng: &mut Rng, like: &str) -> String {
    match (like.len(), like.contains('@')) {
        (36, false) => rng.uuid(),
        (_, true) => format!("niemand{}@nergens.example", rng.next() % 1_000_000_000),
        _ => format!("Nergenshuizen{}", rng.next() % 1_000_000_000),
    }
}

/// The request form with one or two people for organisation `org`; the first one's address
/// is `@T`.
fn request_rows(rng: &mut Rng, w: &mut World, org: usize, two: bool) -> String {
    let mut rows = Vec::new();
    let extra = format!("extra{}@uniek.example", rng.next() % 1_000_000_000);
    for email in ["@T", &extra].into_iter().take(1 + two as usize) {
        w.counter += 1;
        let n = w.counter as usize;
        let (surname, tag) = (SURNAMES[n % SURNAMES.len()], w.orgs[org].tag.as_deref().unwrap_or(""));
        let (employed, level, mobile) = (["ja", "nee"][n % 2], ["EH2+", "EH3"][n % 2], n % 1_000_000);
        rows.push(format!(
            r#"{{"given_names": "Lotte", "prefix": "", "surname": "{surname}-{tag}", "birth_date": "12-03-1970",
            "email": "{email}", "mobile": "06 57{mobile:06}", "employed": "{employed}", "level": "{level}"}}"#
        ));
    }
    format!(r#"json request_means {{"rows": [{}]}}"#, rows.join(", "))
}

fn plan(rng: &mut Rng, w: &mut World, a: usize, today: &str) -> Plan {
    let mut roll = rng.next() % OPS.iter().map(|op| op.1).sum::<u64>();
    let mut ops = OPS.iter();
    let &(name, _, ref aim, all, mutating, template) = loop {
        let op = ops.next().unwrap();
        match roll.checked_sub(op.1) {
            Some(rest) => roll = rest,
            None => break op,
        }
    };
    let (cur, managed) = (w.actors[a].current, w.actors[a].managed.clone());
    let alle = all && rng.percent(25);
    let scope = if alle { managed.clone() } else { vec![cur] };
    let (mut target, mut whose) = (String::new(), Whose::Own);
    match aim {
        Aim::Id(kind, states, spare) => {
            let roll = rng.below(100);
            (target, whose) = pick_id(rng, w, (*kind, *states, *spare), &scope, roll);
        }
        Aim::Text => (target, whose) = pick_text(rng, w, &scope),
        Aim::Nothing => {}
    }
    let req = match name {
        "request" => {
            // Past 120 people a shared address (mostly there already) instead of a new one.
            let (o, full) = (outside(rng, w, &scope), w.ids[cur][Kind::Means as usize].len() >= 120);
            target = match (rng.below(100), foreign_email(rng, w, o, &scope)) {
                (0..=34, Some(e)) => {
                    whose = Whose::Foreign(o);
                    e
                }
                (r, _) if r < 60 || full => SHARED[rng.below(SHARED.len())].0.to_string(),
                _ => format!("nieuw{}@uniek.example", rng.next() % 1_000_000_000),
            };
            let two = whose == Whose::Own && rng.percent(30);
            request_rows(rng, w, cur, two)
        }
        "switch" => {
            let (o, mine) = (
                rng.below(w.orgs.len()),
                *managed.iter().find(|m| **m != cur).unwrap_or(&cur),
            );
            (target, whose) = match rng.below(100) {
                0..=59 => (w.orgs[mine].id.clone(), Whose::Own),
                60..=89 if !managed.contains(&o) => (w.orgs[o].id.clone(), Whose::Foreign(o)),
                _ => (rng.uuid(), Whose::Missing),
            };
            template.to_string()
        }
        _ => expand(rng, w, template, aim, cur, alle, today),
    };
    let data = if name == "switch" { managed } else { scope };
    Plan {
        name,
        req,
        target,
        whose,
        mutating,
        data,
    }
}

/// The template with its choices made and its placeholders but `@T` filled in.
fn expand(rng: &mut Rng, w: &World, template: &str, aim: &Aim, cur: usize, alle: bool, today: &str) -> String {
    let mut parts = template.split('«');
    let mut s = parts.next().unwrap_or_default().to_string();
    for part in parts {
        let (choices, rest) = part.split_once('»').unwrap();
        let choices: Vec<&str> = choices.split('|').collect();
        let choice: &str = choices[rng.below(choices.len())];
        s.push_str(choice);
        s.push_str(rest);
    }
    s = s
        .replace("@A", &alle.to_string())
        .replace("@1", &(alle as u8).to_string())
        .replace("@D", today);
    while s.contains("@S") {
        s = s.replacen("@S", &rng.pick(&w.services).clone(), 1);
    }
    while let (true, Aim::Id(kind, states, _)) = (s.contains("@O"), aim) {
        let own = pick_id(rng, w, (*kind, *states, false), &[cur], 0).0;
        s = s.replacen("@O", &own, 1);
    }
    s
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

async fn run(which: Which) {
    let db = if which == Which::Sqlite { "sqlite" } else { "postgres" };
    let (seed, ops) = (env_or("ISOLATION_SEED", 20_261_202), env_or("ISOLATION_OPS", 10_000));
    println!("isolation {db}: seed {seed}, {ops} operations (replay: ISOLATION_SEED={seed} ISOLATION_OPS={ops})");
    // The run spans hours on the test clock: the sessions live longer than in production.
    let app = spawn_app_with(TestDb::new(which).await, |c| c.session_minutes = 7 * 24 * 60).await;
    let mut w = World::build(&app).await;
    let (mut rng, started) = (Rng(app::upload::sample::SplitMix(seed)), std::time::Instant::now());
    let mut violations = Vec::<String>::new();
    // Each organisation's digest as it was last seen (step, rows), until a change made in it.
    let mut digests: Vec<Option<(u64, Digest)>> = vec![None; w.orgs.len()];
    for step in 0..ops {
        let a = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2][rng.below(10)];
        let today = app::domain::time::date_amsterdam(app.state.now()).iso();
        let p = plan(&mut rng, &mut w, a, &today);
        let (cookie, current) = (w.actors[a].cookie.clone(), w.actors[a].current);
        let nothing = matches!(p.whose, Whose::Foreign(_)).then(|| missing(&mut rng, &p.target));
        let owner = match p.whose {
            Whose::Foreign(o) if p.mutating => Some(o),
            _ => None,
        };
        if let Some(o) = owner.filter(|o| digests[*o].is_none()) {
            digests[o] = Some((step, w.digest(&app, o).await));
        }
        let (since, req, cookie, app) = (app.state.now(), &p.req, &cookie, &app);
        let ask = |v: String| async move { send(app, cookie, req, &v).await };
        let second = async { Some(ask(nothing.clone()?).await) };
        // A change is asked for one after the other; a question about a foreign value goes
        // at once with the one about a missing value (nothing changes, and it takes half).
        let ((status, answer), other) = if p.mutating {
            let first = ask(p.target.clone()).await;
            (first, second.await)
        } else {
            tokio::join!(ask(p.target.clone()), second)
        };
        if p.mutating && (status < 400 || other.as_ref().is_some_and(|o| o.0 < 400)) {
            w.refresh(app, since, Some(current)).await;
        }
        if p.name == "switch" && p.whose == Whose::Own && status < 400 {
            w.actors[a].current = w.org_ids[&p.target];
        }
        let text = seen(&answer, &p.target);
        let mut found = Vec::new();
        if status >= 500 {
            found.push(format!("server error: {}", text.chars().take(300).collect::<String>()));
        }
        // A page's header names every organisation the manager manages.
        let page = p.req.starts_with("get ") || p.name == "switch";
        let visible = if page { &w.actors[a].managed } else { &p.data };
        for leak in w.leaks(&text, &p.data, visible) {
            found.push(format!("shows {leak}"));
        }
        if let (Some(n), Some((_, other))) = (&nothing, &other) {
            if seen(other, n) != text {
                found.push(difference(&text, &seen(other, n)));
            }
        }
        if let Some(o) = owner {
            let (seen_at, before) = digests[o].take().unwrap_or_default();
            let after = w.digest(app, o).await;
            if after != before {
                let name = &w.orgs[o].name;
                found.push(format!("changed {name} or an account since step {seen_at}"));
            }
            digests[o] = Some((step, after));
        }
        if p.mutating {
            p.data.iter().for_each(|o| digests[*o] = None);
            w.replenish(app, w.actors[a].current).await;
        }
        let (who, org, name, whose, target) = (w.actors[a].label, &w.orgs[current].name, p.name, p.whose, &p.target);
        let at = format!("seed {seed} step {step}: {who} in {org}, {name} {whose:?} {target}");
        violations.extend(found.iter().map(|what| format!("{at}: {what}")));
    }
    let secs = started.elapsed().as_secs_f64();
    println!("isolation {db}: {ops} operations in {secs:.1} s");
    println!("BENCH isolation_ops_{db} {ops} ops");
    println!("BENCH isolation_violations_{db} {} violations", violations.len());
    for v in violations.iter().take(20) {
        println!("VIOLATION {v}");
    }
    let first = violations.first();
    assert_eq!(violations.len(), 0, "seed {seed}, the first: {first:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    run(Which::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    run(Which::Postgres).await;
}
