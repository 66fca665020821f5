use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Niet gevonden" />
        <section class="card card--narrow">
            <h1>"Pagina niet gevonden"</h1>
            <p>"Deze pagina bestaat niet (meer). " <a href="/">"Naar de startpagina"</a></p>
        </section>
    }
}
