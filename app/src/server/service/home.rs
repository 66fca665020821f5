//! The manager's home page figures, live from the database.

use crate::contract::home::HomeFigures;
use crate::domain::means::MeansState;
use crate::error::AppError;
use crate::server::db::outbox::Channel;
use crate::server::db::{authorisations, means, requests};
use crate::server::state::AppState;

pub async fn counts(state: &AppState, organisation_id: &str) -> Result<HomeFigures, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(HomeFigures {
        persons: means::count_people(&mut conn, organisation_id).await?,
        active_means: means::count_by_state(&mut conn, organisation_id, MeansState::Active).await?,
        requested_means: means::count_by_state(&mut conn, organisation_id, MeansState::Requested).await?,
        open_requests: requests::count_open(&mut conn, organisation_id).await?,
        active_authorisations: authorisations::count_active(&mut conn, organisation_id).await?,
    })
}

/// A request counts as waiting long after this many days without a state change.
pub const WAITING_LONG_DAYS: i64 = 7;

/// Open requests waiting long and messages that could not be delivered.
pub async fn attention(state: &AppState, organisation_id: &str) -> Result<crate::contract::home::Attention, AppError> {
    use crate::contract::home::{Attention, AttentionItem};
    use crate::domain::resend::duration_nl;
    use crate::server::db::{outbox, request_list};
    let now = state.now();
    use crate::domain::value::display_name as name;
    let mut conn = state.db.pool.acquire().await?;
    let mut items = Vec::new();
    for f in request_list::failed_deliveries(&mut conn, organisation_id, outbox::GAVE_UP_AT, 10).await? {
        let what = if f.channel == Channel::Sms {
            "De sms"
        } else {
            "De e-mail"
        };
        items.push(AttentionItem {
            request_id: f.request_id,
            person: name(&f.given_names, f.prefix.as_deref(), &f.surname),
            problem: format!("{what} kon niet worden afgeleverd. Controleer het adres of nummer en verstuur opnieuw."),
        });
    }
    let (waiting_long, rows) =
        request_list::waiting_long(&mut conn, organisation_id, now - WAITING_LONG_DAYS * 24 * 3_600_000, 10).await?;
    for r in rows {
        let st = r.state.label_nl();
        items.push(AttentionItem {
            person: name(
                r.given_names.as_deref().unwrap_or(""),
                r.prefix.as_deref(),
                r.surname.as_deref().unwrap_or(""),
            ),
            problem: format!("Staat al {} stil: {st}.", duration_nl(now - r.updated_at)),
            request_id: r.id,
        });
    }
    Ok(Attention {
        days: WAITING_LONG_DAYS,
        waiting_long,
        items,
    })
}
