//! Requesting means by hand: one row per person (add and remove rows), every field checked
//! in the browser by the same parser the server uses; one request per person on submit.

use crate::api::users::{form_context, request_means, RequestFormSetup, RequestOutcome};
use crate::domain::person_request::{Field, FieldError, PersonRequest, RequestFields};
use crate::domain::time::CivilDate;
use crate::domain::value::AssuranceLevel;
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::HashSet;

#[derive(Clone, Copy)]
struct Row {
    key: usize,
    fields: RwSignal<RequestFields>,
    touched: RwSignal<HashSet<Field>>,
}

impl Row {
    fn new(key: usize) -> Row {
        Row {
            key,
            fields: RwSignal::new(RequestFields::default()),
            touched: RwSignal::new(HashSet::new()),
        }
    }
}

/// The limits the browser checks against; from the server so both agree.
#[derive(Clone, Copy)]
struct Limits {
    today: CivilDate,
    max_level: AssuranceLevel,
}

impl Limits {
    fn from_setup(s: &RequestFormSetup) -> Option<Limits> {
        Some(Limits {
            today: CivilDate::parse_iso(&s.today_iso).ok()?,
            max_level: AssuranceLevel::parse(&s.max_level).ok()?,
        })
    }
    fn errors(&self, f: &RequestFields) -> Vec<FieldError> {
        PersonRequest::from_fields(f, self.today, self.max_level)
            .err()
            .unwrap_or_default()
    }
}

#[component]
pub fn RequestForm(on_done: impl Fn() + Send + Sync + Copy + 'static) -> impl IntoView {
    let setup = Resource::new(|| (), |_| form_context());
    view! {
        <section class="card" aria-labelledby="aanvragen-titel">
            <h2 id="aanvragen-titel">"Middelen aanvragen per persoon"</h2>
            <p class="hint">
                "Iedere persoon krijgt een e-mail met een activeringslink. Niveaus tot en met uw eigen niveau."
            </p>
            <Suspense fallback=|| view! { <p>"Laden…"</p> }>
                {move || Suspend::new(async move {
                    match setup.await.map(|s| (Limits::from_setup(&s), s)) {
                        Ok((Some(limits), _)) => view! { <Rows limits on_done /> }.into_any(),
                        Ok((None, _)) => view! { <p class="alert alert--error" role="alert">{AppError::Internal.to_string()}</p> }.into_any(),
                        Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Rows(limits: Limits, on_done: impl Fn() + Send + Sync + Copy + 'static) -> impl IntoView {
    let next_key = StoredValue::new(1usize);
    let rows = RwSignal::new(vec![Row::new(0)]);
    let tried = RwSignal::new(false);
    let submit = Action::new(|rows: &Vec<RequestFields>| {
        let rows = rows.clone();
        async move { request_means(rows).await }
    });
    let invalid = move || rows.with(|rs| rs.iter().any(|r| !limits.errors(&r.fields.get()).is_empty()));
    Effect::new(move |_| {
        if let Some(Ok(out)) = submit.value().get() {
            if out.errors.is_empty() {
                rows.set(vec![Row::new(next_key.get_value())]);
                next_key.update_value(|k| *k += 1);
                tried.set(false);
                on_done();
            }
        }
    });
    let add = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        rows.update(|rs| rs.push(Row::new(key)));
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        if !invalid() {
            submit.dispatch(rows.with(|rs| rs.iter().map(|r| r.fields.get()).collect()));
        }
    };
    view! {
        <form on:submit=on_submit novalidate>
            <For each=move || rows.get() key=|r| r.key let:row>
                <RowFields row limits tried can_remove=Signal::derive(move || rows.with(|rs| rs.len() > 1))
                    remove=Callback::new(move |_| rows.update(|rs| rs.retain(|r| r.key != row.key))) />
            </For>
            <Show when=move || tried.get() && invalid()>
                <p class="alert alert--error" role="alert">"Controleer de gemarkeerde velden; er is nog niets verstuurd."</p>
            </Show>
            {move || submit.value().get().map(outcome_view)}
            <div class="actions">
                <button type="button" class="button button--secondary" on:click=add>"Persoon toevoegen"</button>
                <button type="submit" class="button" disabled=move || submit.pending().get()>
                    {move || format!("Aanvragen ({})", rows.with(|r| r.len()))}
                </button>
            </div>
        </form>
    }
}

fn outcome_view(r: Result<RequestOutcome, AppError>) -> AnyView {
    match r {
        Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
        Ok(o) if !o.errors.is_empty() => view! {
            <div class="alert alert--error" role="alert">
                <p>"De server heeft de aanvraag geweigerd; er is niets opgeslagen:"</p>
                <ul>
                    {o.errors.into_iter().map(|(i, e)| view! { <li>{format!("Persoon {}, {}: {}", i + 1, e.field.column(), e.message)}</li> }).collect_view()}
                </ul>
            </div>
        }.into_any(),
        Ok(o) => view! {
            <div class="alert alert--info" role="status" data-testid="request-outcome">
                <p>{match o.created {
                    1 => "1 middel aangevraagd. De activeringsmail is onderweg.".to_string(),
                    n => format!("{n} middelen aangevraagd. De activeringsmails zijn onderweg."),
                }}</p>
                {(!o.present.is_empty()).then(|| view! {
                    <p>{format!("Al aanwezig (niets nieuws aangemaakt): {}", o.present.join(", "))}</p>
                })}
            </div>
        }.into_any(),
    }
}

#[component]
fn RowFields(
    row: Row,
    limits: Limits,
    tried: RwSignal<bool>,
    can_remove: Signal<bool>,
    remove: Callback<()>,
) -> impl IntoView {
    let errors = Memo::new(move |_| limits.errors(&row.fields.get()));
    let message = move |f: Field| {
        let shown = tried.get() || row.touched.with(|t| t.contains(&f));
        shown
            .then(|| errors.with(|es| es.iter().find(|e| e.field == f).map(|e| e.message.clone())))
            .flatten()
    };
    let text = move |f: Field, label: &'static str, kind: &'static str, hint: &'static str| {
        let id = format!("r{}-{}", row.key, f.column());
        let err_id = format!("{id}-fout");
        let get = move |fs: &RequestFields| match f {
            Field::GivenNames => fs.given_names.clone(),
            Field::Prefix => fs.prefix.clone(),
            Field::Surname => fs.surname.clone(),
            Field::BirthDate => fs.birth_date.clone(),
            Field::Email => fs.email.clone(),
            Field::Mobile => fs.mobile.clone(),
            Field::Employed => fs.employed.clone(),
            Field::Level => fs.level.clone(),
        };
        view! {
            <div class="field" class:field--error=move || message(f).is_some()>
                <label for=id.clone()>{label}</label>
                <input
                    id=id
                    type=kind
                    placeholder=hint
                    prop:value=move || row.fields.with(get)
                    aria-invalid=move || message(f).is_some().to_string()
                    aria-describedby=err_id.clone()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        row.fields.update(|fs| set(fs, f, v));
                    }
                    on:blur=move |_| row.touched.update(|t| { t.insert(f); })
                />
                <span class="field__error" id=err_id>{move || message(f)}</span>
            </div>
        }
    };
    let select = move |f: Field, label: &'static str, options: Vec<(String, String)>| {
        let id = format!("r{}-{}", row.key, f.column());
        view! {
            <div class="field" class:field--error=move || message(f).is_some()>
                <label for=id.clone()>{label}</label>
                <select id=id on:change=move |ev| {
                    let v = event_target_value(&ev);
                    row.fields.update(|fs| set(fs, f, v));
                    row.touched.update(|t| { t.insert(f); });
                }>
                    <option value="">"Kies…"</option>
                    {options.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                </select>
                <span class="field__error">{move || message(f)}</span>
            </div>
        }
    };
    let levels: Vec<(String, String)> = AssuranceLevel::up_to(limits.max_level)
        .map(|l| (l.as_str().to_string(), l.as_str().to_string()))
        .collect();
    view! {
        <fieldset class="person-row">
            <legend>{format!("Persoon {}", row.key + 1)}</legend>
            <div class="grid">
                {text(Field::GivenNames, "Voornamen", "text", "")}
                {text(Field::Prefix, "Tussenvoegsel", "text", "")}
                {text(Field::Surname, "Achternaam", "text", "")}
                {text(Field::BirthDate, "Geboortedatum", "text", "dd-mm-jjjj")}
                {text(Field::Email, "E-mailadres", "email", "")}
                {text(Field::Mobile, "Mobiel nummer", "tel", "06 12345678")}
                {select(Field::Employed, "In loondienst", vec![("ja".into(), "Ja".into()), ("nee".into(), "Nee".into())])}
                {select(Field::Level, "Niveau", levels)}
            </div>
            <Show when=move || can_remove.get()>
                <button type="button" class="button button--link" on:click=move |_| remove.run(())>
                    "Verwijder deze persoon"
                </button>
            </Show>
        </fieldset>
    }
}

fn set(fs: &mut RequestFields, f: Field, v: String) {
    match f {
        Field::GivenNames => fs.given_names = v,
        Field::Prefix => fs.prefix = v,
        Field::Surname => fs.surname = v,
        Field::BirthDate => fs.birth_date = v,
        Field::Email => fs.email = v,
        Field::Mobile => fs.mobile = v,
        Field::Employed => fs.employed = v,
        Field::Level => fs.level = v,
    }
}
