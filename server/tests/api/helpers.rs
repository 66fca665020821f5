//! Test helpers: a fresh database per test (SQLite file in a temp dir, or a new PostgreSQL
//! database on the server named by `TEST_POSTGRES_URL`), and `spawn_app` on port 0.

use app::server::db::Db;

/// The administrative PostgreSQL URL; tests create one database each on it.
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://beheer:beheer@127.0.0.1:5432/postgres".to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Sqlite,
    Postgres,
}

/// A migrated, empty database that lives as long as this value.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

/// `Drop` also keeps a test closure from capturing only `t.db` (Rust 2021 captures disjoint
/// fields), which would delete the SQLite file's temp dir while the test still runs.
impl Drop for TestDb {
    fn drop(&mut self) {
        let pool = self.db.pool.clone();
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move { pool.close().await });
        }
    }
}

impl TestDb {
    pub async fn new(which: Which) -> TestDb {
        match which {
            Which::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/test.db", dir.path().display());
                let db = Db::connect(&url).await.expect("sqlite connect");
                db.migrate().await.expect("sqlite migrate");
                TestDb {
                    db,
                    url,
                    _dir: Some(dir),
                }
            }
            Which::Postgres => {
                let admin_url = postgres_admin_url();
                let name = format!("t_{}", uuid::Uuid::new_v4().simple());
                let admin = Db::connect(&admin_url).await.unwrap_or_else(|e| {
                    panic!("PostgreSQL at {admin_url} is required for these tests and cannot be reached: {e}")
                });
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&admin.pool)
                    .await
                    .expect("create test database");
                admin.pool.close().await;
                let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin_url);
                let url = format!("{base}/{name}");
                let db = Db::connect(&url).await.expect("postgres connect");
                db.migrate().await.expect("postgres migrate");
                TestDb { db, url, _dir: None }
            }
        }
    }
}

/// Runs one async test body against both databases: `both_dbs!(name, |db| async move { … })`
/// expands to `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both_dbs {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let t = $crate::helpers::TestDb::new($crate::helpers::Which::Sqlite).await;
                ($body)(t).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let t = $crate::helpers::TestDb::new($crate::helpers::Which::Postgres).await;
                ($body)(t).await;
            }
        }
    };
}

use app::server::clock::{ManualClock, SharedClock};
use app::server::config::Config;
use app::server::state::AppState;
use std::sync::Arc;

/// A running server on 127.0.0.1:0 over a fresh database, with a manual clock, the
/// demo data seeded, and no delivery worker (tests read the outbox directly).
pub struct TestApp {
    pub addr: String,
    pub state: AppState,
    pub clock: ManualClock,
    pub http: reqwest::Client,
    _db: TestDb,
}

/// 2026-06-01T10:00:00Z: a fixed, ordinary moment.
pub const T0: i64 = 1_780_308_000_000;

pub async fn spawn_app(t: TestDb) -> TestApp {
    spawn_app_with(t, |_| {}).await
}

/// As [`spawn_app`], with the test configuration changed by `change` first.
pub async fn spawn_app_with(t: TestDb, change: impl FnOnce(&mut Config)) -> TestApp {
    let (db, url) = (t.db.clone(), t.url.clone());
    let clock = ManualClock::new(T0);
    let mut config = Config::for_tests(&url);
    change(&mut config);
    let state = AppState::new(
        leptos::config::LeptosOptions::builder()
            .output_name("beheermodule")
            .build(),
        db,
        config,
        Arc::new(clock.clone()) as SharedClock,
    );
    app::server::seed::seed_demo(&state).await.expect("seed demo");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = format!("http://{}", listener.local_addr().unwrap());
    let router = server::http::router(state.clone());
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap()
    });
    // A request that hangs fails its test (with the endpoint in the panic) instead of
    // stalling the whole run.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap();
    TestApp {
        addr,
        state,
        clock,
        http,
        _db: t,
    }
}

impl TestApp {
    /// Another instance's state over the same database: its own pool (nothing in process
    /// is shared), the same configuration and the same clock.
    async fn instance_on_same_db(&self, addr: String) -> TestApp {
        let url = self.state.config.database_url.clone();
        let db = Db::connect(&url).await.expect("second instance connects");
        let state = AppState::new(
            self.state.leptos_options.clone(),
            db.clone(),
            (*self.state.config).clone(),
            Arc::new(self.clock.clone()) as SharedClock,
        );
        TestApp {
            addr,
            state,
            clock: self.clock.clone(),
            http: self.http.clone(),
            _db: TestDb { db, url, _dir: None },
        }
    }

    /// Another instance over the same database, serving on its own port.
    pub async fn second_instance(&self) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = format!("http://{}", listener.local_addr().unwrap());
        let other = self.instance_on_same_db(addr).await;
        let router = server::http::router(other.state.clone());
        tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .unwrap()
        });
        other
    }

    /// A handle on a server process at `addr` over this database: calls go there, reads
    /// (`scalar`, the outbox) to the database.
    pub async fn handle_on(&self, addr: &str) -> TestApp {
        self.instance_on_same_db(addr.to_string()).await
    }
}

/// What a server-function call answered.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub cookie: Option<String>,
    pub location: Option<String>,
}

impl TestApp {
    /// Calls a server function like a browser page would (same Origin, optional cookie).
    /// Each call moves the clock one second on, as time passes between clicks.
    pub async fn call(&self, endpoint: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Reply {
        self.clock.advance_ms(1_000);
        let mut req = self
            .http
            .post(format!("{}/api/{endpoint}", self.addr))
            .header("Origin", "http://127.0.0.1:3000")
            .form(form);
        if let Some(c) = cookie {
            req = req.header("Cookie", format!("bm_session={c}"));
        }
        let res = req.send().await.expect("request");
        reply(res).await
    }

    /// As [`TestApp::call`], through a proxy that says the client is `client`
    /// (`X-Forwarded-For`).
    pub async fn call_from(&self, client: &str, endpoint: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Reply {
        self.clock.advance_ms(1_000);
        let mut req = self
            .http
            .post(format!("{}/api/{endpoint}", self.addr))
            .header("Origin", "http://127.0.0.1:3000")
            .header("X-Forwarded-For", client)
            .form(form);
        if let Some(c) = cookie {
            req = req.header("Cookie", format!("bm_session={c}"));
        }
        reply(req.send().await.expect("request")).await
    }

    /// Calls a server function that takes JSON.
    pub async fn call_json(&self, endpoint: &str, cookie: Option<&str>, body: &serde_json::Value) -> Reply {
        self.clock.advance_ms(1_000);
        let mut req = self
            .http
            .post(format!("{}/api/{endpoint}", self.addr))
            .header("Origin", "http://127.0.0.1:3000")
            .json(body);
        if let Some(c) = cookie {
            req = req.header("Cookie", format!("bm_session={c}"));
        }
        reply(req.send().await.expect("request")).await
    }

    /// A scalar from the database (counts in assertions).
    pub async fn scalar(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(&self.state.db.pool)
            .await
            .expect(sql)
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut req = self.http.get(format!("{}{path}", self.addr));
        if let Some(c) = cookie {
            req = req.header("Cookie", format!("bm_session={c}"));
        }
        reply(req.send().await.expect("request")).await
    }

    /// The newest SMS to `to` in the outbox, and the code in it.
    pub async fn latest_code(&self, to: &str) -> String {
        let rows = app::server::db::outbox::list(&self.state.db, Some(to), 1)
            .await
            .unwrap();
        let body = &rows.first().expect("an sms in the outbox").body;
        app::server::notify::extract_code(body).expect("a code in the sms")
    }

    /// Password and code: a complete session for a demo account.
    pub async fn login(&self, email: &str, password: &str, mobile: &str) -> String {
        let r = self
            .call("login", None, &[("email", email), ("password", password)])
            .await;
        let pending = r.cookie.expect("pending session cookie");
        let code = self.latest_code(mobile).await;
        let r = self.call("verify_code", Some(&pending), &[("code", &code)]).await;
        assert!(r.status < 400, "code refused: {r:?}");
        r.cookie.expect("session cookie")
    }
}

async fn reply(res: reqwest::Response) -> Reply {
    let res = crate::http_client::read(res).await;
    Reply {
        status: res.status,
        cookie: res.cookie_value("bm_session"),
        location: Some(res.location.clone()).filter(|l| !l.is_empty()),
        body: res.body,
    }
}

pub const MANAGER: (&str, &str, &str) = ("beheerder@demo.example", "Demo-beheer-2026!", "+31612345678");
pub const USER: (&str, &str, &str) = ("gebruiker@demo.example", "Demo-gebruiker-2026!", "+31687654321");
