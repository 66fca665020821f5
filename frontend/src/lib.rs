//! The browser entry point: hydrates the server-rendered page, then marks `<body>` with
//! `data-hydrated="true"` so that end-to-end tests (and CSS) know the page is interactive.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::routes::App);
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
