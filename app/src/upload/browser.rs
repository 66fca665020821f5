//! The browser side of CSV validation: the file is read and handed to a Web Worker
//! (`/csv-worker.js`, the same WASM bundle) that runs the validator, so the page never
//! freezes (issue 3: no main-thread task over 200 ms with a 50,000-row file).
//!
//! Owns the one lazily created module worker of the page and the request/answer matching
//! by id. Invariants: a file over [`MAX_BYTES`] is refused before it is read; the file's
//! bytes cross to the worker and back by transfer, never by copy; the main thread does
//! only linear copies (bytes into WASM memory, UTF-8 check) and decodes the summary —
//! no per-row parsing: the summary crosses as a packed binary ([`pack_summary`]), because
//! JSON with 250,000 errors took a second to decode on the main thread.
//! Also owns [`download`], for the error report and the template.

use super::report::dutch_number;
use super::{Context, RowError, Summary, MAX_BYTES, MAX_ROWS};
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

/// "Het bestand is 12,3 MB; het maximum is 10 MB." (MB here are MiB, as the limit is.)
/// Rounded to a tenth, but never down to the limit: 10 MiB + 1 byte reads "10,1 MB".
fn too_large_message(size: f64) -> String {
    const MIB: u64 = 1024 * 1024;
    let limit_tenths = MAX_BYTES as u64 * 10 / MIB;
    let tenths = ((size.max(0.0) as u64).saturating_mul(10) + MIB / 2) / MIB;
    let tenths = tenths.max(limit_tenths + 1);
    let max = if limit_tenths.is_multiple_of(10) {
        dutch_number((limit_tenths / 10) as usize)
    } else {
        format!("{},{}", limit_tenths / 10, limit_tenths % 10)
    };
    format!(
        "Het bestand is {},{} MB; het maximum is {max} MB.",
        dutch_number((tenths / 10) as usize),
        tenths % 10
    )
}

fn utf8_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}

/// Marks the packed format; the number changes with the layout.
const PACKED_MAGIC: &[u8; 4] = b"CSV1";

/// The [`Summary`] in the binary form the worker sends (`validate_csv_packed`): decoding it
/// is copying, not parsing. All numbers are little-endian `u32`:
/// `"CSV1"`, rows, new, present, invalid, file_error (a string index, or `u32::MAX` for
/// none), the string count, each string as its byte length and UTF-8 bytes, the error count,
/// and each error as row, column (string index), message (string index). Every distinct
/// column and message is stored once (most errors repeat a handful of texts).
pub fn pack_summary(summary: &Summary) -> Vec<u8> {
    let mut strings = Strings::default();
    let file_error = summary.file_error.as_deref().map_or(u32::MAX, |e| strings.index(e));
    let errors: Vec<[u32; 3]> = summary
        .errors
        .iter()
        .map(|e| [to_u32(e.row), strings.index(&e.column), strings.index(&e.message)])
        .collect();
    let strings = strings.list;

    let text: usize = strings.iter().map(|s| s.len() + 4).sum();
    let mut out = Vec::with_capacity(36 + text + errors.len() * 12);
    out.extend_from_slice(PACKED_MAGIC);
    let counts = [summary.rows, summary.new, summary.present, summary.invalid];
    for n in counts {
        out.extend_from_slice(&to_u32(n).to_le_bytes());
    }
    out.extend_from_slice(&file_error.to_le_bytes());
    out.extend_from_slice(&to_u32(strings.len()).to_le_bytes());
    for s in &strings {
        out.extend_from_slice(&to_u32(s.len()).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    out.extend_from_slice(&to_u32(errors.len()).to_le_bytes());
    for e in errors.iter().flatten() {
        out.extend_from_slice(&e.to_le_bytes());
    }
    out
}

/// Reads what [`pack_summary`] wrote; `None` for anything else.
pub fn unpack_summary(bytes: &[u8]) -> Option<Summary> {
    let mut r = Reader(bytes);
    if r.take(4)? != PACKED_MAGIC {
        return None;
    }
    let [rows, new, present, invalid] = [r.usize()?, r.usize()?, r.usize()?, r.usize()?];
    let file_error = r.u32()?;
    let count = r.usize()?;
    let mut strings = Vec::with_capacity(count.min(bytes.len() / 4));
    for _ in 0..count {
        let len = r.usize()?;
        strings.push(std::str::from_utf8(r.take(len)?).ok()?.to_owned());
    }
    let string = |i: u32| strings.get(i as usize).cloned();
    let count = r.usize()?;
    let mut errors = Vec::with_capacity(count.min(bytes.len() / 12));
    for _ in 0..count {
        let (row, column, message) = (r.usize()?, r.u32()?, r.u32()?);
        errors.push(RowError {
            row,
            column: string(column)?,
            message: string(message)?,
        });
    }
    let file_error = if file_error == u32::MAX {
        None
    } else {
        Some(string(file_error)?)
    };
    r.0.is_empty().then_some(Summary {
        rows,
        new,
        present,
        invalid,
        errors,
        file_error,
    })
}

/// Distinct strings in order of first use.
#[derive(Default)]
struct Strings<'a> {
    list: Vec<&'a str>,
    index: HashMap<&'a str, u32>,
}

impl<'a> Strings<'a> {
    fn index(&mut self, s: &'a str) -> u32 {
        *self.index.entry(s).or_insert_with(|| {
            self.list.push(s);
            to_u32(self.list.len() - 1)
        })
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn usize(&mut self) -> Option<usize> {
        self.u32().map(|n| n as usize)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_large_names_both_sizes_in_dutch() {
        assert_eq!(
            too_large_message(12_897_485.0),
            "Het bestand is 12,3 MB; het maximum is 10 MB."
        );
        assert_eq!(
            too_large_message(2_147_483_648.0),
            "Het bestand is 2.048,0 MB; het maximum is 10 MB."
        );
    }

    #[test]
    fn just_over_the_limit_never_reads_as_the_limit() {
        let size = MAX_BYTES as f64 + 1.0;
        assert_eq!(too_large_message(size), "Het bestand is 10,1 MB; het maximum is 10 MB.");
    }

    fn error(row: usize, column: &str, message: &str) -> RowError {
        RowError {
            row,
            column: column.into(),
            message: message.into(),
        }
    }

    #[test]
    fn packed_summaries_round_trip() {
        let summary = Summary {
            rows: 70_000,
            new: 3,
            present: 1,
            invalid: 2,
            errors: vec![
                error(1, "dienst", "Onbekende kolom 'dienst'."),
                error(2, "email", "Het e-mailadres mist een @."),
                error(3, "email", "Het e-mailadres mist een @."),
                error(3, "", "Rij 3 heeft 4 velden; de kopregel heeft er 8."),
                error(4, "voornamen", "Zoë ‘t — emoji 🙂"),
            ],
            file_error: None,
        };
        let packed = pack_summary(&summary);
        assert_eq!(unpack_summary(&packed), Some(summary.clone()));
        // Repeated texts are stored once.
        assert_eq!(packed.windows(5).filter(|w| w == b"email").count(), 1);

        let failed = Summary {
            errors: Vec::new(),
            file_error: Some("Het bestand is geen UTF-8.".into()),
            ..summary
        };
        assert_eq!(unpack_summary(&pack_summary(&failed)), Some(failed));
    }

    #[test]
    fn damaged_packed_summaries_are_refused() {
        let packed = pack_summary(&Summary {
            rows: 1,
            new: 0,
            present: 0,
            invalid: 1,
            errors: vec![error(2, "email", "Ongeldig.")],
            file_error: None,
        });
        for len in 0..packed.len() {
            assert_eq!(unpack_summary(&packed[..len]), None, "truncated to {len} bytes");
        }
        let mut longer = packed.clone();
        longer.push(0);
        assert_eq!(unpack_summary(&longer), None);
        let mut bad_index = packed.clone();
        let at = bad_index.len() - 4;
        bad_index[at..].copy_from_slice(&7u32.to_le_bytes());
        assert_eq!(unpack_summary(&bad_index), None);
        assert_eq!(unpack_summary(b"JSON{}"), None);
    }

    #[test]
    fn invalid_utf8_is_replaced_not_dropped() {
        assert_eq!(utf8_text(b"a\xffb".to_vec()), "a\u{fffd}b");
        assert_eq!(utf8_text("één".as_bytes().to_vec()), "één");
    }
}
