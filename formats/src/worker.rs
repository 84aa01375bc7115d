//! The worker's side of the exchange with the page (`web/src/ui/formats.rs`). It says "ready"
//! once it listens; then each message is one batch of files, `[base, names, bytes]` (the page's
//! next file id, the files' names, their bytes as `Uint8Array`s), and each answer is the bytes of
//! `handoff::read_batch`, its buffer transferred rather than copied. A batch's bytes may also be
//! a browser `File` the page did not read (a big file that is not OTLP): the worker reads it. The message "reset" (the
//! page's workspace was replaced) empties the worker's workspace and has no answer.

use spoor::ingest::{handoff, InputFile};
use spoor::model::Workspace;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

thread_local! {
    /// Every file the worker was given since it started: side files join runs read before.
    static SIDE: RefCell<Workspace> = RefCell::new(Workspace::default());
}

/// Listens for batches and tells the page it does.
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        if ev.data().as_string().as_deref() == Some("reset") {
            SIDE.with(|side| *side.borrow_mut() = Workspace::default());
            return;
        }
        let answer = Uint8Array::from(read(ev.data()).as_slice());
        let transfer = js_sys::Array::of1(&answer.buffer());
        let _ = reply_to.post_message_with_transfer(&answer, &transfer);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

use js_sys::Uint8Array;

/// Reads one batch message into the worker's workspace; the answer for the page.
fn read(message: JsValue) -> Vec<u8> {
    let parts: js_sys::Array = message.unchecked_into();
    let base = parts.get(0).as_f64().unwrap_or(0.0) as usize;
    let names: Vec<String> = js_sys::Array::from(&parts.get(1))
        .iter()
        .map(|n| n.as_string().unwrap_or_default())
        .collect();
    let bytes: Vec<Vec<u8>> = js_sys::Array::from(&parts.get(2))
        .iter()
        .map(|b| match b.dyn_ref::<web_sys::Blob>() {
            // A file the page handed over unread. Unreadable (gone from disk, say), it reads as
            // empty, and the file is reported as empty.
            Some(file) => web_sys::FileReaderSync::new()
                .and_then(|r| r.read_as_array_buffer(file))
                .map(|buf| Uint8Array::new(&buf).to_vec())
                .unwrap_or_default(),
            None => Uint8Array::new(&b).to_vec(),
        })
        .collect();
    let files: Vec<InputFile> = (names.iter().zip(&bytes))
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    SIDE.with(|side| handoff::read_batch(&mut side.borrow_mut(), base, &files))
}
