//! A forgotten password: `/inloggen/wachtwoord-vergeten` (ask for a link),
//! `/wachtwoord-herstellen/{token}` (the e-mail link: look, then confirm) and
//! `/wachtwoord-herstellen` (the code to the account's mobile, then the new password).
//! Plain forms that post and come back here, so everything works without JavaScript.

use crate::api::account::{reset_link, reset_status, AccountNotice, ResetStep};
use crate::components::secret_fields::{NewPasswordFields, PasswordRules, SmsCodeField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The notice named in the query string, as an alert.
pub(crate) fn notice_view(notice: Option<AccountNotice>, tries_left: Option<i64>) -> Option<AnyView> {
    let n = notice?;
    let query = use_query_map();
    let over = crate::api::activation::minutes_param(query.read_untracked().get("over"));
    let text = match (n, tries_left) {
        (AccountNotice::NetworkLimit, _) => {
            format!("{}{}", n.text(), crate::api::activation::try_again(over.unwrap_or(60)))
        }
        (AccountNotice::CodeWrong, Some(1)) => format!("{} Nog 1 poging.", n.text()),
        (AccountNotice::CodeWrong, Some(t)) if t > 1 => format!("{} Nog {t} pogingen.", n.text()),
        _ => n.text().to_string(),
    };
    Some(if n.is_error() {
        view! { <p class="alert alert--error" role="alert" data-testid="notice">{text}</p> }.into_any()
    } else {
        view! { <p class="alert alert--info" role="status" data-testid="notice">{text}</p> }.into_any()
    })
}

fn query_notice() -> impl Fn() -> Option<AccountNotice> + Copy {
    let query = use_query_map();
    move || query.read().get("melding").and_then(|m| AccountNotice::parse(&m))
}

#[component]
pub fn ForgottenPage() -> impl IntoView {
    let notice = query_notice();
    view! {
        <Title text="Wachtwoord vergeten" />
        <section class="card card--narrow">
            <h1>"Wachtwoord vergeten"</h1>
            {move || notice_view(notice(), None)}
            <p class="lead">
                "Vul het e-mailadres van uw account in. U krijgt een e-mail met een link; daarna een sms-code op het "
                "mobiele nummer van uw account. Dan kiest u een nieuw wachtwoord."
            </p>
            <form method="post" action="/api/password/forgotten">
                <div class="field">
                    <label for="email">"E-mailadres"</label>
                    <input id="email" type="email" name="email" autocomplete="username" required />
                </div>
                <button type="submit" class="button">"Stuur mij een link"</button>
            </form>
            <p class="hint"><a href="/inloggen">"Terug naar inloggen"</a></p>
        </section>
    }
}

#[component]
pub fn ResetLinkPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let usable = Resource::new(token, reset_link);
    view! {
        <Title text="Nieuw wachtwoord kiezen" />
        <section class="card card--narrow mobile">
            <h1>"Nieuw wachtwoord kiezen"</h1>
            <Suspense fallback=|| view! { <p>"Laden…"</p> }>
                {move || Suspend::new(async move {
                    match usable.await {
                        Ok(true) => view! {
                            <p>"Ga verder om een sms-code te ontvangen op het mobiele nummer van uw account."</p>
                            <form method="post" action="/api/password/confirm">
                                <input type="hidden" name="token" value=token() />
                                <button type="submit" class="button button--wide">"Verder: sms-code sturen"</button>
                            </form>
                        }.into_any(),
                        Ok(false) => view! {
                            <p class="alert alert--error" role="alert" data-testid="link-problem">{AccountNotice::LinkUnusable.text()}</p>
                            <a class="button" href="/inloggen/wachtwoord-vergeten">"Nieuwe link aanvragen"</a>
                        }.into_any(),
                        Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let query = use_query_map();
    let notice = query_notice();
    let step = Resource::new(move || query.read().get("melding"), |_| reset_status());
    view! {
        <Title text="Nieuw wachtwoord kiezen" />
        <section class="card card--narrow mobile">
            <h1>"Nieuw wachtwoord kiezen"</h1>
            <Suspense fallback=|| view! { <p>"Laden…"</p> }>
                {move || Suspend::new(async move {
                    match step.await {
                        Ok(s) => reset_step(s, notice()),
                        Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn reset_step(step: ResetStep, notice: Option<AccountNotice>) -> AnyView {
    match step {
        ResetStep::NoReset => view! {
            {notice_view(notice.filter(|n| *n != AccountNotice::NoReset), None)}
            <p class="alert alert--error" role="alert">{AccountNotice::NoReset.text()}</p>
            <a class="button" href="/inloggen/wachtwoord-vergeten">"Nieuwe link aanvragen"</a>
        }
        .into_any(),
        ResetStep::Sms {
            masked_mobile,
            tries_left,
            code_dead,
            codes_left,
        } => view! {
            <p class="lead">
                "We hebben een sms met een code van 6 cijfers gestuurd naar " <strong>{masked_mobile}</strong>
                ". De code is 10 minuten geldig."
            </p>
            {notice_view(notice, Some(tries_left))}
            {(!code_dead).then(|| view! {
                <form method="post" action="/api/password/code">
                    <SmsCodeField autofocus=true />
                    <button type="submit" class="button button--wide">"Bevestigen"</button>
                </form>
            })}
            {(codes_left > 0).then(|| view! {
                <form method="post" action="/api/password/resend">
                    <button type="submit" class="button button--secondary button--wide">"Nieuwe code sturen"</button>
                </form>
            })}
        }
        .into_any(),
        ResetStep::Password => view! {
            {notice_view(notice, None)}
            <p class="lead">"Kies een nieuw wachtwoord."</p>
            <PasswordRules />
            <form method="post" action="/api/password/new">
                <NewPasswordFields repeat_label="Herhaal het nieuwe wachtwoord" />
                <button type="submit" class="button button--wide">"Wachtwoord opslaan"</button>
            </form>
        }
        .into_any(),
        ResetStep::Done => view! {
            <p class="alert alert--success" role="status" data-testid="reset-done">{AccountNotice::ResetDone.text()}</p>
            <a class="button button--wide" href="/inloggen">"Inloggen"</a>
        }
        .into_any(),
    }
}
