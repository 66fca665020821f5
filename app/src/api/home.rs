//! The manager's home page figures.

pub use crate::contract::home::*;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "home_counts")]
pub async fn home_counts() -> Result<HomeFigures, AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, _id, org) = crate::api::ssr::manager().await?;
            crate::server::service::home::counts(&state, &org).await
        }
        .await,
    )
}

#[server(endpoint = "home_attention")]
pub async fn home_attention() -> Result<Attention, AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, _id, org) = crate::api::ssr::manager().await?;
            crate::server::service::home::attention(&state, &org).await
        }
        .await,
    )
}
