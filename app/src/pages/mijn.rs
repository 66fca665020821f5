//! `/mijn`: a person's own means and authorisations.

use crate::api::me::my_means;
use leptos::prelude::*;
use leptos_meta::Title;

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
    }
}
