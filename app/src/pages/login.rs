//! `/inloggen` (e-mail and password) and `/inloggen/sms` (the code).

use crate::api::auth::{pending_login, Login, ResendCode, VerifyCode};
use crate::components::shell::SessionVersion;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The error of the last submission, in an alert.
fn alert<T, S>(value: S) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    move || {
        value.get().and_then(|r| r.err()).map(|e| {
            view! {
                <p class="alert alert--error" role="alert">
                    {e.to_string()}
                </p>
            }
        })
    }
}

fn bump_session_on_success<T, S>(value: S)
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    let version = use_context::<SessionVersion>();
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(v)) = (value.get(), version) {
            v.0.update(|n| *n += 1);
        }
    });
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    bump_session_on_success(login.value());
    let query = use_query_map();
    let logged_out = move || query.read().get("uitgelogd").is_some();
    view! {
        <Title text="Inloggen" />
        <section class="card card--narrow">
            <h1>"Inloggen"</h1>
            <p class="lead">"Log in met uw zakelijke e-mailadres en wachtwoord."</p>
            <Show when=logged_out>
                <p class="alert alert--info" role="status">
                    "U bent uitgelogd."
                </p>
            </Show>
            {alert(login.value())}
            <ActionForm action=login>
                <div class="field">
                    <label for="email">"E-mailadres"</label>
                    <input id="email" type="email" name="email" autocomplete="username" required />
                </div>
                <div class="field">
                    <label for="password">"Wachtwoord"</label>
                    <input id="password" type="password" name="password" autocomplete="current-password" required />
                </div>
                <button type="submit" class="button" disabled=move || login.pending().get()>
                    "Inloggen"
                </button>
            </ActionForm>
            <p class="hint"><a href="/inloggen/wachtwoord-vergeten">"Wachtwoord vergeten?"</a></p>
            <p class="hint"><a href="/registreren">"Nog geen beheerder voor uw organisatie? Meld u gratis aan."</a></p>
        </section>
    }
}

#[component]
pub fn SmsPage() -> impl IntoView {
    let verify = ServerAction::<VerifyCode>::new();
    let resend = ServerAction::<ResendCode>::new();
    bump_session_on_success(verify.value());
    let pending = Resource::new(move || resend.version().get(), |_| pending_login());
    view! {
        <Title text="Sms-code" />
        <section class="card card--narrow">
            <h1>"Sms-code invoeren"</h1>
            <Suspense fallback=|| view! { <p>"Laden…"</p> }>
                {move || Suspend::new(async move {
                    match pending.await {
                        Ok(Some(masked)) => view! {
                            <p class="lead">
                                "We hebben een sms met een code van 6 cijfers gestuurd naar " <strong>{masked}</strong>
                                ". De code is 10 minuten geldig."
                            </p>
                        }.into_any(),
                        _ => view! {
                            <p class="alert alert--error" role="alert">
                                "Uw inlogpoging is verlopen. " <a href="/inloggen">"Log opnieuw in"</a> "."
                            </p>
                        }.into_any(),
                    }
                })}
            </Suspense>
            {alert(verify.value())}
            {move || resend.value().get().map(|r| match r {
                Ok(msg) => view! { <p class="alert alert--info" role="status">{msg}</p> }.into_any(),
                Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            <ActionForm action=verify>
                <div class="field">
                    <label for="code">"Sms-code"</label>
                    <input
                        id="code"
                        name="code"
                        type="text"
                        inputmode="numeric"
                        autocomplete="one-time-code"
                        pattern="[0-9 ]*"
                        maxlength="7"
                        class="input--code"
                        required
                    />
                </div>
                <button type="submit" class="button" disabled=move || verify.pending().get()>
                    "Bevestigen"
                </button>
            </ActionForm>
            <ActionForm action=resend>
                <button type="submit" class="button button--secondary" disabled=move || resend.pending().get()>
                    "Nieuwe code sturen"
                </button>
            </ActionForm>
            <p class="hint"><a href="/inloggen">"Opnieuw inloggen"</a></p>
        </section>
    }
}
