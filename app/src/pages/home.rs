//! `/beheer`: the manager's home with live figures for the current organisation.

use crate::api::home::home_counts;
use crate::components::shell::current_organisation_id;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BeheerHome() -> impl IntoView {
    let org_id = current_organisation_id();
    let counts = Resource::new(org_id, |_| home_counts());
    view! {
        <Title text="Beheer" />
        <h1>"Beheer"</h1>
        <p class="lead">"Overzicht van de eHerkenningsmiddelen en machtigingen van uw organisatie."</p>
        <Transition fallback=|| view! { <p>"Cijfers laden…"</p> }>
            {move || Suspend::new(async move {
                match counts.await {
                    Ok(c) => view! {
                        <div class="stats">
                            <Stat testid="count-persons" label="Gebruikers" value=c.persons hint="met een middel bij deze organisatie" />
                            <Stat testid="count-active-means" label="Actieve middelen" value=c.active_means hint="klaar voor gebruik" />
                            <Stat testid="count-requested-means" label="Aangevraagde middelen" value=c.requested_means hint="wachten op activering" />
                            <Stat testid="count-open-requests" label="Lopende aanvragen" value=c.open_requests hint="nog niet afgerond" />
                            <Stat testid="count-active-authorisations" label="Actieve machtigingen" value=c.active_authorisations hint="voor diensten" />
                        </div>
                    }.into_any(),
                    Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Stat(testid: &'static str, label: &'static str, value: i64, hint: &'static str) -> impl IntoView {
    view! {
        <div class="stat" data-testid=testid>
            <span class="stat__value">{value}</span>
            <span class="stat__label">{label}</span>
            <span class="stat__hint">{hint}</span>
        </div>
    }
}
