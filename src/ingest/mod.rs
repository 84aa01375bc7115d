//! Ingest: turn users' files into the one normalized [`crate::model`].
//!
//! One module per source format, plus format detection (`detect`) and assembly (`assemble`:
//! merging runs spread over files, resolving parents, repairing and flagging bad links).
//! Importers never panic: a panic kills the whole page in WASM. Every skipped record becomes a
//! [`Problem`] naming the file and the place.
//!
//! CONTRACT (shared by all importers; owned by the ingest-core module):
//! - An importer receives its already-detected document and an [`ImportCtx`], and pushes runs
//!   and side records into `ctx.out` (a [`Fragment`]), problems into `ctx.problems`.
//! - Runs with the same `Run::id` from any files merge into one run in `assemble`.
//! - Side records that name no run (seed 000 log/tokens/metrics, seed 003 tools/decisions/
//!   events, seed 002 logs/results) go into `ctx.out.pending` and are joined to runs by
//!   `seed_join::join` after all files are assembled.

use crate::model::{FileId, Problem, Run, Severity, Workspace};
use crate::pace::{Pace, Paced};

/// One file as the user gave it: its name (for messages only, never for detection) and bytes.
pub struct InputFile<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// What importers produce for one file; assembly merges fragments into a workspace.
#[derive(Debug, Default)]
pub struct Fragment {
    pub runs: Vec<Run>,
    pub pending: Vec<seed_join::Pending>,
}

/// The runs a batch of files added spans to, so the page analyses only those again: adding a
/// small file beside a million-span run should not redo that run's second of analysis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    /// Every run may have changed: side records (seed log, token, metric and event files)
    /// attach to whichever runs they match.
    pub all: bool,
    /// Ids of the runs that received spans.
    pub runs: crate::fasthash::FastSet<String>,
}

impl Touched {
    /// Whether the run with this id may have changed.
    pub fn includes(&self, run_id: &str) -> bool {
        self.all || self.runs.contains(run_id)
    }

    /// Adds what another batch touched.
    pub fn extend(&mut self, other: Touched) {
        self.all |= other.all;
        self.runs.extend(other.runs);
    }

    fn of(fragments: &[Fragment]) -> Touched {
        Touched {
            all: fragments.iter().any(|f| !f.pending.is_empty()),
            runs: (fragments.iter())
                .flat_map(|f| f.runs.iter().map(|r| r.id.clone()))
                .collect(),
        }
    }
}

/// Per-file state handed to an importer.
pub struct ImportCtx<'a> {
    pub file: FileId,
    pub file_name: &'a str,
    pub out: Fragment,
    pub problems: Vec<Problem>,
}

impl ImportCtx<'_> {
    /// Records a problem in this file, so importers need not repeat the file name each time.
    pub fn problem(
        &mut self,
        severity: Severity,
        place: Option<String>,
        message: impl Into<String>,
    ) {
        self.problems.push(Problem {
            severity,
            file: self.file_name.to_string(),
            place,
            message: message.into(),
        });
    }
}

pub mod assemble;
pub mod detect;
pub mod handoff;
#[cfg(feature = "formats")]
pub mod jaeger;
pub mod json_error;
#[cfg(feature = "formats")]
pub mod langfuse;
pub mod otlp;
mod read;
mod repair;
#[cfg(feature = "formats")]
pub mod seed000;
#[cfg(feature = "formats")]
pub mod seed001;
#[cfg(feature = "formats")]
pub mod seed002;
#[cfg(feature = "formats")]
pub mod seed003;
#[cfg(feature = "formats")]
pub mod seed_join;
/// Without the `formats` feature no importer makes side records, so there are none to join.
#[cfg(not(feature = "formats"))]
pub mod seed_join {
    /// No side record can exist.
    #[derive(Debug, Clone)]
    pub enum Pending {}
}
pub use spoor_core::semconv;
pub mod synth;

/// The largest file Spoor opens. A browser tab holds the bytes, the text and the parsed spans at
/// once; past this size it runs out of memory before the user sees anything.
pub const MAX_FILE_BYTES: u64 = 1_500_000_000;

/// Loads files into a fresh workspace: the page's first drop and the CLI's arguments.
pub fn load(files: &[InputFile]) -> Workspace {
    let mut ws = Workspace::default();
    add_files(&mut ws, files);
    ws
}

/// Adds files to an open workspace (users drop more files later); runs with the same id merge
/// with the ones already loaded, and a file loaded before is recognised and not loaded twice.
pub fn add_files(ws: &mut Workspace, files: &[InputFile]) -> Touched {
    add_files_with_limit(ws, files, MAX_FILE_BYTES)
}

/// [`add_files`] with the size limit as a parameter, so the refusal can be tested without
/// allocating a file of [`MAX_FILE_BYTES`].
pub fn add_files_with_limit(ws: &mut Workspace, files: &[InputFile], limit: u64) -> Touched {
    let (touched, unread) = add_files_reading(ws, files, limit, false);
    // Only a build without the `formats` feature leaves files unread here.
    for i in unread {
        ws.problems.push(Problem {
            severity: Severity::Error,
            file: files[i].name.to_string(),
            place: None,
            message: "this build of Spoor reads only OTLP here; files in other formats are read \
                      by its formats worker, which was not used for this file"
                .into(),
        });
    }
    touched
}

/// What [`add_otlp_files`] did with a batch of files.
#[derive(Debug, Default)]
pub struct OtlpFiles {
    /// The runs the files it read added spans to.
    pub touched: Touched,
    /// The files it left for the formats module (index in the batch, in order): not added, not
    /// counted, no problem reported.
    pub deferred: Vec<usize>,
}

/// [`add_files`] for the page's own module, which has only the OTLP importer (the others are
/// ~60 KB gzip of wasm most users never run): files in other formats are recognised and left
/// for the formats module, which reads them with [`handoff::read_batch`]. Files that are not
/// readable at all (empty, not UTF-8, not JSON) are reported here, as [`add_files`] would.
pub fn add_otlp_files(ws: &mut Workspace, files: &[InputFile]) -> OtlpFiles {
    let (touched, deferred) = add_files_reading(ws, files, MAX_FILE_BYTES, true);
    OtlpFiles { touched, deferred }
}

fn add_files_reading(
    ws: &mut Workspace,
    files: &[InputFile],
    limit: u64,
    otlp_only: bool,
) -> (Touched, Vec<usize>) {
    let mut fragments = Vec::with_capacity(files.len());
    let mut deferred = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let size = file.bytes.len() as u64;
        // A file too big to open is refused unread; hashing it would only cost time.
        let hash = if size <= limit {
            read::content_hash(file.bytes)
        } else {
            0
        };
        if already_loaded(ws, file.name, hash, size) {
            continue;
        }
        let id = ws.files.len() as FileId;
        let outcome = read::read_file(file, id, limit, otlp_only);
        if outcome.deferred {
            deferred.push(i);
            continue;
        }
        let mut source = outcome.source;
        source.content_hash = hash;
        ws.files.push(source);
        ws.problems.extend(outcome.problems);
        fragments.push(outcome.fragment);
    }
    let touched = Touched::of(&fragments);
    let pending = assemble::merge(ws, fragments);
    join_side_records(ws, pending);
    (touched, deferred)
}

/// Joins the seed formats' side records to their runs. A build without the `formats` feature
/// reads no such file (its importers are not in it), so it never has any.
fn join_side_records(ws: &mut Workspace, pending: Vec<seed_join::Pending>) {
    #[cfg(feature = "formats")]
    seed_join::join(ws, pending);
    #[cfg(not(feature = "formats"))]
    let _ = (ws, pending);
}

/// A file loaded before (same size and content) is not loaded twice; the user is told so.
fn already_loaded(ws: &mut Workspace, name: &str, hash: u64, size: u64) -> bool {
    let Some(seen) = ws
        .files
        .iter()
        .find(|f| f.content_hash == hash && f.size == size)
    else {
        return false;
    };
    let message = if seen.name == name {
        "already loaded: this file was opened before, so nothing was added again".into()
    } else {
        format!(
            "already loaded: it has the same content as \"{}\", so nothing was added again",
            seen.name
        )
    };
    ws.problems.push(Problem {
        severity: Severity::Warning,
        file: name.to_string(),
        place: None,
        message,
    });
    true
}

/// Whether a big file whose first bytes are `head` may be OTLP: the page reads such a file
/// itself, and hands any other to the formats worker unread, so its bytes never sit in the
/// page's memory. Only a "no" is acted on, and the worker reads OTLP too, so a wrong "no" would
/// cost speed, never a span: OTLP's one list is `resourceSpans` (or `resource_spans`), and every
/// exporter writes it first.
pub fn may_be_otlp(head: &[u8]) -> bool {
    let has = |pat: &[u8]| head.windows(pat.len()).any(|w| w == pat);
    has(b"resourceSpans") || has(b"resource_spans")
}

/// A big file read in chunks, so the page never holds it whole (at a million spans the bytes
/// alone are ~450 MB of a tab's memory) and can show progress between chunks. Only the common
/// big file streams: one OTLP JSON document. [`FileStream::finish`] gives the same workspace as
/// [`add_files`] would, or says the file must be read whole after all.
pub struct FileStream {
    name: String,
    size: u64,
    hasher: read::ContentHasher,
    first: bool,
    reader: StreamReader,
}

/// The two kinds of big file that stream: one OTLP document, or OTLP JSON lines.
enum StreamReader {
    Document(Box<otlp::stream::OtlpStream>),
    Lines(otlp::lines::OtlpLines),
}

/// A file read through a [`FileStream`], ready to join a workspace with [`add_streamed`].
pub struct StreamedFile {
    name: String,
    size: u64,
    hash: u64,
    runs: Vec<Run>,
}

impl StreamedFile {
    /// Spans read from the file.
    pub fn spans(&self) -> usize {
        self.runs.iter().map(|r| r.spans.len()).sum()
    }
}

impl FileStream {
    /// A stream for a file of `size` bytes whose first chunk is `head`, or `None` when the file
    /// is better read whole (not OTLP, empty, or too big: the whole-file reader says why).
    pub fn start(name: &str, size: u64, head: &[u8]) -> Option<FileStream> {
        let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        if size == 0 || size > MAX_FILE_BYTES {
            return None;
        }
        // JSON lines first: a line that is a whole document would also pass the document test.
        let reader = if otlp::lines::OtlpLines::fits(body) {
            StreamReader::Lines(otlp::lines::OtlpLines::new(0))
        } else if otlp::stream::OtlpStream::fits(body) {
            StreamReader::Document(Box::new(otlp::stream::OtlpStream::new(0, size)))
        } else {
            return None;
        };
        Some(FileStream {
            name: name.to_string(),
            size,
            hasher: read::ContentHasher::new(size),
            first: true,
            reader,
        })
    }

    /// Reads the next chunk; chunks must come in order and add up to the file.
    pub fn push(&mut self, chunk: &[u8]) {
        self.hasher.update(chunk);
        let mut body = chunk;
        if std::mem::take(&mut self.first) {
            body = chunk.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(chunk);
        }
        match &mut self.reader {
            StreamReader::Document(r) => r.push(body),
            StreamReader::Lines(r) => r.push(body),
        }
    }

    /// Spans read so far, for a progress line.
    pub fn spans(&self) -> usize {
        self.progress().spans()
    }

    /// False once the file is known to need the whole-file reader: stop feeding it.
    pub fn ok(&self) -> bool {
        self.progress().ok()
    }

    fn progress(&self) -> &otlp::stream::Progress {
        match &self.reader {
            StreamReader::Document(r) => r.progress(),
            StreamReader::Lines(r) => r.progress(),
        }
    }

    /// What was read, or `None` when the file needs the whole-file reader's care (and its
    /// messages): the caller then reads it whole.
    pub fn finish(self) -> Option<StreamedFile> {
        let runs = match self.reader {
            StreamReader::Document(r) => r.finish()?,
            StreamReader::Lines(r) => r.finish()?,
        };
        Some(StreamedFile {
            name: self.name,
            size: self.size,
            hash: self.hasher.finish(),
            runs,
        })
    }
}

/// Adds a streamed file to `ws`, as [`add_files`] would have added it.
pub fn add_streamed(ws: &mut Workspace, file: StreamedFile) -> Touched {
    crate::pace::block_on(add_streamed_in_slices(ws, file, &mut Pace::never()))
}

/// [`add_streamed`], resting as `pace` says: the checks of a million-span run take about a
/// second, and the page rests between slices of them so it can paint.
pub fn add_streamed_paced<'a, 'p: 'a>(
    ws: &'a mut Workspace,
    file: StreamedFile,
    pace: &'a mut Pace<'p>,
) -> Paced<'a, Touched> {
    Box::pin(add_streamed_in_slices(ws, file, pace))
}

async fn add_streamed_in_slices(
    ws: &mut Workspace,
    file: StreamedFile,
    pace: &mut Pace<'_>,
) -> Touched {
    let StreamedFile {
        name,
        size,
        hash,
        mut runs,
    } = file;
    if already_loaded(ws, &name, hash, size) {
        return Touched::default();
    }
    let id = ws.files.len() as FileId;
    let mut spans = 0;
    for run in &mut runs {
        spans += run.spans.len() as u64;
        for s in &mut run.spans {
            s.origin.file = id;
            pace.tick().await;
        }
        run.files.push(id);
    }
    ws.files.push(crate::model::SourceFile {
        name,
        size,
        formats: vec![crate::model::Format::Otlp],
        spans,
        content_hash: hash,
    });
    let fragment = Fragment {
        runs,
        pending: Vec::new(),
    };
    let touched = Touched::of(std::slice::from_ref(&fragment));
    let pending = assemble::merge_paced(ws, vec![fragment], pace).await;
    join_side_records(ws, pending);
    touched
}
