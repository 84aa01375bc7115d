//! Small, safe wrappers over web-sys for the few browser facilities the UI needs.

use wasm_bindgen::JsCast;

pub fn window() -> web_sys::Window {
    web_sys::window().expect("Spoor runs in a browser window")
}

pub fn document() -> web_sys::Document {
    window().document().expect("a window has a document")
}

/// The fragment without `#`.
pub fn fragment() -> String {
    let hash = window().location().hash().unwrap_or_default();
    hash.trim_start_matches('#').to_string()
}

/// Writes the fragment: a history entry for navigation, a replacement for continuous changes
/// (zoom, typing) so back/forward move through views, not keystrokes.
pub fn set_fragment(fragment: &str, push: bool) {
    let url = if fragment.is_empty() {
        let loc = window().location();
        format!(
            "{}{}",
            loc.pathname().unwrap_or_default(),
            loc.search().unwrap_or_default()
        )
    } else {
        format!("#{fragment}")
    };
    if let Ok(history) = window().history() {
        let _ = if push {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
        } else {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
        };
    }
}

/// The user's colour-scheme preference.
pub fn prefers_dark() -> bool {
    window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// Scrolls an element (by id) into view if it exists.
pub fn focus_by_id(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// Offers text as a file download (exports). Nothing leaves the machine.
pub async fn download(name: &str, mime: &str, texts: &[String]) {
    let parts: Vec<&[u8]> = texts.iter().map(|t| t.as_bytes()).collect();
    let Some(blob) = blob_in_parts(&parts, mime).await else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = document().create_element("a") {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// A blob of these bytes, as they are (a JS string would be decoded from UTF-8 and encoded
/// back). It is built a part at a time, each new blob holding the one before and the next part,
/// with a rest between when the slice is used up: one blob of all 30 parts of a 1M-span CSV
/// (117 MB) held the page for 0.4 s. `None` when the browser refuses (out of memory).
pub async fn blob_in_parts(parts: &[&[u8]], mime: &str) -> Option<web_sys::Blob> {
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let mut slice = TimeSlice::new();
    let mut blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::new(), &opts).ok()?;
    for part in parts {
        slice.pause_if_due().await;
        let both = js_sys::Array::of2(&blob, &js_sys::Uint8Array::from(*part));
        // `new Blob([blob, bytes])`: web-sys names the call after one kind of part.
        blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&both, &opts).ok()?;
    }
    Some(blob)
}

/// Bytes from JS in the page's memory, copied 4 MB at a time with a rest between when due:
/// a million-span run's worth in one copy held the page for 0.4 s.
pub async fn copy_in_pieces(data: &js_sys::Uint8Array) -> Vec<u8> {
    const PIECE: u32 = 4 << 20;
    let len = data.length();
    let mut out = vec![0; len as usize];
    let mut slice = TimeSlice::new();
    let mut at = 0;
    while at < len {
        let end = (at + PIECE).min(len);
        data.subarray(at, end)
            .copy_to(&mut out[at as usize..end as usize]);
        at = end;
        slice.pause_if_due().await;
    }
    out
}

/// What a rejected browser call says, for a message naming what failed.
pub fn describe(e: wasm_bindgen::JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "the browser refused it".into())
}

/// Milliseconds since the page started, for load timings.
pub fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

/// A line in the browser console (load timings, for people profiling their own traces).
pub fn log(msg: &str) {
    web_sys::console::info_1(&wasm_bindgen::JsValue::from_str(msg));
}

/// Lets the browser paint (progress, overlays) before a long synchronous step.
pub async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Hands the main thread back to the browser for one task, so it can paint and answer input
/// between two steps of a long piece of work. A message to self rather than `setTimeout(0)`,
/// which browsers stretch to 4 ms once timeouts nest.
pub async fn yield_now() {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return next_frame().await;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
        let _ = channel
            .port2()
            .post_message(&wasm_bindgen::JsValue::UNDEFINED);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    // `channel` lives to here, so its ports cannot be collected before the message arrives.
    channel.port1().set_onmessage(None);
}

/// Splits long work into slices: [`TimeSlice::pause_if_due`] yields once the work has held
/// the page for [`TimeSlice::MS`], so a click or a paint never waits much longer, and short
/// work pays for no yield at all.
pub struct TimeSlice {
    /// When the slice began; shared with the rest handed out by [`TimeSlice::rest_if_due`], which
    /// starts the next slice when it ends.
    since: std::rc::Rc<std::cell::Cell<f64>>,
    /// When paced work last looked at the clock, and the longest stretch between two looks with
    /// the stage it ended in: what holds the page longest, for the load's log line.
    last_look: std::cell::Cell<f64>,
    longest: std::cell::Cell<(f64, &'static str)>,
}

impl TimeSlice {
    /// Well under the 100 ms after which a page feels frozen, and long enough that the cost of
    /// a yield (a task round trip, sometimes a paint) stays small beside the work.
    pub const MS: f64 = 40.0;

    pub fn new() -> TimeSlice {
        let now = now_ms();
        TimeSlice {
            since: std::rc::Rc::new(std::cell::Cell::new(now)),
            last_look: std::cell::Cell::new(now),
            longest: std::cell::Cell::new((0.0, "")),
        }
    }

    /// Yields if the slice is used up (the caller may update progress first, through
    /// [`TimeSlice::due`]).
    pub async fn pause_if_due(&mut self) {
        if self.due() {
            yield_now().await;
            self.since.set(now_ms());
        }
    }

    /// For paced work in `ingest` and `analysis` ([`crate::pace::Pace`]), which looks every
    /// thousand items or so: a yield to wait on if the slice is used up, which starts the next
    /// slice when it ends.
    pub fn rest_if_due(&self, stage: &'static str) -> Option<crate::pace::Rest> {
        let now = now_ms();
        let gap = now - self.last_look.get().max(self.since.get());
        if gap > self.longest.get().0 {
            self.longest.set((gap, stage));
        }
        self.last_look.set(now);
        if now - self.since.get() < Self::MS {
            return None;
        }
        let since = self.since.clone();
        Some(Box::pin(async move {
            yield_now().await;
            since.set(now_ms());
        }))
    }

    /// The longest stretch of paced work between two looks at the clock, in ms, and the stage
    /// it ended in: "analysis held the page 60 ms at most, in anomalies".
    pub fn longest_stretch(&self) -> (f64, &'static str) {
        self.longest.get()
    }

    /// The slice is used up: the next [`TimeSlice::pause_if_due`] will yield.
    pub fn due(&self) -> bool {
        now_ms() - self.since.get() >= Self::MS
    }
}

/// GETs a URL (absolute, or relative to the page) as bytes, with a message a user can act on
/// when it fails.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    body_of(start_fetch(url)).await
}

/// [`fetch_bytes`] for several URLs at once: every request is sent before the first answer is
/// awaited, so they take one round trip rather than one each.
pub async fn fetch_all(urls: &[String]) -> Vec<Result<Vec<u8>, String>> {
    let started: Vec<_> = urls.iter().map(|u| start_fetch(u)).collect();
    let mut out = Vec::with_capacity(started.len());
    for request in started {
        out.push(body_of(request).await);
    }
    out
}

fn start_fetch(url: &str) -> Result<js_sys::Promise, String> {
    let opts = web_sys::RequestInit::new();
    opts.set_mode(web_sys::RequestMode::Cors);
    let req = web_sys::Request::new_with_str_and_init(url, &opts)
        .map_err(|_| "that is not a valid URL".to_string())?;
    Ok(window().fetch_with_request(&req))
}

async fn body_of(request: Result<js_sys::Promise, String>) -> Result<Vec<u8>, String> {
    let resp = wasm_bindgen_futures::JsFuture::from(request?)
        .await
        .map_err(|_| "the host refused the request or does not allow cross-origin reads (CORS); download the file and drop it on the page instead".to_string())?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| "no response".to_string())?;
    if !resp.ok() {
        return Err(format!("the host answered HTTP {}", resp.status()));
    }
    let buf = resp
        .array_buffer()
        .map_err(|_| "could not read the response".to_string())?;
    let buf = wasm_bindgen_futures::JsFuture::from(buf)
        .await
        .map_err(|_| "could not read the response".to_string())?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// Reads a user's file as bytes (not as one JS string: Chrome caps strings near 512 MB).
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buf = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| format!("the browser could not read it ({})", describe(e)))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// Reads bytes `start..end` of a user's file: big files are read a piece at a time, so the whole
/// file never sits in the tab's memory and the page can repaint between pieces.
pub async fn read_slice(file: &web_sys::File, start: f64, end: f64) -> Result<Vec<u8>, String> {
    let blob = file
        .slice_with_f64_and_f64(start, end)
        .map_err(|e| format!("the browser could not read it ({})", describe(e)))?;
    let buf = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .map_err(|e| format!("the browser could not read it ({})", describe(e)))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// Publishes the wasm memory size on `<body data-wasm-bytes>` so the browser benchmark can
/// report JS heap plus WASM memory without a debugger.
pub fn publish_wasm_bytes() {
    let mem: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let bytes = js_sys::ArrayBuffer::from(mem.buffer()).byte_length();
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-wasm-bytes", &bytes.to_string());
    }
}
