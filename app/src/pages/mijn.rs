//! `/mijn`: a person's own means and authorisations, and their own account: a new
//! password, a new mobile number. The account forms are plain forms that post and come
//! back here with a notice, so they work without JavaScript.

use crate::api::account::{my_account, AccountNotice, AccountView};
use crate::api::me::my_means;
use crate::components::secret_fields::{NewPasswordFields, SmsCodeField};
use crate::domain::password::MIN_CHARS;
use crate::pages::wachtwoord::notice_view;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MijnPage() -> impl IntoView {
    let means = Resource::new(|| (), |_| my_means());
    view! {
        <Title text="Mijn middelen" />
        <h1>"Mijn middelen"</h1>
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match means.await {
                    Ok(list) if list.is_empty() => view! { <p>"U heeft nog geen eHerkenningsmiddel."</p> }.into_any(),
                    Ok(list) => list.into_iter().map(|m| view! {
                        <section class="card">
                            <h2>{m.organisation}</h2>
                            <p>"Middel " <strong>{m.level}</strong> " · " {m.state}</p>
                            {if m.authorisations.is_empty() {
                                view! { <p class="hint">"Geen machtigingen."</p> }.into_any()
                            } else {
                                view! {
                                    <table class="table">
                                        <thead><tr><th scope="col">"Machtiging"</th><th scope="col">"Niveau"</th><th scope="col">"Status"</th><th scope="col">"Geldig tot"</th></tr></thead>
                                        <tbody>
                                            {m.authorisations.into_iter().map(|a| view! {
                                                <tr><td>{a.what}</td><td>{a.level}</td><td>{a.state}</td><td>{a.until}</td></tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        </section>
                    }).collect_view().into_any(),
                    Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
        <AccountSection />
    }
}

#[component]
fn AccountSection() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("melding").and_then(|m| AccountNotice::parse(&m));
    let account = Resource::new(move || query.read().get("melding"), |_| my_account());
    view! {
        <h2 id="account">"Mijn account"</h2>
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(a) => account_view(a, notice()).into_any(),
                    Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn account_view(a: AccountView, notice: Option<AccountNotice>) -> impl IntoView {
    let tries = a.pending_mobile.as_ref().map(|p| p.tries_left);
    view! {
        {notice_view(notice, tries)}
        <section class="card">
            <dl class="facts">
                <dt>"E-mailadres"</dt><dd>{a.email}</dd>
                <dt>"Mobiel nummer voor inlogcodes"</dt><dd data-testid="verified-mobile">{a.masked_mobile}</dd>
            </dl>
        </section>
        <section class="card">
            <h3>"Wachtwoord wijzigen"</h3>
            <form method="post" action="/api/account/password">
                <div class="field">
                    <label for="current-password">"Huidig wachtwoord"</label>
                    <input id="current-password" name="current" type="password" autocomplete="current-password" required />
                </div>
                <NewPasswordFields prefix="new-" repeat_label="Herhaal het nieuwe wachtwoord" />
                <p class="hint">{format!("Minstens {MIN_CHARS} tekens; niet uw naam of e-mailadres, en geen veelgebruikt wachtwoord.")}</p>
                <button type="submit" class="button">"Wachtwoord wijzigen"</button>
            </form>
        </section>
        <section class="card">
            <h3>"Mobiel nummer wijzigen"</h3>
            {match a.pending_mobile {
                Some(p) => view! {
                    <p>"We hebben een sms-code gestuurd naar " <strong>{p.masked_new}</strong> ". Vul die in om het nummer te koppelen."</p>
                    {(!p.code_dead).then(|| view! {
                        <form method="post" action="/api/account/mobile_code">
                            <SmsCodeField id="mobile-code" />
                            <button type="submit" class="button">"Nummer bevestigen"</button>
                        </form>
                    })}
                    <form method="post" action="/api/account/mobile_cancel">
                        <button type="submit" class="button button--secondary">"Wijziging stoppen"</button>
                    </form>
                }.into_any(),
                None => view! {
                    <p class="hint">"Uw huidige nummer krijgt een sms zodra het nieuwe nummer is gekoppeld."</p>
                    <form method="post" action="/api/account/mobile">
                        <div class="field">
                            <label for="new-mobile">"Nieuw mobiel nummer"</label>
                            <input id="new-mobile" name="mobile" type="tel" inputmode="tel" autocomplete="tel" placeholder="06 12345678" required />
                        </div>
                        <div class="field">
                            <label for="mobile-current">"Huidig wachtwoord"</label>
                            <input id="mobile-current" name="current" type="password" autocomplete="current-password" required />
                        </div>
                        <button type="submit" class="button">"Sms-code naar nieuw nummer sturen"</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
