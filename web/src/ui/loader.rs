//! Getting files into the page: drop anywhere, the file picker, the built-in demo. OTLP files are
//! parsed here (big ones while they are read); files in other formats go to the formats worker
//! (`formats.rs`), which runs the same importers as the CLI. Nothing leaves the browser.

use super::dom;
use super::state::{AppState, Loaded, Shared};
use crate::analysis::analyze_run_paced;
use crate::ingest::{self, FileStream, InputFile, StreamedFile};
use crate::model::{Problem, Workspace};
use crate::num::Fixed;
use crate::pace::Pace;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// The demo run: seed 000's code-review agent, `b_errors` scenario (see `demo/README.md`). Its
/// files are served beside the app (trunk copies `demo/code-review-agent/`) and fetched when the
/// demo is shown, so a page opened from a link never downloads them and they are not in the wasm
/// (28 KB raw).
const DEMO_DIR: &str = "code-review-agent";
const DEMO_FILES: [&str; 4] = ["traces.json", "log.json", "tokens.json", "metrics.json"];
/// The demo's four files as the formats worker reads them (`ingest::handoff`), made ahead of
/// time (`tests/demo_answer.rs` checks it is current): a first visit shows the demo without
/// downloading the worker. Used when nothing else is loaded, which is when its file ids fit.
const DEMO_ANSWER: &str = "code-review-agent.handoff";

/// Files from this size up are read in pieces, and parsed as the pieces arrive when they hold
/// one OTLP document (the usual big file); smaller files are read in one go (under 1 MiB parses
/// in about 20 ms).
const STREAM_FROM: f64 = 1024.0 * 1024.0;
/// Bytes per read from the file: few enough reads that their cost does not show.
const PIECE: f64 = 4.0 * 1024.0 * 1024.0;
/// Bytes parsed between two looks at the [`dom::TimeSlice`]: about 12 ms of parsing, so the page
/// is handed back well before it feels frozen.
const BITE: usize = 1024 * 1024;

/// What one load adds: files read by the page, and what it leaves to the formats worker.
#[derive(Default)]
pub(super) struct Batch {
    /// Big OTLP files, already parsed while they were read.
    pub streamed: Vec<StreamedFile>,
    /// Files read whole: OTLP ones are parsed by the page, others go to the formats worker.
    pub files: Vec<(String, Vec<u8>)>,
    /// Big files that are not OTLP, handed to the formats worker unread: the page never holds
    /// their bytes (a tab's memory does not shrink once grown).
    pub handed: Vec<web_sys::File>,
    /// Files the browser could not read, reported beside the importers' own.
    pub problems: Vec<Problem>,
    /// Time already spent reading and parsing streamed files, so the load's log line counts all
    /// of the parsing.
    pub stream_ms: f64,
    /// A formats worker's answer made ahead of time (the demo's, for an empty page).
    pub answer: Option<Vec<u8>>,
}

/// Adds files to what is loaded (runs with the same id merge, as in the CLI). The files' bytes
/// are dropped before the analysis runs, so its memory can reuse theirs.
pub(super) async fn add_to_workspace(state: AppState, batch: Batch) {
    let Batch {
        streamed,
        files,
        handed,
        problems,
        stream_ms,
        answer,
    } = batch;
    // Take the workspace out of the page's state rather than copying it (1M spans is ~1 GB);
    // it is copied only if something else still holds it.
    let previous = state
        .loaded
        .try_update_untracked(|l| std::mem::replace(l, Shared(Arc::new(Loaded::empty()))))
        .unwrap_or_else(|| Shared(Arc::new(Loaded::empty())));
    // The runs' analyses too, by run id, for the runs these files leave as they were.
    let (mut ws, kept): (Workspace, Kept) = match Arc::try_unwrap(previous.0) {
        Ok(l) => {
            let ids = l.ws.runs.iter().map(|r| r.id.clone());
            let kept = ids.zip(l.analyses).collect();
            (l.ws, kept)
        }
        Err(shared) => (shared.ws.clone(), Kept::default()),
    };
    let mut touched = ingest::Touched::default();
    let t0 = dom::now_ms();
    let any_streamed = !streamed.is_empty();
    let slice = dom::TimeSlice::new();
    let mut check = |stage: &'static str| slice.rest_if_due(stage);
    for file in streamed {
        touched
            .extend(ingest::add_streamed_paced(&mut ws, file, &mut Pace::with(&mut check)).await);
    }
    let (held, _) = slice.longest_stretch();
    let inputs: Vec<InputFile> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    let own = ingest::add_otlp_files(&mut ws, &inputs);
    touched.extend(own.touched);
    drop(inputs);
    let others: Vec<(String, Vec<u8>)> = (files.into_iter().enumerate())
        .filter(|(i, _)| own.deferred.contains(i))
        .map(|(_, f)| f)
        .collect();
    if !others.is_empty() || !handed.is_empty() {
        touched.extend(read_in_worker(state, &mut ws, others, handed).await);
    }
    if let Some(answer) = answer {
        match ingest::handoff::apply_batch(&mut ws, &answer) {
            Ok(t) => touched.extend(t),
            Err(why) => ws
                .problems
                .push(demo_problem(format!("it could not be opened: {why}"))),
        }
    }
    ws.problems.extend(problems);
    let t1 = dom::now_ms();
    let loaded = analyse(state, ws, kept, &touched).await;
    state.set_analysed(loaded);
    let t2 = dom::now_ms();
    let streaming = if any_streamed {
        format!(
            " (read and parsed while streaming {} ms, then assembled in {} ms, \
             at most {} ms between two looks at the clock)",
            Fixed(stream_ms, 0),
            Fixed(t1 - t0, 0),
            Fixed(held, 0)
        )
    } else {
        String::new()
    };
    dom::log(&format!(
        "spoor: parsed in {} ms, analysed and rendered in {} ms{streaming}",
        Fixed(stream_ms + t1 - t0, 0),
        Fixed(t2 - t1, 0)
    ));
}

/// Reads files in formats other than OTLP in the formats worker and adds what it read to `ws`;
/// if the worker cannot read them, says so for each file.
async fn read_in_worker(
    state: AppState,
    ws: &mut Workspace,
    files: Vec<(String, Vec<u8>)>,
    handed: Vec<web_sys::File>,
) -> ingest::Touched {
    let mut names: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();
    names.extend(handed.iter().map(|f| f.name()));
    let label = match names.as_slice() {
        [name] => name.clone(),
        _ => format!("{} files", names.len()),
    };
    state.loading.set(Some((
        format!("Reading {label} in the formats worker…"),
        0.92,
    )));
    let answer = super::formats::read(ws.files.len(), &files, &handed).await;
    drop(files);
    let applied = match answer {
        Ok(answer) => {
            let slice = dom::TimeSlice::new();
            let mut check = |stage: &'static str| slice.rest_if_due(stage);
            ingest::handoff::apply_batch_paced(ws, &answer, &mut Pace::with(&mut check)).await
        }
        Err(why) => Err(why),
    };
    match applied {
        Ok(touched) => touched,
        Err(why) => {
            super::formats::discard();
            ws.problems.extend(names.into_iter().map(|name| Problem {
                severity: crate::model::Severity::Error,
                file: name,
                place: None,
                message: format!(
                    "Spoor's reader for this file's format could not run ({why}); nothing was \
                     loaded from it. Reload the page and open it again."
                ),
            }));
            ingest::Touched::default()
        }
    }
}

/// The analyses of the runs loaded before, by run id.
type Kept = crate::fasthash::FastMap<String, crate::analysis::RunAnalysis>;

/// Analyses the runs the new files touched (the others keep their analysis from `kept`),
/// resting whenever a [`dom::TimeSlice`] is used up ([`Pace`]), with the stage in the progress
/// message: over a second of work at a million spans, which would otherwise freeze the page in
/// one piece.
async fn analyse(
    state: AppState,
    ws: Workspace,
    mut kept: Kept,
    touched: &ingest::Touched,
) -> Loaded {
    let t0 = dom::now_ms();
    let cfg = state.config.get_value();
    // Decided once per run: an untouched run with an analysis keeps it.
    let mut reuse: Vec<Option<crate::analysis::RunAnalysis>> = (ws.runs.iter())
        .map(|r| {
            (!touched.includes(&r.id))
                .then(|| kept.remove(&r.id))
                .flatten()
        })
        .collect();
    let reused = reuse.iter().filter(|a| a.is_some()).count();
    let spans: u64 = (ws.runs.iter().zip(&reuse))
        .filter(|(_, a)| a.is_none())
        .map(|(r, _)| r.spans.len() as u64)
        .sum();
    let label = format!("Analysing {} spans…", crate::view::format::count(spans));
    let slice = dom::TimeSlice::new();
    let mut analyses = Vec::with_capacity(ws.runs.len());
    for (i, run) in ws.runs.iter().enumerate() {
        if let Some(a) = reuse[i].take() {
            analyses.push(a);
            continue;
        }
        let done = i as f64 / ws.runs.len() as f64;
        let mut check = |stage: &'static str| {
            let rest = slice.rest_if_due(stage)?;
            let text = format!("{label} {stage}");
            state.loading.set(Some((text, 0.92 + 0.08 * done)));
            Some(rest)
        };
        analyses.push(analyze_run_paced(run, &cfg, &mut Pace::with(&mut check)).await);
    }
    // The first render of the run page comes next, in its own task.
    if let Some(rest) = slice.rest_if_due("") {
        rest.await;
    }
    let (held, stage) = slice.longest_stretch();
    dom::log(&format!(
        "spoor: analysed {} of {} runs in {} ms ({reused} unchanged kept their analysis), at \
         most {} ms between two looks at the clock (in {stage})",
        ws.runs.len() - reused,
        ws.runs.len(),
        Fixed(dom::now_ms() - t0, 0),
        Fixed(held, 0)
    ));
    Loaded { ws, analyses }
}

/// What the page is asked to load or clear. Jobs run one at a time, in the order asked: a load
/// takes the workspace out of the page's state while it reads, assembles and analyses (resting
/// as it goes), so a second drop started meanwhile would begin from an empty workspace, and
/// whichever finished last would drop the other's runs. A "Clear" pressed during a load would be
/// undone by it the same way, and a `#src=` link's file arriving late would replace a dropped one.
enum Job {
    Files(Vec<web_sys::File>),
    Demo,
    Clear,
    /// A `#src=` link's hosted file, opened in place of what is loaded.
    LinkSrc(String),
}

thread_local! {
    /// `None` while no job runs; otherwise the jobs waiting behind the running one.
    static WAITING: std::cell::RefCell<Option<std::collections::VecDeque<Job>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `job` now if nothing else is loading, else after the jobs already waiting.
fn submit(state: AppState, job: Job) {
    let idle = WAITING.with(|w| {
        let mut w = w.borrow_mut();
        let idle = w.is_none();
        w.get_or_insert_with(Default::default).push_back(job);
        idle
    });
    if idle {
        leptos::task::spawn_local(run_jobs(state));
    }
}

/// Takes jobs off the queue until it is empty, then marks the page idle.
async fn run_jobs(state: AppState) {
    while let Some(job) = WAITING.with(|w| {
        let mut w = w.borrow_mut();
        let next = w.as_mut().and_then(|q| q.pop_front());
        if next.is_none() {
            *w = None;
        }
        next
    }) {
        match job {
            Job::Files(files) => load_files(state, files).await,
            Job::Demo if state.loaded.with_untracked(|l| l.ws.files.is_empty()) => {
                let (answer, problems) = match dom::fetch_bytes(DEMO_ANSWER).await {
                    Ok(bytes) => (Some(bytes), Vec::new()),
                    Err(message) => (
                        None,
                        vec![demo_problem(format!("it could not be fetched: {message}"))],
                    ),
                };
                let batch = Batch {
                    problems,
                    answer,
                    ..Batch::default()
                };
                add_to_workspace(state, batch).await;
            }
            Job::Demo => {
                let urls: Vec<String> = DEMO_FILES.map(|n| format!("{DEMO_DIR}/{n}")).into();
                let mut files = Vec::with_capacity(DEMO_FILES.len());
                let mut problems = Vec::new();
                for (name, fetched) in DEMO_FILES.into_iter().zip(dom::fetch_all(&urls).await) {
                    match fetched {
                        Ok(bytes) => files.push((format!("demo/{name}"), bytes)),
                        Err(message) => problems.push(Problem {
                            severity: crate::model::Severity::Error,
                            file: format!("demo/{name}"),
                            place: None,
                            message: format!("the demo file could not be fetched: {message}"),
                        }),
                    }
                }
                let batch = Batch {
                    files,
                    problems,
                    ..Batch::default()
                };
                add_to_workspace(state, batch).await;
            }
            Job::Clear => {
                state.carried_data.set(None);
                state.set_loaded(Workspace::default());
            }
            Job::LinkSrc(url) => super::share::fetch_src(state, url).await,
        }
    }
    state.loading.set(None);
}

fn demo_problem(message: String) -> Problem {
    Problem {
        severity: crate::model::Severity::Error,
        file: "demo run".into(),
        place: None,
        message: format!("the demo run: {message}"),
    }
}

/// Opens the demo run.
pub fn load_demo(state: AppState) {
    submit(state, Job::Demo);
}

/// Opens the hosted file a `#src=` link names.
pub fn open_link_src(state: AppState, url: String) {
    submit(state, Job::LinkSrc(url));
}

/// What became of a big file.
enum Big {
    /// Read piece by piece as OTLP.
    Streamed(StreamedFile),
    /// To be read whole (OTLP the stream cannot take, or whose problems need the whole-file
    /// reader's messages).
    ReadWhole,
    /// Not OTLP: for the formats worker, unread.
    ToWorker,
}

/// Reads a big file piece by piece through a [`FileStream`], showing progress, or says who
/// should read it otherwise.
async fn stream_file(
    state: AppState,
    file: &web_sys::File,
    progress: (f64, f64),
) -> Result<Big, String> {
    let size = file.size();
    let name = file.name();
    let head = dom::read_slice(file, 0.0, PIECE.min(size)).await?;
    let Some(mut stream) = FileStream::start(&name, size as u64, &head) else {
        // The whole-file reader also refuses a file too big to open, without the worker.
        let too_big = size as u64 > ingest::MAX_FILE_BYTES;
        return Ok(if too_big || ingest::may_be_otlp(&head) {
            Big::ReadWhole
        } else {
            Big::ToWorker
        });
    };
    let (done, total) = progress;
    let mut slice = dom::TimeSlice::new();
    let mut at = 0.0;
    let mut piece = head;
    loop {
        for bite in piece.chunks(BITE) {
            if slice.due() {
                let label = format!(
                    "Reading {name}… {} spans",
                    crate::view::format::count(stream.spans() as u64)
                );
                state.loading.set(Some((label, (done + at) / total * 0.9)));
                slice.pause_if_due().await;
            }
            stream.push(bite);
            at += bite.len() as f64;
        }
        if at >= size || !stream.ok() {
            break;
        }
        drop(piece);
        piece = dom::read_slice(file, at, (at + PIECE).min(size)).await?;
    }
    Ok(stream.finish().map_or(Big::ReadWhole, Big::Streamed))
}

/// Reads and loads a browser `FileList` (from a drop or the picker), with progress.
pub fn load_file_list(state: AppState, list: web_sys::FileList) {
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    if !files.is_empty() {
        submit(state, Job::Files(files));
    }
}

/// Reads `files` (streaming the big ones) and adds them to the workspace.
async fn load_files(state: AppState, files: Vec<web_sys::File>) {
    let total: f64 = files.iter().map(|f| f.size()).sum::<f64>().max(1.0);
    let mut done = 0.0;
    let mut streamed = Vec::new();
    let mut stream_ms = 0.0;
    let mut read = Vec::with_capacity(files.len());
    let mut handed = Vec::new();
    let mut problems = Vec::new();
    for f in &files {
        state
            .loading
            .set(Some((format!("Reading {}…", f.name()), done / total * 0.9)));
        dom::next_frame().await;
        let mut outcome = Ok(Big::ReadWhole);
        if f.size() >= STREAM_FROM {
            let t = dom::now_ms();
            outcome = stream_file(state, f, (done, total)).await;
            stream_ms += dom::now_ms() - t;
        }
        let whole = match outcome {
            Ok(Big::Streamed(file)) => {
                streamed.push(file);
                None
            }
            Ok(Big::ToWorker) => {
                handed.push(f.clone());
                None
            }
            Ok(Big::ReadWhole) => Some(dom::read_file(f).await),
            Err(e) => Some(Err(e)),
        };
        match whole {
            None => {}
            Some(Ok(bytes)) => read.push((f.name(), bytes)),
            Some(Err(e)) => problems.push(Problem {
                severity: crate::model::Severity::Error,
                file: f.name(),
                place: None,
                message: e,
            }),
        }
        done += f.size();
    }
    let label = if files.len() == 1 {
        files[0].name()
    } else {
        format!("{} files", files.len())
    };
    state.loading.set(Some((format!("Opening {label}…"), 0.92)));
    dom::next_frame().await;
    let batch = Batch {
        streamed,
        files: read,
        handed,
        problems,
        stream_ms,
        answer: None,
    };
    add_to_workspace(state, batch).await;
}

/// Clears everything loaded (after any load still running).
pub fn clear(state: AppState) {
    submit(state, Job::Clear);
}

/// The "Open files" button with its hidden picker.
pub fn open_button() -> impl IntoView {
    let state = expect_context::<AppState>();
    let input: NodeRef<leptos::html::Input> = NodeRef::new();
    view! {
        <button class="btn primary" on:click=move |_| {
            if let Some(i) = input.get() { i.click(); }
        }>"Open files…"</button>
        <input type="file" multiple class="hidden-input" data-testid="file-input" node_ref=input
            on:change=move |ev| {
                let target = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
                if let Some(el) = target {
                    if let Some(list) = el.files() { load_file_list(state, list); }
                    el.set_value("");
                }
            } />
    }
}

/// Listens for drags anywhere on the page and shows an overlay while files hover over it.
pub fn drop_zone() -> impl IntoView {
    let state = expect_context::<AppState>();
    let depth = RwSignal::new(0i32);
    let has_files = |ev: &web_sys::DragEvent| {
        ev.data_transfer()
            .map(|dt| {
                dt.types()
                    .iter()
                    .any(|t| t.as_string().as_deref() == Some("Files"))
            })
            .unwrap_or(false)
    };
    let h1 = window_event_listener(leptos::ev::dragenter, move |ev| {
        if has_files(&ev) {
            ev.prevent_default();
            depth.update(|d| *d += 1);
        }
    });
    let h2 = window_event_listener(leptos::ev::dragover, move |ev| {
        ev.prevent_default();
    });
    let h3 = window_event_listener(leptos::ev::dragleave, move |_| {
        depth.update(|d| *d = (*d - 1).max(0));
    });
    let h4 = window_event_listener(leptos::ev::drop, move |ev| {
        ev.prevent_default();
        depth.set(0);
        if let Some(list) = ev.data_transfer().and_then(|dt| dt.files()) {
            load_file_list(state, list);
        }
    });
    let dragging = move || depth.get() > 0;
    on_cleanup(move || {
        h1.remove();
        h2.remove();
        h3.remove();
        h4.remove();
    });
    view! {
        <Show when=dragging>
            <div class="drop-overlay" data-testid="drop-overlay">
                <div class="drop-card">"Drop trace files to open them"<br/>
                <small>"OTLP JSON/JSONL · Jaeger · Langfuse · AgentTracer · seed formats. Files stay in this browser."</small></div>
            </div>
        </Show>
    }
}
