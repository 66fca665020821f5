//! CSV uploads: the validation context for the browser, then start → chunks → commit.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::OrInternal;
use crate::upload::Context;
pub use crate::upload::UploadOutcome;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
async fn requester() -> Result<
    (
        crate::server::state::AppState,
        String,
        String,
        crate::domain::value::AssuranceLevel,
        String,
    ),
    AppError,
> {
    let (state, id, org) = crate::api::ssr::manager().await?;
    let level = id.current_managed().map(|m| m.level).or_internal()?;
    let org_name = id.current_managed().map(|m| m.name.clone()).unwrap_or_default();
    Ok((state, id.account.id, org, level, org_name))
}

/// Today, the manager's level, the catalogue and who is already present: what the browser
/// validates against.
#[server(endpoint = "upload_context")]
pub async fn upload_context() -> Result<Context, AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, _account, org, level, _) = requester().await?;
            let mut conn = state.db.pool.acquire().await?;
            crate::server::service::upload::context(&mut conn, &org, level, state.now()).await
        }
        .await,
    )
}

#[server(endpoint = "upload_start")]
pub async fn upload_start(bytes: usize, chunks: usize) -> Result<String, AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, account, org, _, _) = requester().await?;
            crate::server::service::upload::start(&state, &account, &org, bytes, chunks).await
        }
        .await,
    )
}

#[server(endpoint = "upload_chunk", input = Json)]
pub async fn upload_chunk(batch_id: String, index: usize, data: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, _account, org, _, _) = requester().await?;
            crate::server::service::upload::put_chunk(&state, &org, &batch_id, index, &data).await
        }
        .await,
    )
}

#[server(endpoint = "upload_commit")]
pub async fn upload_commit(batch_id: String) -> Result<UploadOutcome, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::means_request::Requester;
            let (state, account, org, level, org_name) = requester().await?;
            let by = Requester {
                account_id: &account,
                organisation_id: &org,
                organisation_name: &org_name,
                manager_level: level,
                public_url: &state.config.public_url,
                link_ttl_ms: state.config.activation_ttl_ms,
            };
            crate::server::service::upload::commit(&state, &by, &batch_id).await
        }
        .await,
    )
}
