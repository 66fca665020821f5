//! The manager's home page figures.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HomeFigures {
    pub persons: i64,
    pub active_means: i64,
    pub requested_means: i64,
    pub open_requests: i64,
    pub active_authorisations: i64,
}

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

/// Requests that need the manager's attention, for the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Attention {
    /// After how many days a waiting request counts as waiting long.
    pub days: i64,
    pub waiting_long: i64,
    pub items: Vec<AttentionItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttentionItem {
    pub request_id: String,
    pub person: String,
    /// What is the matter, in Dutch.
    pub problem: String,
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
