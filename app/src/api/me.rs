//! A person's own means and authorisations (`/mijn`).

pub use crate::contract::me::*;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "my_means")]
pub async fn my_means() -> Result<Vec<OwnMeans>, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::domain::time::format_date_amsterdam;
            use crate::server::db::{authorisations, means, organisations, services};
            let (state, id) = crate::api::ssr::identity().await?;
            let mut conn = state.db.pool.acquire().await?;
            let mut out = Vec::new();
            for m in means::of_account(&mut conn, &id.account.id).await? {
                let org = organisations::find(&mut conn, &m.organisation_id)
                    .await?
                    .map(|o| o.name)
                    .unwrap_or_default();
                let mut auths = Vec::new();
                for a in authorisations::of_means(&mut conn, &m.id).await? {
                    let what = match (a.scope.as_str(), a.service_id.as_deref()) {
                        ("manage", _) => "Machtigingenbeheerder".to_string(),
                        ("up_to_level", _) => format!("Alle diensten tot en met {}", a.level),
                        (_, Some(sid)) => match services::find(&mut conn, sid).await? {
                            Some(s) => format!("{} — {}", s.provider, s.name),
                            None => sid.to_string(),
                        },
                        _ => "Onbekend".to_string(),
                    };
                    auths.push(OwnAuthorisation {
                        what,
                        level: a.level.to_string(),
                        state: a.state.label_nl().to_string(),
                        until: format_date_amsterdam(a.valid_until),
                    });
                }
                out.push(OwnMeans {
                    id: m.id,
                    organisation: org,
                    level: m.level.to_string(),
                    state: m.state.label_nl().to_string(),
                    authorisations: auths,
                });
            }
            Ok(out)
        }
        .await,
    )
}
