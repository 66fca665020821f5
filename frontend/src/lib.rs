//! The browser entry points. `hydrate` hydrates the server-rendered page, then marks
//! `<body>` with `data-hydrated="true"` so that end-to-end tests (and CSS) know the page is
//! interactive. `validate_csv` is what the CSV worker (`public/csv-worker.js`) calls; the
//! worker loads this same bundle but never calls `hydrate`, and initialising the bundle
//! runs no code of ours, so nothing is hydrated there. The validation itself, and its tests,
//! live in `app::upload::transfer`.
// The page types are deep (Leptos views are nested generic types); monomorphising
// `hydrate_body(App)` here needs more than the default 128.
#![recursion_limit = "512"]

use app::upload::transfer;
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::routes::App);
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// Validates a CSV upload and returns the [`app::upload::Summary`] as JSON (see
/// [`transfer::summarise`]: `context_json` is a serialised `Context`, `max_rows` the row limit).
#[wasm_bindgen]
pub fn validate_csv(bytes: &[u8], context_json: &str, max_rows: usize) -> String {
    console_error_panic_hook::set_once();
    let summary = transfer::summarise(bytes, context_json, max_rows);
    serde_json::to_string(&summary).unwrap_or_else(|_| {
        r#"{"rows":0,"new":0,"present":0,"invalid":0,"errors":[],"file_error":"De controle kon haar uitkomst niet opschrijven."}"#
            .to_string()
    })
}

/// Same as [`validate_csv`], but the summary packed by [`transfer::pack_summary`]: the page
/// decodes that without parsing, which matters with hundreds of thousands of errors.
#[wasm_bindgen]
pub fn validate_csv_packed(bytes: &[u8], context_json: &str, max_rows: usize) -> Vec<u8> {
    console_error_panic_hook::set_once();
    transfer::pack_summary(&transfer::summarise(bytes, context_json, max_rows))
}
