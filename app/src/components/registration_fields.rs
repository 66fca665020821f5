//! Inputs of the registration wizard. Each checks itself as it is typed with
//! `domain::registration::check_field` (the parser the server uses too); before the first
//! keystroke it shows the server's message for that input, if any.

use crate::domain::document::ACCEPT;
use crate::domain::registration::{check_field, PersonFields};
use crate::domain::time::CivilDate;
use leptos::prelude::*;

/// What every input of a step needs to know.
#[derive(Clone)]
pub struct Ctx {
    pub today: CivilDate,
    pub errors: Vec<(String, String)>,
    pub uploaded: Vec<(String, i64)>,
}

impl Ctx {
    pub fn error(&self, name: &str) -> Option<String> {
        self.errors.iter().find(|(n, _)| n == name).map(|(_, e)| e.clone())
    }
    pub fn uploaded(&self, slot: &str) -> Option<i64> {
        self.uploaded.iter().find(|(n, _)| n == slot).map(|(_, s)| *s)
    }
}

/// A text input with a label, checked as typed.
#[component]
pub fn Checked(
    ctx: Ctx,
    name: String,
    label: &'static str,
    value: String,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] optional: bool,
) -> impl IntoView {
    let today = ctx.today;
    let server = ctx.error(&name);
    let typed = RwSignal::new(None::<String>);
    let check_name = name.clone();
    let message = Signal::derive(move || match typed.get() {
        Some(v) => check_field(&check_name, &v, today),
        None => server.clone(),
    });
    let err_id = format!("{name}-fout");
    let hint_text = hint.map(|h| view! { <span class="hint">{h}</span> });
    view! {
        <div class="field" class:field--error=move || message.get().is_some()>
            <label for=name.clone()>{label}{optional.then_some(" (niet verplicht)")}</label>
            {hint_text}
            <input
                id=name.clone()
                name=name.clone()
                type=kind
                value=value
                autocomplete=autocomplete
                aria-describedby=err_id.clone()
                aria-invalid=move || message.get().is_some().to_string()
                on:input=move |ev| typed.set(Some(event_target_value(&ev)))
            />
            <span class="field__error" id=err_id data-testid=format!("fout-{name}")>{message}</span>
        </div>
    }
}

/// A file input; shows whether a file is already in.
#[component]
pub fn FileInput(
    ctx: Ctx,
    which: &'static str,
    label: &'static str,
    #[prop(default = ACCEPT)] accept: &'static str,
) -> impl IntoView {
    let name = format!("{which}_file");
    let have = ctx.uploaded(which);
    let server = ctx.error(&name);
    let local = RwSignal::new(None::<String>);
    let limit = crate::domain::document::MAX_BYTES as f64;
    let shown = Signal::derive(move || local.get().or(server.clone()));
    view! {
        <div class="field" class:field--error=move || shown.get().is_some()>
            <label for=name.clone()>{label}</label>
            {have.map(|size| view! {
                <span class="hint" data-testid=format!("ontvangen-{which}")>
                    {format!("Ontvangen ({:.0} kB). Kies alleen een bestand als u het wilt vervangen.", size as f64 / 1024.0)}
                </span>
            })}
            <input
                id=name.clone()
                name=name.clone()
                type="file"
                accept=accept
                on:change=move |_ev| {
                    #[cfg(feature = "hydrate")]
                    {
                        use wasm_bindgen::JsCast;
                        let input = _ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
                        let size = input.and_then(|i| i.files()).and_then(|f| f.get(0)).map(|f| f.size());
                        local.set(match size {
                            Some(s) if s > limit => Some("Het bestand is te groot. Het mag hoogstens 10 MB zijn.".into()),
                            _ => None,
                        });
                    }
                    let _ = limit;
                }
            />
            <span class="hint">{if accept == "application/pdf" { "PDF, hoogstens 10 MB." } else { "JPEG, PNG of PDF, hoogstens 10 MB." }}</span>
            <span class="field__error">{shown}</span>
        </div>
    }
}

/// Name, e-mail and mobile of a person (and birth date and employment for the manager).
#[component]
pub fn PersonInputs(ctx: Ctx, prefix: String, person: PersonFields, #[prop(optional)] manager: bool) -> impl IntoView {
    let n = |s: &str| format!("{prefix}_{s}");
    let employed = person.employed.clone();
    view! {
        <Checked ctx=ctx.clone() name=n("given_names") label="Voornamen" value=person.given_names autocomplete="off" />
        <Checked ctx=ctx.clone() name=n("prefix") label="Tussenvoegsel" value=person.prefix optional=true autocomplete="off" />
        <Checked ctx=ctx.clone() name=n("surname") label="Achternaam" value=person.surname autocomplete="off" />
        {manager.then(|| view! {
            <Checked ctx=ctx.clone() name=n("birth_date") label="Geboortedatum" value=person.birth_date.clone() hint="dd-mm-jjjj" />
        })}
        <Checked ctx=ctx.clone() name=n("email") label="E-mailadres" value=person.email kind="email" autocomplete="off" />
        <Checked ctx=ctx.clone() name=n("mobile") label="Mobiel nummer" value=person.mobile kind="tel" hint="06 12345678" autocomplete="off" />
        {manager.then(|| {
            let name = n("employed");
            let err = ctx.error(&name);
            let has_err = err.is_some();
            view! {
                <fieldset class="field" class:field--error=has_err>
                    <legend>"In loondienst bij deze organisatie?"</legend>
                    <div class="field--check">
                        <input type="radio" id="manager_employed_ja" name=name.clone() value="ja" checked=employed == "ja" />
                        <label for="manager_employed_ja">"Ja"</label>
                    </div>
                    <div class="field--check">
                        <input type="radio" id="manager_employed_nee" name=name.clone() value="nee" checked=employed == "nee" />
                        <label for="manager_employed_nee">"Nee"</label>
                    </div>
                    <span class="field__error">{err}</span>
                </fieldset>
            }
        })}
    }
}
