//! The form fields that every password and code step shares: a new password typed twice
//! (with the rules beside it) and a six-digit SMS code. Plain inputs, named as the server
//! functions expect (`password`, `repeat`, `code`), so they work in forms without
//! JavaScript.

use crate::domain::password::{MAX_CHARS, MIN_CHARS};
use leptos::prelude::*;

/// What a good password is, in three lines.
#[component]
pub fn PasswordRules() -> impl IntoView {
    view! {
        <ul class="rules">
            <li>{format!("Minstens {MIN_CHARS} tekens (hoogstens {MAX_CHARS}).")}</li>
            <li>"Een zin van een paar woorden is sterk en makkelijk te onthouden."</li>
            <li>"Niet uw naam of e-mailadres, en geen veelgebruikt wachtwoord."</li>
        </ul>
    }
}

/// A new password and its repetition (`password`, `repeat`).
#[component]
pub fn NewPasswordFields(
    /// Id prefix, so that two forms on one page keep their labels apart.
    #[prop(default = "")]
    prefix: &'static str,
    #[prop(default = "Herhaal het wachtwoord")] repeat_label: &'static str,
) -> impl IntoView {
    let (pw, rep) = (format!("{prefix}password"), format!("{prefix}repeat"));
    view! {
        <div class="field">
            <label for=pw.clone()>"Nieuw wachtwoord"</label>
            <input id=pw name="password" type="password" autocomplete="new-password"
                minlength=MIN_CHARS.to_string() maxlength=MAX_CHARS.to_string() required />
        </div>
        <div class="field">
            <label for=rep.clone()>{repeat_label}</label>
            <input id=rep name="repeat" type="password" autocomplete="new-password"
                minlength=MIN_CHARS.to_string() maxlength=MAX_CHARS.to_string() required />
        </div>
    }
}

/// The six-digit code from the SMS (`code`).
#[component]
pub fn SmsCodeField(#[prop(default = "code")] id: &'static str, #[prop(optional)] autofocus: bool) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>"Sms-code"</label>
            <input id=id name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                pattern="[0-9 ]*" maxlength="7" class="input--code" required autofocus=autofocus />
        </div>
    }
}
