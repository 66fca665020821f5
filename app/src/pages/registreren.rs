//! `/registreren`: the public wizard with which someone registers as authorisation manager
//! (flow 1). Six steps with a progress indicator; each step is a plain multipart form that
//! posts to the server, which keeps the draft (see `service::registration_draft`) — so the
//! data survives moving between steps and reloading, with or without JavaScript. Inputs
//! check themselves as typed with the shared parsers; the server checks again.
//!
//! The last step sends the applicant a code first: "Aanmelding versturen" mails a code to
//! the new manager's own address, the same step then asks for it, and only the right code
//! submits the registration. Notices after a post are texts the server chose, named by a
//! code in `?melding=` (with `over=` minutes when a budget is spent), never free text.

use crate::api::registration_wizard::registration_wizard;
use crate::api::registrations::{wizard_notice, EmailCheckView, WizardNotice, WizardView};
use crate::components::registration_fields::{Checked, Ctx, FileInput, PersonInputs};
use crate::domain::registration::{LEVELS, STEPS};
use crate::domain::time::CivilDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RegistrerenPage() -> impl IntoView {
    let query = use_query_map();
    let step = move || {
        query
            .read()
            .get("stap")
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, STEPS.len())
            - 1
    };
    let notice = move || {
        let q = query.read();
        wizard_notice(q.get("melding").as_deref(), q.get("over"))
    };
    let full = move || query.read().get("melding").as_deref() == Some(WizardNotice::DraftFull.code());
    let data = Resource::new(
        move || (query.read().get("stap"), query.read().get("melding")),
        |_| registration_wizard(),
    );
    view! {
        <Title text="Aanmelden als machtigingenbeheerder" />
        <section class="card card--narrow">
            <h1>"Aanmelden als machtigingenbeheerder"</h1>
            <p class="lead">
                "Met deze aanmelding wordt u machtigingenbeheerder van uw organisatie. "
                <strong data-testid="gratis">"De module is gratis."</strong>
            </p>
            <Progress current=step />
            {move || notice().map(|(error, n)| if error {
                view! { <p class="alert alert--error" role="alert" data-testid="notice">{n}</p> }.into_any()
            } else {
                view! { <p class="alert alert--info" role="status" data-testid="notice">{n}</p> }.into_any()
            })}
            <Suspense fallback=|| view! { <p>"Laden…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) => view! {
                            {full().then(|| view! { <p class="hint" data-testid="max-total">{format!("Alle bestanden van één aanmelding samen mogen hoogstens {} MB zijn.", v.max_total_mb)}</p> })}
                            <StepForm v=v step=step() />
                        }.into_any(),
                        Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Progress(current: impl Fn() -> usize + Send + Sync + Copy + 'static) -> impl IntoView {
    view! {
        <ol class="progress" aria-label="Voortgang">
            {STEPS.into_iter().enumerate().map(|(i, s)| {
                let class = move || if i < current() { "progress__step progress__step--done" } else if i == current() { "progress__step progress__step--current" } else { "progress__step" };
                view! { <li class=class aria-current=move || (i == current()).then_some("step")>{s}</li> }
            }).collect_view()}
        </ol>
    }
}

#[component]
fn StepForm(v: WizardView, step: usize) -> impl IntoView {
    let today = CivilDate::parse_iso(&v.today_iso).unwrap_or(CivilDate::from_days(0));
    let ctx = Ctx {
        today,
        errors: v.errors.clone(),
        uploaded: v.uploaded.clone(),
    };
    let d = v.draft.clone();
    if step == STEPS.len() - 1 {
        return view! { <Review v=v /> }.into_any();
    }
    let body = match step {
        0 => view! {
            <h2>"De organisatie"</h2>
            <Checked ctx=ctx.clone() name="kvk".into() label="KvK-nummer" value=d.kvk hint="8 cijfers" />
            <Checked ctx=ctx.clone() name="org_name".into() label="Naam van de organisatie" value=d.org_name />
            <Checked ctx=ctx.clone() name="branch".into() label="Vestigingsnummer" value=d.branch hint="12 cijfers; leeg laten geldt voor de hele organisatie" optional=true />
        }.into_any(),
        1 => view! {
            <h2>"Uittreksel uit het Handelsregister"</h2>
            <p>"Upload een KvK-uittreksel dat hoogstens 14 dagen oud is, of laat ons het uittreksel opvragen."</p>
            <div class="field field--check">
                <input type="checkbox" id="arrange_extract" name="arrange_extract" checked=d.arrange_extract />
                <label for="arrange_extract">"Regel het uittreksel voor mij"</label>
            </div>
            <Checked ctx=ctx.clone() name="extract_date".into() label="Datum van het uittreksel" value=d.extract_date hint="dd-mm-jjjj; niet nodig als wij het uittreksel regelen" />
            <FileInput ctx=ctx.clone() which="extract" label="Uittreksel (PDF)" accept="application/pdf" />
        }.into_any(),
        2 => {
            let jointly = RwSignal::new(d.jointly());
            let (r0, r1) = (d.rep(0), d.rep(1));
            let ctx1 = ctx.clone();
            view! {
                <h2>"Bevoegd vertegenwoordiger"</h2>
                <p>"De vertegenwoordiger uit het KvK-uittreksel keurt uw aanmelding goed via een link in een e-mail."</p>
                <fieldset class="field">
                    <legend>"Hoe tekent de vertegenwoordiging?"</legend>
                    <div class="field--check">
                        <input type="radio" id="signing_alone" name="signing" value="alone" checked=!d.jointly() on:change=move |_| jointly.set(false) />
                        <label for="signing_alone">"Eén vertegenwoordiger tekent zelfstandig"</label>
                    </div>
                    <div class="field--check">
                        <input type="radio" id="signing_jointly" name="signing" value="jointly" checked=d.jointly() on:change=move |_| jointly.set(true) />
                        <label for="signing_jointly">"Twee vertegenwoordigers tekenen gezamenlijk"</label>
                    </div>
                    <span class="field__error">{ctx.error("signing")}</span>
                </fieldset>
                <fieldset class="stack">
                    <legend>"Vertegenwoordiger 1"</legend>
                    <PersonInputs ctx=ctx.clone() prefix="rep0".into() person=r0 />
                    <FileInput ctx=ctx.clone() which="rep0" label="Kopie identiteitsbewijs vertegenwoordiger 1" />
                </fieldset>
                {move || jointly.get().then(|| view! { <SecondRep ctx=ctx1.clone() person=r1.clone() /> })}
            }.into_any()
        }
        3 => view! {
            <h2>"De nieuwe beheerder"</h2>
            <p>"Wie wordt machtigingenbeheerder? Deze persoon krijgt een eHerkenningsmiddel en activeert het zelf op de telefoon."</p>
            <PersonInputs ctx=ctx.clone() prefix="manager".into() person=d.manager manager=true />
            <FileInput ctx=ctx.clone() which="manager" label="Kopie identiteitsbewijs nieuwe beheerder" />
        }.into_any(),
        _ => {
            let level = d.level.clone();
            view! {
                <h2>"Contracthouder en niveau"</h2>
                <Checked ctx=ctx.clone() name="contract_name".into() label="Naam contracthouder" value=d.contract_name />
                <Checked ctx=ctx.clone() name="contract_email".into() label="E-mailadres contracthouder" value=d.contract_email kind="email" />
                <fieldset class="field" class:field--error=ctx.error("level").is_some()>
                    <legend>"Niveau van de nieuwe beheerder"</legend>
                    {LEVELS.into_iter().map(|l| {
                        let id = format!("level_{}", l.as_str().replace('+', "plus"));
                        view! {
                            <div class="field--check">
                                <input type="radio" id=id.clone() name="level" value=l.as_str() checked=level == l.as_str() />
                                <label for=id>{l.as_str()}</label>
                            </div>
                        }
                    }).collect_view()}
                    <span class="hint">"De beheerder kan machtigingen verlenen tot en met dit niveau. EH4 vraagt identificatie aan de balie."</span>
                    <span class="field__error">{ctx.error("level")}</span>
                </fieldset>
            }.into_any()
        }
    };
    view! {
        <form method="post" action="/api/registration/step" enctype="multipart/form-data" class="stack" novalidate>
            <input type="hidden" name="stap" value=(step + 1).to_string() />
            {body}
            <div class="actions">
                {(step > 0).then(|| view! { <button type="submit" name="ga" value="terug" class="button button--secondary">"Vorige stap"</button> })}
                <button type="submit" name="ga" value="verder" class="button">"Volgende stap"</button>
            </div>
        </form>
    }
    .into_any()
}

#[component]
fn SecondRep(ctx: Ctx, person: crate::domain::registration::PersonFields) -> impl IntoView {
    view! {
        <fieldset class="stack">
            <legend>"Vertegenwoordiger 2"</legend>
            <PersonInputs ctx=ctx.clone() prefix="rep1".into() person=person />
            <FileInput ctx=ctx which="rep1" label="Kopie identiteitsbewijs vertegenwoordiger 2" />
        </fieldset>
    }
}

#[component]
fn Review(v: WizardView) -> impl IntoView {
    let d = v.draft;
    let person = |p: &crate::domain::registration::PersonFields| {
        [p.given_names.as_str(), p.prefix.as_str(), p.surname.as_str()]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let reps: Vec<String> = (0..d.rep_count())
        .map(|i| format!("{} ({})", person(&d.rep(i)), d.rep(i).email))
        .collect();
    let back = view! {
        <form method="post" action="/api/registration/step" enctype="multipart/form-data">
            <input type="hidden" name="stap" value=STEPS.len().to_string() />
            <button type="submit" name="ga" value="terug" class="button button--secondary">"Vorige stap"</button>
        </form>
    };
    let send = match v.email_check {
        EmailCheckView::CodeSent { email, codes_left } => view! { <ConfirmEmail email=email codes_left=codes_left /> }.into_any(),
        check => view! {
            <p>
                {if check == EmailCheckView::Confirmed {
                    "Uw e-mailadres is bevestigd. "
                } else {
                    "Na ‘Aanmelding versturen’ krijgt u eerst een e-mail met een code van 6 cijfers op uw eigen e-mailadres. Pas als u die code heeft ingevuld, versturen we de aanmelding. "
                }}
                "Dan krijgt de vertegenwoordiging een e-mail om uw aanmelding goed te keuren. Daarna beoordeelt onze backoffice haar binnen 5 tot 15 werkdagen: als u vandaag verstuurt, tussen "
                {v.due_min} " en " {v.due_max} "."
            </p>
            <div class="actions">
                {back}
                <form method="post" action="/api/registration/submit">
                    <button type="submit" class="button">"Aanmelding versturen"</button>
                </form>
            </div>
        }.into_any(),
    };
    view! {
        <h2>"Controleren en versturen"</h2>
        <dl class="facts" data-testid="samenvatting">
            <dt>"Organisatie"</dt><dd>{format!("{} (KvK {})", d.org_name, d.kvk)}</dd>
            <dt>"Uittreksel"</dt><dd>{if d.arrange_extract { "Wij vragen het uittreksel op".to_string() } else { format!("PDF van {}", d.extract_date) }}</dd>
            <dt>"Vertegenwoordiging"</dt><dd>{reps.join(", ")}{if d.jointly() { " (gezamenlijk)" } else { "" }}</dd>
            <dt>"Nieuwe beheerder"</dt><dd>{format!("{} ({})", person(&d.manager), d.manager.email)}</dd>
            <dt>"Contracthouder"</dt><dd>{format!("{} ({})", d.contract_name, d.contract_email)}</dd>
            <dt>"Niveau"</dt><dd>{d.level.clone()}</dd>
            <dt>"Kosten"</dt><dd>"Geen: de module is gratis."</dd>
        </dl>
        {send}
    }
}

/// The code step: the code from the e-mail to the applicant's own address.
#[component]
fn ConfirmEmail(email: String, codes_left: i64) -> impl IntoView {
    view! {
        <section class="stack" aria-labelledby="bevestig-titel" data-testid="bevestig-email">
            <h3 id="bevestig-titel">"Bevestig uw e-mailadres"</h3>
            <p>
                "We hebben een code van 6 cijfers gestuurd naar " <strong>{email}</strong>
                ". Vul de code hieronder in; daarna versturen we uw aanmelding. De code werkt 10 minuten."
            </p>
            <form method="post" action="/api/registration/confirm" class="stack">
                <div class="field">
                    <label for="code">"Code uit de e-mail"</label>
                    <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                        pattern="[0-9]{6}" maxlength="6" required />
                </div>
                <div class="actions">
                    <button type="submit" class="button">"Bevestigen en versturen"</button>
                </div>
            </form>
            <p class="hint">
                "Geen e-mail gekregen? Kijk ook bij ongewenste e-mail. Klopt het adres niet? "
                <a href="/registreren?stap=4">"Pas het e-mailadres van de nieuwe beheerder aan"</a> "."
            </p>
            {(codes_left > 0).then(|| view! {
                <form method="post" action="/api/registration/code">
                    <button type="submit" class="button button--secondary">
                        {format!("Stuur een nieuwe code (nog {codes_left})")}
                    </button>
                </form>
            })}
        </section>
    }
}
