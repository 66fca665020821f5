//! Storage: one `sqlx::Any` pool over SQLite (default, WAL, foreign keys, busy timeout)
//! or PostgreSQL, chosen by the URL. All SQL here is portable: `$n` placeholders, TEXT ids,
//! BIGINT unix-ms instants, 0/1 integer flags. Repositories take a connection
//! (`&mut AnyConnection`) so that a service composes them inside one transaction.

pub mod account_flows;
pub mod accounts;
pub mod address_budgets;
pub mod audit;
pub mod authorisation_list;
pub mod authorisations;
pub mod batches;
pub mod bulk;
pub mod directory;
pub mod documents;
pub mod job_leases;
pub mod login_attempts;
pub mod means;
pub mod means_admin;
pub mod organisations;
pub mod outbox;
pub mod overview;
pub mod registrations;
pub mod request_list;
pub mod requests;
pub mod services;
pub mod sessions;
pub mod sms_codes;
pub mod stored;
pub mod tokens;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};
use std::str::FromStr;
use std::time::Duration;

pub use sqlx::AnyConnection as Conn;
pub type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a `DATABASE_URL` names, by its scheme.
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported DATABASE_URL scheme (use sqlite:// or postgres://)")]
    Scheme,
    #[error("stored value is invalid: {0}")]
    Corrupt(String),
}

/// The pool and which backend it talks to.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

impl Db {
    /// Connects; for SQLite the file is created when missing.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url).ok_or(DbError::Scheme)?;
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") && !url.contains(":memory:") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?
            .log_statements(tracing::log::LevelFilter::Trace)
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
        let max = match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        if backend == Backend::Sqlite {
            // WAL is a property of the file: setting it once makes it stick.
            pool.execute("PRAGMA journal_mode = WAL;").await?;
            spawn_checkpointer(pool.clone());
        }
        Ok(Db { pool, backend })
    }

    pub async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATOR.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATOR.run(&self.pool).await?,
        }
        Ok(())
    }

    /// A write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`),
    /// waiting up to the busy timeout for it: a deferred transaction that has read and then
    /// writes fails at once with "database is locked" when another connection wrote in
    /// between (SQLite cannot wait there without risking a deadlock), so two people saving
    /// at the same moment gave one of them an internal error.
    pub async fn begin(&self) -> Result<Tx<'static>, DbError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }
}

/// How often the WAL of a SQLite database is copied back into the database file.
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// SQLite's own checkpoint runs inside whichever commit crosses 1,000 WAL pages, so a large
/// batch (or the unlucky small write after it) paid for copying every page it wrote back
/// into the database file before its answer could go out. Connections therefore have
/// `wal_autocheckpoint = 0` and this task does it instead: a passive checkpoint every
/// [`CHECKPOINT_EVERY`], which never blocks readers or writers. It ends with the pool.
fn spawn_checkpointer(pool: AnyPool) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if pool.is_closed() {
                break;
            }
            if let Err(e) = pool.execute("PRAGMA wal_checkpoint(PASSIVE);").await {
                if pool.is_closed() {
                    break;
                }
                tracing::warn!(error = %e, "WAL checkpoint failed; retrying");
            }
        }
    });
}

/// A fresh id: UUID v7 (time-ordered, 74 random bits), lower-case text. Time order keeps
/// primary-key inserts at the end of each B-tree instead of at random places, which matters
/// for batches of tens of thousands of rows. Ids are never secrets: tokens are separate.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// True when the error is a unique-constraint violation (either backend).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            matches!(db.kind(), sqlx::error::ErrorKind::UniqueViolation)
        }
        _ => false,
    }
}

/// True on SQLite, where long parameter lists must use anonymous `?` placeholders: SQLite
/// resolves each named `$n` by a linear search of the names seen so far, which makes a
/// statement with thousands of `$n` quadratic to prepare.
pub fn anonymous_params(conn: &Conn) -> bool {
    conn.backend_name() == "SQLite"
}

/// Appends the `n`-th (1-based) placeholder: `?` when anonymous, else `$n`.
pub fn push_param(sql: &mut String, anonymous: bool, n: usize) {
    if anonymous {
        sql.push('?');
    } else {
        sql.push('$');
        sql.push_str(&n.to_string());
    }
}
