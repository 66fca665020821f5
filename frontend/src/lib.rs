//! The browser entry points. `hydrate` hydrates the server-rendered page, then marks
//! `<body>` with `data-hydrated="true"` so that end-to-end tests (and CSS) know the page is
//! interactive. `validate_csv` is what the CSV worker (`public/csv-worker.js`) calls; the
//! worker loads this same bundle but never calls `hydrate`, and initialising the bundle
//! runs no code of ours, so nothing is hydrated there.
// The page types are deep (Leptos views are nested generic types); monomorphising
// `hydrate_body(App)` here needs more than the default 128.
#![recursion_limit = "512"]

use app::upload::{self, Context, Limits, Summary};
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::routes::App);
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// Validates a CSV upload and returns the [`Summary`] as JSON. `context_json` is a
/// serialised [`Context`]; when it does not parse, the summary carries a `file_error`.
///
/// `max_rows` is the row limit (normally [`upload::MAX_ROWS`]; the benchmark raises it).
/// The byte limit grows with it in proportion, so a raised row limit is not undone by
/// [`upload::MAX_BYTES`]; it never falls below `MAX_BYTES`.
#[wasm_bindgen]
pub fn validate_csv(bytes: &[u8], context_json: &str, max_rows: usize) -> String {
    let summary = summarise(bytes, context_json, max_rows);
    serde_json::to_string(&summary).unwrap_or_else(|_| {
        r#"{"rows":0,"new":0,"present":0,"invalid":0,"errors":[],"file_error":"De controle kon haar uitkomst niet opschrijven."}"#
            .to_string()
    })
}

/// Same as [`validate_csv`], but the summary packed by
/// [`app::upload::browser::pack_summary`]: the page decodes that without parsing, which
/// matters with hundreds of thousands of errors.
#[wasm_bindgen]
pub fn validate_csv_packed(bytes: &[u8], context_json: &str, max_rows: usize) -> Vec<u8> {
    app::upload::browser::pack_summary(&summarise(bytes, context_json, max_rows))
}

fn summarise(bytes: &[u8], context_json: &str, max_rows: usize) -> Summary {
    console_error_panic_hook::set_once();
    match serde_json::from_str::<Context>(context_json) {
        Ok(ctx) => upload::validate_with_limits(bytes, &ctx, limits_for(max_rows)).summary(),
        Err(err) => context_error(&err),
    }
}

fn limits_for(max_rows: usize) -> Limits {
    let scaled = (upload::MAX_BYTES as u128 * max_rows as u128).div_ceil(upload::MAX_ROWS as u128);
    Limits {
        rows: max_rows,
        bytes: usize::try_from(scaled).unwrap_or(usize::MAX).max(upload::MAX_BYTES),
    }
}

fn context_error(err: &serde_json::Error) -> Summary {
    Summary {
        rows: 0,
        new: 0,
        present: 0,
        invalid: 0,
        errors: Vec::new(),
        file_error: Some(format!(
            "De controle kreeg ongeldige gegevens van de pagina ({err}). Vernieuw de pagina."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_limits_are_the_product_limits() {
        let limits = limits_for(upload::MAX_ROWS);
        assert_eq!((limits.rows, limits.bytes), (upload::MAX_ROWS, upload::MAX_BYTES));
    }

    #[test]
    fn a_raised_row_limit_raises_the_byte_limit() {
        let limits = limits_for(2 * upload::MAX_ROWS);
        assert_eq!(limits.bytes, 2 * upload::MAX_BYTES);
        assert_eq!(limits_for(10).bytes, upload::MAX_BYTES);
    }

    #[test]
    fn a_bad_context_answers_with_a_file_error() {
        let json = validate_csv(b"voornamen\n", "{not json", 10);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(value["file_error"]
            .as_str()
            .is_some_and(|m| m.contains("ongeldige gegevens")));
        assert_eq!(value["rows"], 0);
        let packed = app::upload::browser::unpack_summary(&validate_csv_packed(b"", "[]", 10)).unwrap();
        assert!(packed.file_error.is_some_and(|m| m.contains("ongeldige gegevens")));
    }
}
