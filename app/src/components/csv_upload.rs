//! Requesting means from a CSV file. The file is validated in a Web Worker by the shared
//! validator (the page never freezes); every error is shown at once — paged — and can be
//! downloaded; nothing is sent until the manager confirms. Then the file goes to the server
//! in chunks and is committed as one batch, which the server validates again.

use crate::api::upload::{upload_context, UploadOutcome};
use crate::error::AppError;
use crate::upload::{RowError, Summary, COLUMNS};
use leptos::prelude::*;

/// Errors shown per page of the error list.
const ERRORS_PER_PAGE: usize = 50;
/// Bytes of text per chunk sent to the server.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const CHUNK_BYTES: usize = 1024 * 1024;

/// Only the browser moves past `Idle`.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Debug, PartialEq)]
enum Phase {
    Idle,
    Checking(String),
    Checked { name: String, summary: Summary, ms: f64 },
    Sending { done: usize, of: usize },
    Sent(UploadOutcome),
    Failed(String),
}

#[component]
pub fn CsvUpload(on_done: impl Fn() + Send + Sync + Copy + 'static) -> impl IntoView {
    let phase = RwSignal::new(Phase::Idle);
    let text = StoredValue::new(String::new());
    let context = Resource::new(|| (), |_| upload_context());
    let error_page = RwSignal::new(0usize);
    let dragging = RwSignal::new(false);

    let check = move |file: FileHandle| {
        error_page.set(0);
        start_check(file, context, phase, text);
    };
    let send = move |_| start_send(phase, text, context, on_done);

    view! {
        <section class="card" aria-labelledby="csv-titel">
            <h2 id="csv-titel">"Middelen aanvragen uit een bestand (CSV)"</h2>
            <p class="hint">
                "Tot 50.000 rijen en 10 MB. Het bestand wordt eerst in uw browser gecontroleerd; er wordt niets verstuurd voordat u bevestigt. "
                <button type="button" class="button--inline" on:click=move |_| download_template()>"Download het sjabloon"</button>
            </p>
            <details class="columns">
                <summary>"Welke kolommen?"</summary>
                <ul>
                    {COLUMNS.iter().map(|c| view! {
                        <li><code>{c.name}</code>{if c.required { "" } else { " (optioneel)" }}": " {c.description}</li>
                    }).collect_view()}
                </ul>
            </details>
            <div
                class="dropzone"
                class:dropzone--over=move || dragging.get()
                on:dragover=move |ev| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=move |ev| {
                    ev.prevent_default();
                    dragging.set(false);
                    if let Some(f) = dropped_file(&ev) { check(f) }
                }
            >
                <label for="csv-bestand">"CSV-bestand"</label>
                <input id="csv-bestand" type="file" accept=".csv,text/csv"
                    on:change=move |ev| { if let Some(f) = chosen_file(&ev) { check(f) } } />
                <span class="hint">"of sleep het bestand hierheen"</span>
            </div>
            {move || match phase.get() {
                Phase::Idle => ().into_any(),
                Phase::Checking(name) => view! { <p role="status" class="alert alert--info">{format!("{name} wordt gecontroleerd…")}</p> }.into_any(),
                Phase::Failed(msg) => view! { <p role="alert" class="alert alert--error">{msg}</p> }.into_any(),
                Phase::Sending { done, of } => view! { <p role="status" class="alert alert--info">{format!("Versturen… deel {done} van {of}")}</p> }.into_any(),
                Phase::Sent(o) => sent_view(o).into_any(),
                Phase::Checked { name, summary, ms } => view! {
                    <SummaryView name summary ms error_page />
                    <Show when=move || phase.with(|p| matches!(p, Phase::Checked { summary, .. } if summary.is_clean() && summary.new > 0))>
                        <button type="button" class="button" on:click=send>
                            {move || phase.with(|p| match p { Phase::Checked { summary, .. } => format!("Verstuur {} aanvragen", summary.new), _ => String::new() })}
                        </button>
                    </Show>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn SummaryView(name: String, summary: Summary, ms: f64, error_page: RwSignal<usize>) -> impl IntoView {
    let Summary {
        rows,
        new,
        present,
        invalid,
        errors,
        file_error,
    } = summary;
    let total = errors.len();
    let pages = total.div_ceil(ERRORS_PER_PAGE).max(1);
    let errors = StoredValue::new(errors);
    view! {
        <div class="csv-summary" data-testid="csv-summary" data-new=new data-present=present data-invalid=invalid data-ms=format!("{ms:.0}")>
            <p><strong>{name}</strong>{format!(": {rows} rijen gecontroleerd in {ms:.0} ms.")}</p>
            <ul class="tally">
                <li class="tally__new"><strong>{new}</strong>" nieuw"</li>
                <li class="tally__present"><strong>{present}</strong>" al aanwezig"</li>
                <li class="tally__invalid"><strong>{invalid}</strong>" ongeldig"</li>
            </ul>
            {file_error.map(|e| view! { <p role="alert" class="alert alert--error">{e}</p> })}
            {(total > 0).then(|| view! {
                <div role="alert" class="alert alert--error">
                    {format!("{total} {} gevonden. Verbeter het bestand en kies het opnieuw; er is niets verstuurd.", if total == 1 { "fout" } else { "fouten" })}
                </div>
                <button type="button" class="button button--secondary" on:click=move |_| errors.with_value(|e| download_report(e))>"Download het foutrapport (CSV)"</button>
                <table class="table" data-testid="csv-errors">
                    <thead><tr><th scope="col">"Rij"</th><th scope="col">"Kolom"</th><th scope="col">"Reden"</th></tr></thead>
                    <tbody>
                        {move || errors.with_value(|e| {
                            let p = error_page.get().min(pages - 1);
                            e.iter().skip(p * ERRORS_PER_PAGE).take(ERRORS_PER_PAGE).map(|e| view! {
                                <tr><td>{e.row}</td><td>{e.column.clone()}</td><td>{e.message.clone()}</td></tr>
                            }).collect_view()
                        })}
                    </tbody>
                </table>
                {(pages > 1).then(|| view! {
                    <nav class="pager" aria-label="Fouten bladeren">
                        <button type="button" class="button--inline" disabled=move || error_page.get() == 0 on:click=move |_| error_page.update(|p| *p = p.saturating_sub(1))>"‹ Vorige"</button>
                        <span>{move || format!("Fouten {} van {}", error_page.get() + 1, pages)}</span>
                        <button type="button" class="button--inline" disabled=move || { error_page.get() + 1 >= pages } on:click=move |_| error_page.update(|p| *p = (*p + 1).min(pages - 1))>"Volgende ›"</button>
                    </nav>
                })}
            })}
            {(total == 0 && new == 0 && rows > 0).then(|| view! {
                <p role="status" class="alert alert--info" data-testid="csv-nothing-new">"Iedereen in dit bestand heeft al een middel; er valt niets te versturen."</p>
            })}
        </div>
    }
}

fn sent_view(o: UploadOutcome) -> impl IntoView {
    let text = match (&o.already_uploaded_at, &o.rejected) {
        (Some(at), _) => format!("Dit bestand is al verwerkt op {at}; er is niets nieuws aangemaakt."),
        (_, Some(s)) => format!("De server heeft het bestand geweigerd ({} fouten); er is niets opgeslagen. Kies het opnieuw om de fouten te zien.", s.errors.len()),
        _ => format!("{} aanvragen aangemaakt{}. De activeringsmails zijn onderweg.", o.created,
            if o.present > 0 { format!(", {} al aanwezig", o.present) } else { String::new() }),
    };
    let role = if o.rejected.is_some() { "alert" } else { "status" };
    view! { <p role=role class="alert alert--info" data-testid="csv-sent">{text}</p> }
}

#[cfg(feature = "hydrate")]
type FileHandle = web_sys::File;
#[cfg(not(feature = "hydrate"))]
type FileHandle = ();

#[cfg(feature = "hydrate")]
fn chosen_file(ev: &leptos::ev::Event) -> Option<FileHandle> {
    use wasm_bindgen::JsCast;
    ev.target()?
        .dyn_into::<web_sys::HtmlInputElement>()
        .ok()?
        .files()?
        .get(0)
}
#[cfg(not(feature = "hydrate"))]
fn chosen_file(_: &leptos::ev::Event) -> Option<FileHandle> {
    None
}

#[cfg(feature = "hydrate")]
fn dropped_file(ev: &leptos::ev::DragEvent) -> Option<FileHandle> {
    ev.data_transfer()?.files()?.get(0)
}
#[cfg(not(feature = "hydrate"))]
fn dropped_file(_: &leptos::ev::DragEvent) -> Option<FileHandle> {
    None
}

type Ctx = Resource<Result<crate::upload::Context, AppError>>;

#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn start_check(file: FileHandle, context: Ctx, phase: RwSignal<Phase>, text: StoredValue<String>) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        let name = file.name();
        phase.set(Phase::Checking(name.clone()));
        let ctx = match context.await {
            Ok(c) => c,
            Err(e) => return phase.set(Phase::Failed(e.to_string())),
        };
        match crate::upload::browser::validate_in_worker(file, &ctx).await {
            Ok(v) => {
                text.set_value(v.text);
                phase.set(Phase::Checked {
                    name,
                    summary: v.summary,
                    ms: v.worker_ms,
                });
            }
            Err(msg) => phase.set(Phase::Failed(msg)),
        }
    });
}

#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn start_send(phase: RwSignal<Phase>, text: StoredValue<String>, context: Ctx, on_done: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        use crate::api::upload::{upload_chunk, upload_commit, upload_start};
        let body = text.get_value();
        let parts = split_chunks(&body, CHUNK_BYTES);
        phase.set(Phase::Sending {
            done: 0,
            of: parts.len(),
        });
        let result: Result<UploadOutcome, AppError> = async {
            let batch = upload_start(body.len(), parts.len()).await?;
            for (i, part) in parts.iter().enumerate() {
                upload_chunk(batch.clone(), i, part.to_string()).await?;
                phase.set(Phase::Sending {
                    done: i + 1,
                    of: parts.len(),
                });
            }
            upload_commit(batch).await
        }
        .await;
        match result {
            Ok(o) => {
                context.refetch();
                phase.set(Phase::Sent(o));
                on_done();
            }
            Err(e) => phase.set(Phase::Failed(format!("Versturen mislukt: {e} Er is niets opgeslagen."))),
        }
    });
}

/// Splits `text` into pieces of at most `max` bytes, on character boundaries.
pub fn split_chunks(text: &str, max: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = rest.len().min(max);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

fn download_template() {
    #[cfg(feature = "hydrate")]
    crate::upload::browser::download(
        "sjabloon-middelen.csv",
        "text/csv;charset=utf-8",
        &crate::upload::template_csv(),
    );
}

#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn download_report(errors: &[RowError]) {
    #[cfg(feature = "hydrate")]
    crate::upload::browser::download(
        "foutrapport.csv",
        "text/csv;charset=utf-8",
        &crate::upload::error_report_csv(errors),
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn chunks_split_on_character_boundaries() {
        let text = "aé".repeat(1000);
        let parts = super::split_chunks(&text, 7);
        assert!(parts.iter().all(|p| p.len() <= 7 && !p.is_empty()));
        assert_eq!(parts.concat(), text);
        assert!(super::split_chunks("", 7).is_empty());
    }
}
