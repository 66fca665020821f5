//! The manager's home page figures, live from the database.

use crate::api::home::HomeFigures;
use crate::error::AppError;
use crate::server::db::{authorisations, means, persons, requests};
use crate::server::state::AppState;

pub async fn counts(state: &AppState, organisation_id: &str) -> Result<HomeFigures, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(HomeFigures {
        persons: persons::count_in_organisation(&mut conn, organisation_id).await?,
        active_means: means::count_by_state(&mut conn, organisation_id, "active").await?,
        requested_means: means::count_by_state(&mut conn, organisation_id, "requested").await?,
        open_requests: requests::count_open(&mut conn, organisation_id).await?,
        active_authorisations: authorisations::count_active(&mut conn, organisation_id).await?,
    })
}
