//! Background housekeeping: expired sessions are removed every ten minutes.

use super::db::sessions;
use super::state::AppState;
use tokio::sync::watch;

pub fn spawn_janitor(state: AppState, mut stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    if let Err(e) = sweep(&state).await {
                        tracing::warn!(error = %e, "session sweep failed");
                    }
                }
                _ = stop.changed() => break,
            }
        }
    })
}

pub async fn sweep(state: &AppState) -> Result<u64, sqlx::Error> {
    let mut conn = state.db.pool.acquire().await?;
    sessions::delete_expired(&mut conn, state.now()).await
}
