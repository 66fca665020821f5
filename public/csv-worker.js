// CSV validation off the main thread (PRODUCT.md flow 3: "validated in the browser (WASM)",
// and the page must never freeze). A module worker: the page creates it with
// `new Worker('/csv-worker.js', { type: 'module' })` and reuses it for every file.
//
// It loads the same WASM bundle as the page, but only calls `validate_csv`: initialising
// the bundle runs no hydration (the page calls `hydrate()` explicitly; nothing here does).
//
// Request:  { id, bytes: ArrayBuffer (transfer it), context: object | JSON string,
//             maxRows: number, format?: 'object' | 'packed' }
// Answer:   { id, summary, ms, bytes }  format 'object' (default): the Summary, parsed
//           { id, packed, ms, bytes }   format 'packed': an ArrayBuffer with the Summary as
//                                       app::upload::browser::pack_summary writes it (what
//                                       the page uses: decoding it is copying, not parsing)
//           { id, error: string }       the bundle failed to load, or validation threw
// `ms` is the validation time measured here with performance.now(): the copy into WASM
// memory, validation, and encoding the summary. `bytes` is the same ArrayBuffer,
// transferred back, so the page keeps the file's content without a copy.
import init, { validate_csv, validate_csv_packed } from '/pkg/beheermodule.js';

let ready = null;

function loadBundle() {
  if (ready === null) {
    ready = init({ module_or_path: '/pkg/beheermodule.wasm' }).catch((err) => {
      ready = null; // let the next message try again
      throw err;
    });
  }
  return ready;
}

function describe(err) {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

self.onmessage = async (event) => {
  const { id, bytes, context, maxRows, format } = event.data ?? {};
  try {
    await loadBundle();
    if (!(bytes instanceof ArrayBuffer)) throw new TypeError('bytes must be an ArrayBuffer');
    const contextJson = typeof context === 'string' ? context : JSON.stringify(context ?? {});
    const view = new Uint8Array(bytes);
    const started = performance.now();
    if (format === 'packed') {
      const packed = validate_csv_packed(view, contextJson, maxRows ?? 50000).buffer;
      const ms = performance.now() - started;
      self.postMessage({ id, packed, ms, bytes }, [bytes, packed]);
    } else {
      const json = validate_csv(view, contextJson, maxRows ?? 50000);
      const ms = performance.now() - started;
      self.postMessage({ id, summary: JSON.parse(json), ms, bytes }, [bytes]);
    }
  } catch (err) {
    self.postMessage({ id, error: describe(err) });
  }
};
