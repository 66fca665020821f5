//! `/activeren/{token}` (the e-mail link: look, then confirm) and `/activeren` (the steps
//! after it: SMS code, password, ID upload, status). Mobile first; plain forms that post
//! to the server and come back here, so everything works without JavaScript.

use crate::api::activation::{
    activation_link, activation_status, AccountProof, ActivationView, LinkView, Notice, Step,
};
use crate::components::secret_fields::{NewPasswordFields, PasswordRules, SmsCodeField};
use crate::domain::document::ACCEPT;
use crate::domain::password::MAX_CHARS;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn loading() -> impl IntoView {
    view! { <p>"Laden…"</p> }
}

fn failed(e: crate::error::AppError) -> AnyView {
    view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any()
}

const ASK_MANAGER: &str = "Vraag de beheerder van uw organisatie om een nieuwe activatielink.";

#[component]
pub fn ActivationLinkPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let link = Resource::new(token, activation_link);
    view! {
        <Title text="Middel activeren" />
        <section class="card card--narrow mobile">
            <h1>"Middel activeren"</h1>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match link.await {
                        Ok(LinkView::Valid { given_names, organisation, level }) => view! {
                            <Progress current=1 />
                            <p class="lead">"Hallo " {given_names} ","</p>
                            <p>
                                <strong>{organisation}</strong> " heeft een eHerkenningsmiddel op niveau "
                                <strong>{level}</strong> " voor u aangevraagd."
                            </p>
                            <p>"Bevestig dat dit uw e-mailadres is. Daarna volgen een sms-code en uw wachtwoord."</p>
                            <form method="post" action="/api/activation/confirm">
                                <input type="hidden" name="token" value=token() />
                                <button type="submit" class="button button--wide">"E-mailadres bevestigen"</button>
                            </form>
                        }.into_any(),
                        Ok(LinkView::Unusable(problem)) => view! {
                            <p class="alert alert--error" role="alert" data-testid="link-problem">{problem.text()}</p>
                            <p>{ASK_MANAGER}</p>
                            <p class="hint"><a href="/inloggen">"Heeft u uw middel al geactiveerd? Log dan in."</a></p>
                        }.into_any(),
                        Err(e) => failed(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Where the person is: 1 e-mail, 2 SMS code, 3 password, 4 identity.
#[component]
fn Progress(current: u8) -> impl IntoView {
    let steps = ["E-mail", "Sms-code", "Wachtwoord", "Identiteit"];
    view! {
        <ol class="progress" aria-label="Voortgang">
            {steps.into_iter().enumerate().map(|(i, s)| {
                let n = i as u8 + 1;
                let class = if n < current { "progress__step progress__step--done" } else if n == current { "progress__step progress__step--current" } else { "progress__step" };
                view! { <li class=class aria-current=(n == current).then_some("step")>{s}</li> }
            }).collect_view()}
        </ol>
    }
}

#[component]
pub fn ActivationPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("melding").and_then(|m| Notice::parse(&m));
    let view_res = Resource::new(move || query.read().get("melding"), |_| activation_status());
    view! {
        <Title text="Middel activeren" />
        <section class="card card--narrow mobile">
            <h1>"Middel activeren"</h1>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match view_res.await {
                        Ok(v) => view! { <StepView v=v notice=notice() /> }.into_any(),
                        Err(e) => failed(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn alert(notice: Option<Notice>, tries_left: Option<i64>) -> Option<AnyView> {
    let n = notice?;
    let query = use_query_map();
    let over = crate::api::activation::minutes_param(query.read_untracked().get("over"));
    let text = match (n, tries_left) {
        (Notice::NetworkLimit, _) => format!("{}{}", n.text(), crate::api::activation::try_again(over.unwrap_or(60))),
        (Notice::CodeWrong, Some(1)) => format!("{} Nog 1 poging.", n.text()),
        (Notice::CodeWrong, Some(t)) => format!("{} Nog {t} pogingen.", n.text()),
        _ => n.text().to_string(),
    };
    Some(if n.is_error() {
        view! { <p class="alert alert--error" role="alert" data-testid="notice">{text}</p> }.into_any()
    } else {
        view! { <p class="alert alert--info" role="status" data-testid="notice">{text}</p> }.into_any()
    })
}

#[component]
fn StepView(v: ActivationView, notice: Option<Notice>) -> impl IntoView {
    let ActivationView {
        step,
        given_names,
        organisation,
        level,
    } = v;
    match step {
        Step::NoActivation => view! {
            {alert(notice.filter(|n| *n != Notice::NoActivation), None)}
            <p class="alert alert--info" role="status">
                "Er loopt in deze browser geen activatie. Open de link uit de e-mail die u van ons kreeg om te beginnen."
            </p>
            <p>{ASK_MANAGER}</p>
        }
        .into_any(),
        Step::Sms { masked_mobile, tries_left, code_dead, codes_left } => {
            view! { <SmsStep masked_mobile tries_left code_dead codes_left notice /> }.into_any()
        }
        Step::Password { prove: Some(proof) } => {
            view! { <ProveStep proof given_names organisation notice /> }.into_any()
        }
        Step::Password { prove: None } => view! {
            <Progress current=3 />
            <p class="lead">"Kies uw eigen wachtwoord, " {given_names} "."</p>
            {alert(notice, None)}
            <PasswordRules />
            <form method="post" action="/api/activation/password">
                <NewPasswordFields />
                <button type="submit" class="button button--wide">"Wachtwoord opslaan"</button>
            </form>
        }
        .into_any(),
        Step::IdUpload { uploaded } => view! { <IdUploadStep uploaded organisation level notice /> }.into_any(),
        Step::InPerson => view! {
            <Progress current=4 />
            {alert(notice, None)}
            <p class="lead" data-testid="in-person">"Nog één stap: identificatie aan de balie."</p>
            <p>"Voor niveau EH4 identificeren wij u persoonlijk. Neem uw paspoort, identiteitskaart of rijbewijs mee. U krijgt een e-mail zodra uw middel actief is."</p>
        }
        .into_any(),
        Step::Completed => view! {
            <p class="alert alert--success" role="status" data-testid="activated">
                "Uw eHerkenningsmiddel op niveau " {level} " voor " {organisation} " is actief."
            </p>
            <p>"U kunt nu inloggen met uw e-mailadres en het wachtwoord van uw account."</p>
            <a class="button button--wide" href="/inloggen">"Inloggen"</a>
        }
        .into_any(),
        Step::Rejected { reason } => view! {
            <p class="alert alert--error" role="alert">"Uw aanvraag is afgewezen."</p>
            <p>"Reden: " {reason}</p>
            <p>"Neem bij vragen contact op met de beheerder van uw organisatie."</p>
        }
        .into_any(),
        Step::Cancelled => view! {
            <p class="alert alert--error" role="alert">"Deze aanvraag is ingetrokken door uw organisatie."</p>
            <p>"Neem bij vragen contact op met de beheerder van uw organisatie."</p>
        }
        .into_any(),
        Step::Expired => view! {
            <p class="alert alert--error" role="alert">"Deze activatie is verlopen."</p>
            <p>{ASK_MANAGER}</p>
        }
        .into_any(),
    }
}

/// Step 2: the SMS code, and a new one while today's are not used up.
#[component]
fn SmsStep(
    masked_mobile: String,
    tries_left: i64,
    code_dead: bool,
    codes_left: i64,
    notice: Option<Notice>,
) -> impl IntoView {
    view! {
        <Progress current=2 />
        <p class="lead">
            "We hebben een sms met een code van 6 cijfers gestuurd naar " <strong>{masked_mobile}</strong>
            ". De code is 10 minuten geldig."
        </p>
        {alert(notice, Some(tries_left))}
        {(!code_dead).then(|| view! {
            <form method="post" action="/api/activation/code">
                <SmsCodeField autofocus=true />
                <button type="submit" class="button button--wide">"Bevestigen"</button>
            </form>
        })}
        {if codes_left > 0 {
            view! {
                <form method="post" action="/api/activation/resend">
                    <button type="submit" class=if code_dead { "button button--wide" } else { "button button--secondary button--wide" }>
                        "Nieuwe code sturen"
                    </button>
                </form>
            }.into_any()
        } else {
            view! { <p class="hint">"U heeft vandaag het maximum aantal sms-codes gehad. Probeer het morgen opnieuw."</p> }.into_any()
        }}
    }
}

/// Step 3 for an address that has an account: prove it with that account's password.
#[component]
fn ProveStep(proof: AccountProof, given_names: String, organisation: String, notice: Option<Notice>) -> impl IntoView {
    view! {
        <Progress current=3 />
        <p class="lead">"U heeft al een account bij ons, " {given_names} "."</p>
        <p>
            "Bevestig met het wachtwoord van uw account dat u het bent. U kiest geen nieuw wachtwoord. "
            "Daarna sturen we een sms-code naar het mobiele nummer van uw account."
        </p>
        {alert(notice, None)}
        {proof.mobile_differs.map(|(requested, verified)| view! {
            <p class="alert alert--info" role="status" data-testid="mobile-differs">
                {organisation.clone()} " gaf een ander mobiel nummer op (" {requested} ") dan het nummer van uw account ("
                {verified} "). De sms-code gaat naar het nummer van uw account. Wilt u een ander nummer gebruiken? "
                "Wijzig het na het inloggen onder ‘Mijn middelen’."
            </p>
        })}
        {if proof.tries_left > 0 {
            view! {
                <form method="post" action="/api/activation/prove">
                    <div class="field">
                        <label for="password">"Wachtwoord van uw account"</label>
                        <input id="password" name="password" type="password" autocomplete="current-password"
                            maxlength=MAX_CHARS.to_string() required />
                        <p class="hint">{format!("Nog {} {}.", proof.tries_left, if proof.tries_left == 1 { "poging" } else { "pogingen" })}</p>
                    </div>
                    <button type="submit" class="button button--wide">"Bevestigen met wachtwoord"</button>
                </form>
            }.into_any()
        } else {
            view! { <p>{Notice::PasswordTooOften.text()}</p> }.into_any()
        }}
        <p class="hint"><a href="/inloggen/wachtwoord-vergeten">"Wachtwoord vergeten?"</a></p>
    }
}

/// Step 4 for a non-employee at EH3: a copy of an ID document for the back office.
#[component]
fn IdUploadStep(uploaded: bool, organisation: String, level: String, notice: Option<Notice>) -> impl IntoView {
    view! {
        <Progress current=4 />
        {alert(notice, None)}
        {if uploaded {
            view! {
                <p class="lead" data-testid="id-waiting">"Uw identiteitsbewijs is ontvangen en wacht op controle door onze backoffice."</p>
                <p>"U krijgt een e-mail zodra uw middel actief is. Heeft u het verkeerde bestand gestuurd? Upload dan hieronder een ander; het vervangt het vorige."</p>
            }.into_any()
        } else {
            view! {
                <p class="lead">"Nog één stap: wij controleren uw identiteit."</p>
                <p>
                    "Omdat u niet in loondienst bent bij " {organisation.clone()} " en niveau " {level.clone()}
                    " is aangevraagd, vragen wij een foto of scan van uw paspoort, identiteitskaart of rijbewijs."
                </p>
            }.into_any()
        }}
        <form method="post" action="/api/activation/document" enctype="multipart/form-data">
            <div class="field">
                <label for="document">"Foto of PDF van uw identiteitsbewijs"</label>
                <input id="document" name="document" type="file" accept=ACCEPT required />
                <p class="hint">"JPEG, PNG of PDF, hoogstens 10 MB. Het bestand wordt verwijderd zodra het is beoordeeld."</p>
            </div>
            <button type="submit" class="button button--wide">"Uploaden"</button>
        </form>
    }
}
