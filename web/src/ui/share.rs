//! Share links, with no server: the link carries the view and, when it fits, the run itself
//! (redacted by default), compressed into the URL fragment — which browsers never send to any
//! server, GitHub Pages included. Large runs link to where their file is hosted instead
//! (`#src=https://…`, fetched by the teammate's browser).

use super::deflate::BrowserDeflate;
use super::dom;
use super::state::AppState;
use crate::model::{Format, Problem, Severity, SourceFile, Workspace};
use crate::num::Fixed;
use crate::pace::Pace;
use crate::share::{self, LinkReport, RedactOptions};
use leptos::prelude::*;
use std::sync::Arc;

/// Reads `data=` or `src=` from the URL on first load and loads what they carry. Returns
/// whether the link named a run, so the caller knows whether to show the demo.
pub fn load_incoming(state: AppState) -> bool {
    let fragment = dom::fragment();
    if let Some(result) = share::data_from_fragment(&fragment) {
        let mut ws = Workspace::default();
        match result {
            Ok(run) => {
                ws.files.push(SourceFile {
                    name: "shared link".into(),
                    size: fragment.len() as u64,
                    formats: vec![Format::SpoorRun],
                    spans: run.spans.len() as u64,
                    ..Default::default()
                });
                ws.runs.push(run);
                let data = crate::view::state::pairs(&fragment)
                    .into_iter()
                    .find(|(k, _)| k == share::DATA_KEY)
                    .map(|(_, v)| v);
                state.carried_data.set(data);
            }
            Err(e) => ws.problems.push(Problem {
                severity: Severity::Error,
                file: "shared link".into(),
                place: None,
                message: e.to_string(),
            }),
        }
        state.set_loaded(ws);
        return true;
    }
    match state.view.with_untracked(|v| v.src.clone()) {
        Some(src) => {
            super::loader::open_link_src(state, src);
            true
        }
        None => false,
    }
}

/// Fetches a hosted trace file named by `#src=` and opens it in place of what is loaded. Run by
/// the loader's queue (`loader::open_link_src`), so a file dropped meanwhile is added after it.
pub async fn fetch_src(state: AppState, url: String) {
    state.loading.set(Some((format!("Fetching {url}…"), 0.2)));
    let name = url.rsplit('/').next().unwrap_or("linked file").to_string();
    let result = fetch_bytes(&url).await;
    let (files, problems) = match result {
        Ok(bytes) => (vec![(name, bytes)], Vec::new()),
        Err(message) => (
            Vec::new(),
            vec![Problem {
                severity: Severity::Error,
                file: url.clone(),
                place: None,
                message,
            }],
        ),
    };
    state.set_loaded(Workspace::default());
    let batch = super::loader::Batch {
        files,
        problems,
        ..Default::default()
    };
    super::loader::add_to_workspace(state, batch).await;
}

/// A `#src=` link's file: only from https (or this machine), never a page's own relative path.
async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    if !url.starts_with("https://")
        && !url.starts_with("http://127.0.0.1")
        && !url.starts_with("http://localhost")
    {
        return Err("only https:// links can be fetched".into());
    }
    dom::fetch_bytes(url).await
}

/// Runs with more spans than this are packed into the link only when the user asks: packing
/// cost about 23 µs a span on the benchmark machine (a frozen page for 2.3 s at 100,000 spans),
/// and such a link is far past what chat tools accept, so linking to the hosted file comes first.
pub const PACK_ON_OPEN_MAX_SPANS: usize = 4_000;

/// Links are shown in the dialog up to this many characters (Copy link copies all of it): a text
/// box holding megabytes took the browser about 0.4 s to lay out, and no one reads it.
const SHOWN_CHARS: usize = 20_000;

/// The link as the dialog shows it.
fn shown(link: &str) -> String {
    match link.char_indices().nth(SHOWN_CHARS) {
        None => link.to_string(),
        Some((cut, _)) => format!(
            "{}… (shown up to here; Copy link copies all {} characters)",
            &link[..cut],
            crate::view::format::count(link.chars().count() as u64)
        ),
    }
}

/// The share button and its dialog.
#[component]
pub fn ShareButton(run_i: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    let open = RwSignal::new(false);
    let include_text = RwSignal::new(false);
    let hosted = RwSignal::new(String::new());
    let copied = RwSignal::new(false);
    let spans = state
        .loaded
        .with_untracked(|l| l.ws.runs[run_i].spans.len());
    // A big run is packed only when asked, in a task that rests like the analysis does.
    let big = spans > PACK_ON_OPEN_MAX_SPANS;
    let pack = RwSignal::new(!big);
    // The stage a big run's packing is at ("" before it starts), while it runs.
    let packing = RwSignal::new(None::<&'static str>);
    // A big run's packed text, with the choice of text it was packed for.
    let packed = RwSignal::new(None::<(bool, Arc<str>)>);
    let wanted = move || open.get() && pack.get() && hosted.with(|h| h.trim().is_empty());
    // Why the last packing failed (a browser without `CompressionStream`).
    let failed = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        // A failed packing is not tried again: the browser lacks what it needs, and each try
        // would redact and encode the whole run anew.
        if !wanted() || packing.get().is_some() || failed.with(Option::is_some) {
            return;
        }
        let text = include_text.get();
        if packed.with(|p| p.as_ref().is_some_and(|(t, _)| *t == text)) {
            return;
        }
        packing.set(Some(""));
        let loaded = state.loaded.get_untracked();
        leptos::task::spawn_local(async move {
            dom::next_frame().await;
            let slice = dom::TimeSlice::new();
            let mut check = |stage: &'static str| {
                let rest = slice.rest_if_due(stage)?;
                let _ = packing.try_set(Some(stage));
                Some(rest)
            };
            let opts = RedactOptions { include_text: text };
            if let Some(run) = loaded.ws.runs.get(run_i) {
                let pace = &mut Pace::with(&mut check);
                let data = share::payload_paced(run, &opts, pace, &BrowserDeflate).await;
                // Kept only if the page still shows the run it packed.
                if state.loaded.with_untracked(|now| *now == loaded) {
                    match data {
                        Ok(data) => drop(packed.try_set(Some((text, data.into())))),
                        Err(why) => drop(failed.try_set(Some(why))),
                    }
                }
            }
            let _ = packing.try_set(None);
        });
    });
    let pack_now = move |_| pack.set(true);
    // The packed run, made once per choice of text: view changes (a selected span, a zoom) only
    // rewrite the keys in front of it.
    let payload = Memo::new(move |_| {
        if !wanted() {
            return None;
        }
        let text = include_text.get();
        packed.with(|p| {
            p.as_ref()
                .filter(|(t, _)| *t == text)
                .map(|(_, d)| d.clone())
        })
    });
    let link = Memo::new(move |_| {
        if !open.get() {
            return String::new();
        }
        let base = dom::window().location().href().unwrap_or_default();
        let base = base.split('#').next().unwrap_or_default().to_string();
        let view = state.view.get();
        let src = hosted.get();
        if !src.trim().is_empty() {
            let mut v = view.clone();
            v.src = Some(src.trim().to_string());
            return format!("{base}#{}", v.to_fragment());
        }
        payload.with(|p| match p {
            Some(data) => format!("{base}#{}", share::fragment_with_payload(&view, data)),
            None => String::new(),
        })
    });
    let report = Memo::new(move |_| LinkReport::of(&link.get()));
    let copy = move |_| {
        let text = link.get_untracked();
        let clip = dom::window().navigator().clipboard();
        let _ = clip.write_text(&text);
        copied.set(true);
    };
    view! {
        <button class="btn small" data-testid="share" on:click=move |_| { copied.set(false); open.update(|o| *o = !*o) }>"Share…"</button>
        <Show when=move || open.get()>
            <div class="dialog" role="dialog" aria-label="Share this view" data-testid="share-dialog">
                <h2>"Share this view"</h2>
                <p class="muted">"The link carries this run and view in its #fragment, which browsers never send to any server. Nothing is uploaded."</p>
                <label class="check"><input type="checkbox" data-testid="include-text"
                    prop:checked=move || include_text.get()
                    on:change=move |ev| include_text.set(event_target_checked(&ev))/>
                    "Include prompts, completions, tool arguments and results (off: only structure, names, timings, tokens, costs and statuses)"</label>
                <label>"Or link to where the file is hosted (for large runs): "
                    <input type="url" placeholder="https://…/trace.json" prop:value=move || hosted.get()
                        on:input=move |ev| hosted.set(event_target_value(&ev))/></label>
                <textarea readonly data-testid="share-link" rows="4" prop:value=move || link.with(|l| shown(l))></textarea>
                <p data-testid="share-size" class:warn=move || !report.get().fits_chat>{move || {
                    let r = report.get();
                    let kb = r.chars as f64 / 1024.0;
                    if let Some(why) = failed.get().filter(|_| wanted()) {
                        why
                    } else if let Some(stage) = packing.get() {
                        let stage = if stage.is_empty() { String::new() } else { format!(" ({stage})") };
                        format!("Packing {} spans into the link…{stage}", crate::view::format::count(spans as u64))
                    } else if r.chars == 0 {
                        format!("This run has {} spans: packed into the link, it would take seconds and make a link of megabytes, past what chat tools accept. Link to the hosted file, or pack it anyway.", crate::view::format::count(spans as u64))
                    } else if !r.fits_browser() {
                        format!("{} KB: too long for a browser to open. Link to the hosted file instead.", Fixed(kb, 0))
                    } else if !r.fits_chat {
                        format!("{} KB: longer than chat tools accept (about 8 KB). Share it by e-mail or link to the hosted file.", Fixed(kb, 1))
                    } else {
                        format!("{} KB: fits in a chat message.", Fixed(kb, 1))
                    }
                }}</p>
                <div class="dialog-actions">
                    {move || (!pack.get() && hosted.with(|h| h.trim().is_empty())).then(|| view! {
                        <button class="btn" data-testid="share-pack" disabled=move || packing.get().is_some() on:click=pack_now>"Pack the run into the link"</button>
                    })}
                    <button class="btn primary" disabled=move || report.get().chars == 0 on:click=copy>{move || if copied.get() { "Copied" } else { "Copy link" }}</button>
                    <button class="btn" on:click=move |_| open.set(false)>"Close"</button>
                </div>
            </div>
        </Show>
    }
}
