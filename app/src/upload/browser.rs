//! The browser side of CSV validation: the file is read and handed to a Web Worker
//! (`/csv-worker.js`, the same WASM bundle) that runs the validator, so the page never
//! freezes (issue 3: no main-thread task over 200 ms with a 50,000-row file).
//!
//! Owns the one lazily created module worker of the page and the request/answer matching
//! by id. Invariants: a file over [`MAX_BYTES`] is refused before it is read; the file's
//! bytes cross to the worker and back by transfer, never by copy; the main thread does
//! only linear copies (bytes into WASM memory, UTF-8 check) and decodes the summary —
//! no per-row parsing: the summary crosses as a packed binary
//! ([`super::transfer::pack_summary`]), because JSON with 250,000 errors took a second to
//! decode on the main thread.
//! Also owns [`download`], for the error report and the template.

use super::transfer::{too_large_message, unpack_summary, utf8_text};
use super::{Context, Summary, MAX_BYTES, MAX_ROWS};
use js_sys::{Array, ArrayBuffer, Function, Object, Promise, Reflect, Uint8Array};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Event, MessageEvent, Worker, WorkerOptions, WorkerType};

/// The worker script in `public/`, served from the site root.
const WORKER_URL: &str = "/csv-worker.js";

/// A file validated in the worker.
#[derive(Debug, Clone)]
pub struct Validated {
    pub summary: Summary,
    /// Validation time inside the worker (copy into WASM memory, validation, packing the summary).
    pub worker_ms: f64,
    /// The file's content as text, for sending to the server after confirmation (the
    /// server validates it again). Invalid UTF-8 is replaced by U+FFFD; the summary's
    /// `file_error` already says so.
    pub text: String,
}

/// Reads `file`, validates it in the worker against `ctx` and returns the summary.
/// `Err` carries a Dutch message for the manager (too large, unreadable, worker failed).
pub async fn validate_in_worker(file: web_sys::File, ctx: &Context) -> Result<Validated, String> {
    let size = file.size();
    if size > MAX_BYTES as f64 {
        return Err(too_large_message(size));
    }
    let context_json = serde_json::to_string(ctx).map_err(|_| "De controle kon niet worden voorbereid.".to_string())?;
    let bytes: ArrayBuffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "Het bestand kon niet worden gelezen. Kies het opnieuw.".to_string())?
        .unchecked_into();

    let answer = with_worker(|w| w.request(bytes, &context_json))?.await.map_err(|err| {
        let detail = err.as_string().unwrap_or_default();
        leptos::logging::warn!("csv worker: {detail}");
        "De controle van het bestand is mislukt. Probeer het opnieuw of vernieuw de pagina.".to_string()
    })?;

    let field = |name: &str| Reflect::get(&answer, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    if let Some(error) = field("error").as_string() {
        leptos::logging::warn!("csv worker: {error}");
        return Err("De controle van het bestand is mislukt. Probeer het opnieuw of vernieuw de pagina.".into());
    }
    let summary = field("packed")
        .dyn_into::<ArrayBuffer>()
        .ok()
        .and_then(|packed| unpack_summary(&Uint8Array::new(&packed).to_vec()))
        .ok_or_else(|| "De controle gaf een onleesbaar antwoord. Vernieuw de pagina.".to_string())?;
    let worker_ms = field("ms").as_f64().unwrap_or(f64::NAN);
    let text = match field("bytes").dyn_into::<ArrayBuffer>() {
        Ok(buffer) => utf8_text(Uint8Array::new(&buffer).to_vec()),
        Err(_) => String::new(),
    };
    Ok(Validated {
        summary,
        worker_ms,
        text,
    })
}

/// Offers `content` as a file download named `filename` (a Blob, an object URL and a
/// temporary `<a download>`). Failures are logged; there is nothing to show the user.
pub fn download(filename: &str, mime: &str, content: &str) {
    if let Err(err) = try_download(filename, mime, content) {
        leptos::logging::warn!("download of {filename} failed: {err:?}");
    }
}

fn try_download(filename: &str, mime: &str, content: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let parts = Array::of1(&JsValue::from_str(content));
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(filename);
    anchor.set_attribute("hidden", "")?;
    let body = document.body().ok_or_else(|| JsValue::from_str("no body"))?;
    body.append_child(&anchor)?;
    anchor.click();
    anchor.remove();
    // Revoking at once can cancel the download in some browsers; a minute later cannot.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(window) = web_sys::window() {
        window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000)?;
    }
    Ok(())
}

/// The page's one validation worker, with the answers it still owes.
struct CsvWorker {
    worker: Worker,
    pending: Rc<RefCell<HashMap<u32, (Function, Function)>>>,
    next_id: Cell<u32>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

thread_local! {
    static WORKER: RefCell<Option<CsvWorker>> = const { RefCell::new(None) };
}

/// Runs `f` on the worker, creating it on first use (or after it failed to start).
fn with_worker<T>(f: impl FnOnce(&CsvWorker) -> T) -> Result<T, String> {
    WORKER.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.is_none() {
            *slot = Some(CsvWorker::start().map_err(|err| {
                leptos::logging::warn!("csv worker did not start: {err:?}");
                "Deze browser kan het bestand niet controleren (geen Web Worker).".to_string()
            })?);
        }
        Ok(f(slot.as_ref().expect("just set")))
    })
}

impl CsvWorker {
    fn start() -> Result<CsvWorker, JsValue> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(WORKER_URL, &options)?;
        let pending: Rc<RefCell<HashMap<u32, (Function, Function)>>> = Rc::default();

        let answers = Rc::clone(&pending);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            let id = Reflect::get(&data, &JsValue::from_str("id"))
                .ok()
                .and_then(|id| id.as_f64())
                .map(|id| id as u32);
            let entry = id.and_then(|id| answers.borrow_mut().remove(&id));
            if let Some((resolve, _)) = entry {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));

        // A script that fails to load or throws at top level: fail every open request and
        // let the next request start a fresh worker.
        let failed = Rc::clone(&pending);
        // The event is an ErrorEvent for a thrown script, a plain Event for a failed load.
        let on_error = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            let message = Reflect::get(&event, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_else(|| "the worker script did not load".into());
            let reason = JsValue::from_str(&format!("worker error: {message}"));
            for (_, (_, reject)) in failed.borrow_mut().drain() {
                let _ = reject.call1(&JsValue::NULL, &reason);
            }
            // Dropping the worker inside its own handler would free this closure while it
            // runs; defer that to a fresh task.
            wasm_bindgen_futures::spawn_local(async {
                WORKER.with(|slot| {
                    if let Some(old) = slot.borrow_mut().take() {
                        old.worker.terminate();
                    }
                });
            });
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));

        Ok(CsvWorker {
            worker,
            pending,
            next_id: Cell::new(1),
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Posts one file (transferring `bytes`) and returns the future of the worker's answer.
    fn request(&self, bytes: ArrayBuffer, context_json: &str) -> JsFuture {
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1).max(1));

        let message = Object::new();
        let set = |key: &str, value: &JsValue| {
            let _ = Reflect::set(&message, &JsValue::from_str(key), value);
        };
        set("id", &JsValue::from(id));
        set("bytes", &bytes);
        set("context", &JsValue::from_str(context_json));
        set("maxRows", &JsValue::from(MAX_ROWS as u32));
        set("format", &JsValue::from_str("packed"));

        let pending = Rc::clone(&self.pending);
        let worker = self.worker.clone();
        let promise = Promise::new(&mut |resolve, reject| {
            if let Err(err) = worker.post_message_with_transfer(&message, &Array::of1(&bytes)) {
                let _ = reject.call1(&JsValue::NULL, &err);
                return;
            }
            pending.borrow_mut().insert(id, (resolve, reject));
        });
        JsFuture::from(promise)
    }
}
