//! `/beheer`: the manager's home with live figures for the current organisation.

use crate::api::home::{home_attention, home_counts, Attention};
use crate::components::shell::current_organisation_id;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BeheerHome() -> impl IntoView {
    let org_id = current_organisation_id();
    let counts = Resource::new(org_id, |_| home_counts());
    let attention = Resource::new(org_id, |_| home_attention());
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
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match attention.await {
                    Ok(a) => view! { <NeedsAttention a=a /> }.into_any(),
                    Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Requests that wait long or whose message could not be delivered.
#[component]
fn NeedsAttention(a: Attention) -> impl IntoView {
    if a.items.is_empty() {
        return view! { <section class="card" data-testid="attention"><h2>"Vraagt aandacht"</h2><p class="empty">"Niets: alle aanvragen lopen."</p></section> }.into_any();
    }
    view! {
        <section class="card" data-testid="attention">
            <h2>"Vraagt aandacht"</h2>
            {(a.waiting_long > 0).then(|| view! {
                <p class="hint">{format!("{} aanvragen staan langer dan {} dagen stil.", a.waiting_long, a.days)}</p>
            })}
            <ul class="attention">
                {a.items.into_iter().map(|i| view! {
                    <li data-testid="attention-item"><a href=format!("/beheer/aanvragen/{}", i.request_id)>{i.person}</a>": "{i.problem}</li>
                }).collect_view()}
            </ul>
            <p><a href="/beheer/aanvragen">"Alle lopende aanvragen"</a></p>
        </section>
    }
    .into_any()
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
