//! The Beheermodule server binary: `serve`, `migrate`, `seed-demo`, `validate-csv`.

use app::server::clock::{SharedClock, SystemClock};
use app::server::config::Config;
use app::server::db::Db;
use app::server::state::AppState;
use clap::{Parser, Subcommand};
use leptos::config::LeptosOptions;
use std::sync::Arc;

mod validate_csv;

#[derive(Parser)]
#[command(
    name = "server",
    version,
    about = "Beheermodule: eHerkenning-middelen en machtigingen beheren"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, then serve the web application on BIND (default 127.0.0.1:3000).
    Serve,
    /// Apply the database migrations for DATABASE_URL and exit.
    Migrate,
    /// Seed the service catalogue and a demo organisation, and print the demo accounts.
    SeedDemo,
    /// Check a CSV upload file with the validator of the web page and print every error;
    /// exit status 0 when every row is valid, 1 when there are errors, 2 when unreadable.
    ValidateCsv {
        /// The CSV file (UTF-8, `;` or `,`, header row; see the template on the Gebruikers page).
        file: std::path::PathBuf,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
        /// Your own assurance level: rows asking for a higher level are errors.
        #[arg(long, default_value = "EH4")]
        level: String,
    },
}

fn leptos_options(config: &Config) -> LeptosOptions {
    let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
    LeptosOptions::builder()
        .output_name(env("LEPTOS_OUTPUT_NAME", "beheermodule"))
        .site_root(env("LEPTOS_SITE_ROOT", "target/site"))
        .site_pkg_dir(env("LEPTOS_SITE_PKG_DIR", "pkg"))
        .site_addr(
            config
                .bind
                .parse::<std::net::SocketAddr>()
                .unwrap_or_else(|_| ([127, 0, 0, 1], 3000).into()),
        )
        .build()
}

async fn state(config: Config) -> anyhow_like::Result<AppState> {
    let db = Db::connect(&config.database_url).await?;
    Ok(AppState::new(
        leptos_options(&config),
        db,
        config,
        Arc::new(SystemClock) as SharedClock,
    ))
}

/// A tiny boxed error for `main`.
mod anyhow_like {
    pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;
}

#[tokio::main]
async fn main() -> anyhow_like::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .init();
    let cli = Cli::parse();
    let config = Config::from_env();
    match cli.command {
        Command::Migrate => {
            let state = state(config).await?;
            state.db.migrate().await?;
            println!("Database gemigreerd.");
        }
        Command::SeedDemo => {
            let state = state(config).await?;
            state.db.migrate().await?;
            let created = app::server::seed::seed_demo(&state).await.map_err(|e| e.to_string())?;
            print_demo(created);
        }
        Command::Serve => {
            if let Err(problem) = app::server::startup::check_for_serving(&config) {
                eprintln!("{problem}");
                std::process::exit(2);
            }
            serve(config).await?
        }
        Command::ValidateCsv { file, json, level } => std::process::exit(validate_csv::run(&file, json, &level)),
    }
    Ok(())
}

fn print_demo(created: bool) {
    println!(
        "{}",
        if created {
            "Demo-gegevens aangemaakt."
        } else {
            "Demo-gegevens stonden er al; niets gewijzigd."
        }
    );
    println!(
        "Organisaties: {} en {}",
        app::server::seed::DEMO_ORGANISATION,
        app::server::seed::DEMO_SECOND_ORGANISATION
    );
    println!("Demo-accounts (de sms-code staat in de ontwikkel-inbox, /dev/inbox):");
    for a in app::server::seed::DEMO_ACCOUNTS {
        println!("  {:<36} {:<28} wachtwoord: {}", a.role, a.email, a.password);
    }
}

async fn serve(config: Config) -> anyhow_like::Result<()> {
    let bind = config.bind.clone();
    let public = config.public_url.clone();
    let dev_inbox = config.dev_inbox;
    tracing::info!(config = ?config, "starting");
    let state = state(config).await?;
    state.db.migrate().await?;

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let delivery =
        app::server::notify::Delivery::from_config(&state.config)?.with_wake_handle(state.outbox_wake.clone());
    let worker = app::server::notify::spawn_worker(state.db.clone(), delivery, state.clock.clone(), stop_rx.clone());
    let janitor = app::server::jobs::spawn_janitor(state.clone(), stop_rx.clone());
    let expiry = app::server::authorisation_expiry::spawn_expiry(state.clone(), stop_rx);

    let listener = tokio::net::TcpListener::bind(&bind).await?;
    println!("Beheermodule draait op {public} (luistert op {bind}).");
    if dev_inbox {
        println!("Ontwikkel-inbox: {public}/dev/inbox");
    }
    let metrics = match state.config.metrics_bind.clone() {
        Some(addr) => {
            let l = tokio::net::TcpListener::bind(&addr).await?;
            println!("Metrics op http://{addr}/metrics (alleen dit adres, zonder token).");
            let router = server::http::metrics_router(state.clone());
            let mut stop = stop_tx.subscribe();
            Some(tokio::spawn(async move {
                let _ = axum::serve(l, router)
                    .with_graceful_shutdown(async move {
                        let _ = stop.changed().await;
                    })
                    .await;
            }))
        }
        None => None,
    };
    let app = server::http::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let ctrl_c = tokio::signal::ctrl_c();
            #[cfg(unix)]
            {
                let mut term =
                    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("signal");
                tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
            }
            #[cfg(not(unix))]
            let _ = ctrl_c.await;
        })
        .await?;
    let _ = stop_tx.send(true);
    let _ = tokio::join!(worker, janitor, expiry);
    if let Some(m) = metrics {
        let _ = m.await;
    }
    Ok(())
}
