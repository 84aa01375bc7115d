//! The formats worker (`formats/`): Spoor's importers for every format but OTLP, and the seed
//! formats' joins, in a module of their own. The page's module reads OTLP only; a file in any
//! other format is handed to the worker, started the first time one is opened, and what it
//! read comes back as bytes (`ingest::handoff`). Visits that open only OTLP files (or a link)
//! never download it, and big Jaeger or Langfuse files are read off the page's thread.

use super::dom::{copy_in_pieces, describe};
use js_sys::{Array, Promise, Uint8Array};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// The worker's bootstrap, beside the page (`public/formats-worker.js`).
const SCRIPT: &str = "./formats-worker.js";

thread_local! {
    /// The running worker, which holds every file it read since the page's workspace was
    /// last replaced.
    static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
}

/// Reads `files` (their bytes) and `handed` (browser files the page did not read) in the worker;
/// `base` is the page's next file id. The answer is for `handoff::apply_batch`. On any failure
/// the worker is stopped (the next batch starts a new one) and the error says what went wrong.
pub async fn read(
    base: usize,
    files: &[(String, Vec<u8>)],
    handed: &[web_sys::File],
) -> Result<Vec<u8>, String> {
    let worker = started().await?;
    let names = Array::new();
    let bytes = Array::new();
    let transfer = Array::new();
    for (name, data) in files {
        names.push(&JsValue::from_str(name));
        let copy = Uint8Array::from(data.as_slice());
        transfer.push(&copy.buffer());
        bytes.push(&copy);
    }
    for file in handed {
        // A `File` crosses without its bytes; the worker reads them.
        names.push(&JsValue::from_str(&file.name()));
        bytes.push(file);
    }
    let message = Array::of3(&JsValue::from_f64(base as f64), &names, &bytes);
    let answer = next_message(&worker);
    if let Err(e) = worker.post_message_with_transfer(&message, &transfer) {
        return Err(stop(describe(e)));
    }
    match answer.await {
        Ok(data) if data.is_instance_of::<Uint8Array>() => Ok(copy_in_pieces(&data.into()).await),
        Ok(other) => Err(stop(match other.as_string() {
            Some(text) => format!("it answered \"{text}\" instead of bytes"),
            None => "it answered something other than bytes".to_string(),
        })),
        Err(e) => Err(stop(e)),
    }
}

/// Empties the worker's workspace: called when the page's workspace is replaced (Clear, a
/// link), since the worker's files must be the page's. The worker stays: starting one again
/// (fetching and compiling its module) costs about 100 ms.
pub fn reset() {
    if let Some(w) = WORKER.with(|w| w.borrow().clone()) {
        if w.post_message(&JsValue::from_str("reset")).is_err() {
            discard();
        }
    }
}

/// Stops the worker, whose files may no longer be the page's (its answer could not be applied);
/// the next file starts a fresh one.
pub fn discard() {
    let _ = stop(String::new());
}

fn stop(why: String) -> String {
    if let Some(w) = WORKER.with(|w| w.borrow_mut().take()) {
        w.terminate();
    }
    why
}

/// The running worker, or a new one once it says it is ready.
async fn started() -> Result<Worker, String> {
    if let Some(w) = WORKER.with(|w| w.borrow().clone()) {
        return Ok(w);
    }
    let worker = Worker::new(SCRIPT).map_err(describe)?;
    let first = next_message(&worker).await;
    match first {
        Ok(v) if v.as_string().as_deref() == Some("ready") => {
            WORKER.with(|w| *w.borrow_mut() = Some(worker.clone()));
            Ok(worker)
        }
        Ok(v) => {
            worker.terminate();
            Err(v.as_string().unwrap_or_else(|| "it did not start".into()))
        }
        Err(e) => {
            worker.terminate();
            Err(e)
        }
    }
}

/// The worker's next message, or the error it raised (a script that cannot be fetched, a
/// panic while reading).
async fn next_message(worker: &Worker) -> Result<JsValue, String> {
    let promise = Promise::new(&mut |resolve, reject| {
        worker.set_onmessage(Some(&resolve));
        worker.set_onerror(Some(&reject));
    });
    let event = JsFuture::from(promise).await;
    worker.set_onmessage(None);
    worker.set_onerror(None);
    match event {
        Ok(ev) => Ok(ev.unchecked_into::<MessageEvent>().data()),
        Err(ev) => Err(match ev.dyn_ref::<ErrorEvent>() {
            Some(e) if !e.message().is_empty() => e.message(),
            _ => "it stopped with an error".into(),
        }),
    }
}
