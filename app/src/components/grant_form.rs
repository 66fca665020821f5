//! Granting authorisations: pick people and services (or "all services up to level L"),
//! a term and a start date. The level rules (`domain::authorisation::check_grant`) are
//! checked here per person as the choice changes, and again by the server, which refuses
//! with the same messages.

use crate::api::authorisations::{
    grant_authorisations, grant_choices, GrantPerson, GrantReply, GrantRequest, ServiceOption,
};
use crate::domain::authorisation::check_grant;
use crate::domain::value::AssuranceLevel;
use crate::error::AppError;
use leptos::prelude::*;

/// The warnings for the current choice: "Name — service: reason", one per broken rule.
pub fn warnings(
    people: &[GrantPerson],
    services: &[ServiceOption],
    up_to: Option<AssuranceLevel>,
    manager: AssuranceLevel,
) -> Vec<String> {
    let mut out = Vec::new();
    for p in people {
        let Ok(means) = AssuranceLevel::parse(&p.level) else {
            continue;
        };
        let targets: Vec<(String, Option<AssuranceLevel>, AssuranceLevel)> = match up_to {
            Some(l) => vec![(format!("alle diensten t/m {l}"), None, l)],
            None => services
                .iter()
                .filter_map(|s| {
                    AssuranceLevel::parse(&s.level)
                        .ok()
                        .map(|l| (format!("{} ({})", s.name, s.provider), Some(l), l))
                })
                .collect(),
        };
        for (label, service, level) in targets {
            if let Err(e) = check_grant(service, level, means, manager) {
                out.push(format!("{} — {label}: {e}", p.name));
            }
        }
    }
    out
}

/// What the manager has picked so far.
#[derive(Clone, Copy)]
struct Choice {
    people: RwSignal<Vec<GrantPerson>>,
    services: RwSignal<Vec<ServiceOption>>,
    up_to: RwSignal<bool>,
    up_to_level: RwSignal<String>,
    term: RwSignal<String>,
    start: RwSignal<String>,
}

impl Choice {
    fn new() -> Self {
        Choice {
            people: RwSignal::new(Vec::new()),
            services: RwSignal::new(Vec::new()),
            up_to: RwSignal::new(false),
            up_to_level: RwSignal::new("EH2".to_string()),
            term: RwSignal::new("3".to_string()),
            start: RwSignal::new(String::new()),
        }
    }

    fn request(&self) -> GrantRequest {
        let up_to = self.up_to.get();
        GrantRequest {
            means_ids: self.people.with(|p| p.iter().map(|p| p.means_id.clone()).collect()),
            services: if up_to {
                Vec::new()
            } else {
                self.services.with(|s| s.iter().map(|s| s.id.clone()).collect())
            },
            up_to_level: if up_to { self.up_to_level.get() } else { String::new() },
            term: self.term.get(),
            start: self.start.get(),
        }
    }

    fn summary(&self) -> String {
        let up_to = self.up_to.get().then(|| self.up_to_level.get());
        summary(
            self.people.with(|p| p.len()),
            self.services.with(|s| s.len()),
            up_to.as_deref(),
        )
    }
}

/// "Gekozen: 1 persoon, 2 diensten." — or all services up to a level.
fn summary(people: usize, services: usize, up_to: Option<&str>) -> String {
    let count = |n: usize, one: &str, more: &str| format!("{n} {}", if n == 1 { one } else { more });
    let what = match up_to {
        Some(level) => format!("alle diensten t/m {level}"),
        None => count(services, "dienst", "diensten"),
    };
    format!("Gekozen: {}, {what}.", count(people, "persoon", "personen"))
}

/// Adds `item` when nothing with its key is chosen yet, else takes that out.
fn toggle<T, K: PartialEq>(list: &mut Vec<T>, item: T, key: impl Fn(&T) -> &K) {
    match list.iter().position(|x| key(x) == key(&item)) {
        Some(i) => {
            list.remove(i);
        }
        None => list.push(item),
    }
}

#[component]
pub fn GrantForm(on_done: impl Fn() + Send + Sync + Copy + 'static) -> impl IntoView {
    let person_q = RwSignal::new(String::new());
    let service_q = RwSignal::new(String::new());
    let choices = Resource::new(move || (person_q.get(), service_q.get()), |(p, s)| grant_choices(p, s));
    let choice = Choice::new();
    let manager = RwSignal::new(AssuranceLevel::Eh2);
    let submit = Action::new(|r: &GrantRequest| {
        let r = r.clone();
        async move { grant_authorisations(r).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = submit.value().get() {
            on_done();
        }
    });
    let warn = Memo::new(move |_| {
        let level = choice
            .up_to
            .get()
            .then(|| AssuranceLevel::parse(&choice.up_to_level.get()).ok())
            .flatten();
        choice
            .people
            .with(|p| choice.services.with(|s| warnings(p, s, level, manager.get())))
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.dispatch(choice.request());
    };
    view! {
        <section class="card" aria-labelledby="verlenen-titel">
            <h2 id="verlenen-titel">"Machtigingen verlenen"</h2>
            <form on:submit=on_submit novalidate>
                <Suspense fallback=|| view! { <p>"Laden…"</p> }>
                    {move || Suspend::new(async move {
                        let c = match choices.await {
                            Ok(c) => c,
                            Err(e) => return view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                        };
                        if let Ok(l) = AssuranceLevel::parse(&c.manager_level) { manager.set(l); }
                        if choice.start.get_untracked().is_empty() { choice.start.set(c.today_iso.clone()); }
                        view! {
                            <div class="grant-grid">
                                <PeopleChoice people=c.people query=person_q choice=choice />
                                <ServicesChoice services=c.services query=service_q choice=choice />
                            </div>
                        }.into_any()
                    })}
                </Suspense>
                <div class="field">
                    <label for="grant-term">"Looptijd"</label>
                    <select id="grant-term" on:change=move |ev| choice.term.set(event_target_value(&ev))>
                        <option value="1">"1 jaar"</option>
                        <option value="3" selected>"3 jaar"</option>
                        <option value="5">"5 jaar"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="grant-start">"Ingangsdatum"</label>
                    <input id="grant-start" type="date" prop:value=move || choice.start.get() on:input=move |ev| choice.start.set(event_target_value(&ev)) />
                </div>
                <p class="hint">{move || choice.summary()}</p>
                <Show when=move || !warn.with(|w| w.is_empty())>
                    <div class="alert alert--error" role="alert" data-testid="grant-warnings">
                        <p>"Dit kan niet worden verleend:"</p>
                        <ul>{move || warn.get().into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                    </div>
                </Show>
                {move || submit.value().get().map(reply_view)}
                <div class="actions">
                    <button type="submit" class="button" disabled=move || submit.pending().get()>"Machtigingen verlenen"</button>
                </div>
            </form>
        </section>
    }
}

/// The people to grant to: a search and a checkbox per person with an active means.
#[component]
fn PeopleChoice(people: Vec<GrantPerson>, query: RwSignal<String>, choice: Choice) -> impl IntoView {
    view! {
        <fieldset class="field">
            <legend>"Personen"</legend>
            <label for="grant-person-q">"Zoek een persoon"</label>
            <input id="grant-person-q" type="search" prop:value=move || query.get()
                on:change=move |ev| query.set(event_target_value(&ev)) />
            <ul class="choice-list" data-testid="grant-people">
                {people.into_iter().map(|p| {
                    let id = format!("gp-{}", p.means_id);
                    let (pc, key) = (p.clone(), p.means_id.clone());
                    view! { <li><input type="checkbox" id=id.clone()
                        prop:checked=move || choice.people.with(|ps| ps.iter().any(|x| x.means_id == key))
                        on:change=move |_| choice.people.update(|ps| toggle(ps, pc.clone(), |p| &p.means_id)) />
                        <label for=id>{format!("{} — {} ({})", p.name, p.email, p.level)}</label></li> }
                }).collect_view()}
            </ul>
        </fieldset>
    }
}

/// The services: each from the catalogue, or all services up to a level.
#[component]
fn ServicesChoice(services: Vec<ServiceOption>, query: RwSignal<String>, choice: Choice) -> impl IntoView {
    let up_to = choice.up_to;
    view! {
        <fieldset class="field">
            <legend>"Diensten"</legend>
            <label><input type="checkbox" prop:checked=move || up_to.get() on:change=move |ev| up_to.set(event_target_checked(&ev)) />
                " Alle diensten tot en met een niveau"</label>
            <Show when=move || up_to.get()>
                <label for="grant-up-to">"Niveau"</label>
                <select id="grant-up-to" on:change=move |ev| choice.up_to_level.set(event_target_value(&ev))>
                    {AssuranceLevel::ALL.iter().map(|l| view! { <option value=l.as_str() selected=move || choice.up_to_level.get() == l.as_str()>{l.as_str()}</option> }).collect_view()}
                </select>
            </Show>
            <label for="grant-service-q">"Zoek een dienst op naam of dienstverlener"</label>
            <input id="grant-service-q" type="search" prop:value=move || query.get()
                on:change=move |ev| query.set(event_target_value(&ev)) />
            <ul class="choice-list" data-testid="grant-services">
                {services.into_iter().map(|s| {
                    let id = format!("gs-{}", s.id);
                    let (sc, key) = (s.clone(), s.id.clone());
                    view! { <li><input type="checkbox" id=id.clone() disabled=move || up_to.get()
                        prop:checked=move || choice.services.with(|ss| ss.iter().any(|x| x.id == key))
                        on:change=move |_| choice.services.update(|ss| toggle(ss, sc.clone(), |s| &s.id)) />
                        <label for=id>{format!("{} ({}) — {}", s.name, s.provider, s.level)}</label></li> }
                }).collect_view()}
            </ul>
        </fieldset>
    }
}

fn reply_view(r: Result<GrantReply, AppError>) -> AnyView {
    match r {
        Err(e) => view! {
            <div class="alert alert--error" role="alert" data-testid="grant-error">
                <p>"Er is niets verleend:"</p>
                <ul>{e.to_string().lines().map(|l| view! { <li>{l.to_string()}</li> }).collect_view()}</ul>
            </div>
        }.into_any(),
        Ok(o) => view! {
            <div class="alert alert--success" role="status" data-testid="grant-outcome">
                <p>{match o.granted { 0 => "Er is niets veranderd.".to_string(), 1 => "1 machtiging verleend.".to_string(), n => format!("{n} machtigingen verleend.") }}</p>
                {(!o.already.is_empty()).then(|| view! { <p>{format!("Bestond al (niets veranderd): {}", o.already.join("; "))}</p> })}
            </div>
        }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, level: &str) -> GrantPerson {
        GrantPerson {
            means_id: name.into(),
            name: name.into(),
            email: String::new(),
            level: level.into(),
        }
    }

    #[test]
    fn warns_per_person_with_the_servers_words() {
        let s = ServiceOption {
            id: "rvo-mijn-rvo".into(),
            name: "Mijn RVO".into(),
            provider: "RVO".into(),
            level: "EH2+".into(),
        };
        let w = warnings(
            &[person("Jan", "EH2+"), person("Piet", "EH2")],
            &[s],
            None,
            AssuranceLevel::Eh3,
        );
        assert_eq!(
            w,
            vec!["Piet — Mijn RVO (RVO): Het middel (EH2) is te zwak voor deze dienst (vereist EH2+).".to_string()]
        );
        let w = warnings(
            &[person("Jan", "EH4")],
            &[],
            Some(AssuranceLevel::Eh4),
            AssuranceLevel::Eh3,
        );
        assert_eq!(
            w,
            vec![
                "Jan — alle diensten t/m EH4: U kunt machtigen tot en met uw eigen niveau (EH3); EH4 is te hoog."
                    .to_string()
            ]
        );
    }

    #[test]
    fn the_summary_counts_in_proper_dutch() {
        assert_eq!(summary(1, 1, None), "Gekozen: 1 persoon, 1 dienst.");
        assert_eq!(summary(3, 2, None), "Gekozen: 3 personen, 2 diensten.");
        assert_eq!(summary(0, 0, None), "Gekozen: 0 personen, 0 diensten.");
        assert_eq!(summary(1, 4, Some("EH3")), "Gekozen: 1 persoon, alle diensten t/m EH3.");
    }
}
