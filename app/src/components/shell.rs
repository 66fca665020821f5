//! The header: product name, the current organisation (with a switcher for managers of
//! several), the navigation and logout.

use crate::api::auth::{current_user, Logout, SessionView, SwitchOrganisation};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Bumped whenever who is logged in, or for which organisation, may have changed.
#[derive(Clone, Copy)]
pub struct SessionVersion(pub RwSignal<u32>);

/// The logged-in person, refetched on navigation and on session changes.
pub fn use_session() -> Resource<Result<Option<SessionView>, crate::error::AppError>> {
    if let Some(r) = use_context::<Resource<Result<Option<SessionView>, crate::error::AppError>>>() {
        return r;
    }
    let location = use_location();
    let version = use_context::<SessionVersion>()
        .map(|v| v.0)
        .unwrap_or_else(|| RwSignal::new(0));
    let r = Resource::new(move || (location.pathname.get(), version.get()), |_| current_user());
    provide_context(r);
    r
}

/// The id of the organisation the session works in, as a reactive value: data resources
/// key on it so they reload when the manager switches organisation.
pub fn current_organisation_id() -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let session = use_session();
    move || {
        session
            .get()
            .and_then(|r| r.ok())
            .flatten()
            .and_then(|u| u.organisation)
            .map(|o| o.id)
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let user = use_session();
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    <span class="brand__mark" aria-hidden="true">"bm"</span>
                    <span class="brand__name">"Beheermodule"</span>
                </a>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(u)) => view! { <SignedIn user=u /> }.into_any(),
                            _ => ().into_any(),
                        }
                    })}
                </Transition>
            </div>
        </header>
    }
}

#[component]
fn SignedIn(user: SessionView) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let org_name = user.organisation.as_ref().map(|o| o.name.clone()).unwrap_or_default();
    view! {
        {(!org_name.is_empty()).then(|| view! {
            <div class="org">
                <span class="org__label">"Organisatie"</span>
                <span class="org__name" data-testid="org-name">{org_name}</span>
            </div>
        })}
        {(user.managed.len() > 1).then(|| view! { <OrgSwitcher user=user.clone() /> })}
        <nav class="nav" aria-label="Hoofdmenu">
            {user.is_manager.then(|| view! {
                <a href="/beheer">"Beheer"</a>
                <a href="/beheer/gebruikers">"Gebruikers"</a>
                <a href="/beheer/aanvragen">"Aanvragen"</a>
                <a href="/beheer/machtigingen">"Machtigingen"</a>
                <a href="/overzicht">"Overzicht"</a>
            })}
            {user.is_backoffice.then(|| view! { <a href="/backoffice">"Backoffice"</a> })}
            <a href="/mijn">"Mijn middelen"</a>
        </nav>
        <div class="who">
            <span class="who__name">{user.display_name.clone()}</span>
            <ActionForm action=logout>
                <button type="submit" class="button button--quiet">"Uitloggen"</button>
            </ActionForm>
        </div>
    }
}

#[component]
fn OrgSwitcher(user: SessionView) -> impl IntoView {
    let switch = ServerAction::<SwitchOrganisation>::new();
    let version = use_context::<SessionVersion>();
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(v)) = (switch.value().get(), version) {
            v.0.update(|n| *n += 1);
        }
    });
    let current = user.organisation.as_ref().map(|o| o.id.clone()).unwrap_or_default();
    view! {
        <ActionForm action=switch>
            <div class="org-switch">
                <label for="org-select">"Organisatie"</label>
                <select
                    id="org-select"
                    name="organisation_id"
                    on:change=move |ev| {
                        switch.dispatch(SwitchOrganisation { organisation_id: event_target_value(&ev) });
                    }
                >
                    {user
                        .managed
                        .iter()
                        .map(|o| {
                            view! {
                                <option value=o.id.clone() selected=o.id == current>
                                    {o.name.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <button type="submit" class="button button--quiet">"Wisselen"</button>
            </div>
        </ActionForm>
    }
}
