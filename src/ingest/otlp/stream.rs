//! One OTLP JSON document read chunk by chunk, as the browser reads a big file: each span is
//! converted as soon as its text is complete, so the tab never holds the whole file, and the page
//! can show progress between chunks.
//!
//! This is a fast path, not a second importer: it gives exactly what [`super::import`] gives, or
//! gives up. Anything unusual (a span that cannot be read or lacks an id, a start or a trace id,
//! a resource or scope written after its spans, text that is not UTF-8, a document that is not
//! JSON) makes [`OtlpStream::finish`] return `None`, and the caller reads the file whole, so
//! problems are reported with the same places and words as ever.

use super::{attach, convert, fill_agent, wire, Converted};
use crate::fasthash::FastMap;
use crate::ingest::detect;
use crate::model::{Attr, FileId, Origin, Run};
use spoor_core::otlp::scan::{Piece, Scanner};
use spoor_core::otlp::wire::NotRead;

/// After this many bytes the text's bytes per span are known well enough to size the first run's
/// vector for the whole file: a vector that grows by doubling holds two copies of itself while
/// it grows, hundreds of MB at a million spans that the tab never gets back. The estimate is
/// checked again at a quarter and a half of the file, while growing still copies little.
const ESTIMATE_AFTER: u64 = 1 << 20;
/// Room added to the estimate (given back at the end, in place).
const ESTIMATE_MARGIN: f64 = 1.08;

pub struct OtlpStream {
    file: FileId,
    scanner: Scanner,
    /// Bytes of a UTF-8 character cut by the end of the last chunk.
    runs: Vec<Run>,
    index: FastMap<String, usize>,
    /// The file's size, and the bytes read so far, to estimate its span count.
    size: u64,
    read: u64,
    /// Estimates made so far (at 1 MB, a quarter and half of the file).
    estimates: u8,
    resource: Vec<Attr>,
    scope: convert::Scope,
    /// Spans read in the current `resourceSpans` / `scopeSpans` element: a resource or scope
    /// arriving after them would have changed them.
    spans_in_resource: usize,
    spans_in_scope: usize,
    progress: Progress,
}

impl OtlpStream {
    /// Whether a file starting with `head` (its first chunk, BOM removed) is worth streaming: a
    /// JSON object whose first key is `resourceSpans`. Anything else is read whole.
    pub fn fits(head: &[u8]) -> bool {
        let rest = head.trim_ascii_start();
        let Some(rest) = rest.strip_prefix(b"{") else {
            return false;
        };
        let rest = rest.trim_ascii_start();
        rest.starts_with(b"\"resourceSpans\"") || rest.starts_with(b"\"resource_spans\"")
    }

    /// A stream for a file of `size` bytes (the size only sizes vectors; any size works).
    pub fn new(file: FileId, size: u64) -> Self {
        OtlpStream {
            file,
            scanner: Scanner::default(),
            runs: Vec::new(),
            index: FastMap::default(),
            size,
            read: 0,
            estimates: 0,
            resource: Vec::new(),
            scope: convert::Scope::default(),
            spans_in_resource: 0,
            spans_in_scope: 0,
            progress: Progress::default(),
        }
    }

    /// Spans read so far, and whether the stream has given up.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Reads the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) {
        if !self.progress.admit(chunk) {
            return;
        }
        let mut scanner = std::mem::take(&mut self.scanner);
        scanner.push(chunk, &mut |piece| self.piece(piece));
        self.progress.failed |= scanner.overrun();
        self.scanner = scanner;
        self.read += chunk.len() as u64;
        let due = match self.estimates {
            0 => ESTIMATE_AFTER.min(self.size),
            1 => self.size / 4,
            2 => self.size / 2,
            _ => u64::MAX,
        };
        if self.read >= due {
            self.estimates += 1;
            self.reserve_for_the_rest();
        }
    }

    /// Sizes the run's vector for all the spans the file seems to hold when the file is one
    /// trace so far (most big files are), with a little room; [`OtlpStream::finish`] gives back
    /// what is unused. Files of several traces grow their runs' vectors as usual.
    fn reserve_for_the_rest(&mut self) {
        let ([run], true) = (self.runs.as_mut_slice(), self.progress.spans > 0) else {
            return;
        };
        let per_span = self.read as f64 / self.progress.spans as f64;
        let expected = (self.size as f64 / per_span * ESTIMATE_MARGIN) as usize;
        run.spans
            .reserve_exact(expected.saturating_sub(run.spans.len()));
    }

    /// Takes one piece; for a span, answers with its length (see [`Piece::Span`]).
    fn piece(&mut self, piece: Piece) -> Option<usize> {
        if self.progress.failed {
            return Some(usize::MAX);
        }
        match piece {
            Piece::ResourceSpans => {
                self.resource.clear();
                self.spans_in_resource = 0;
            }
            Piece::Resource(text) => match parse(text, wire::resource) {
                Some(r) if self.spans_in_resource == 0 => self.resource = r.attributes.0,
                _ => self.progress.failed = true,
            },
            Piece::ScopeSpans => {
                self.scope = convert::Scope::default();
                self.spans_in_scope = 0;
            }
            Piece::Scope(text) => match parse(text, wire::scope) {
                Some(s) if self.spans_in_scope == 0 => {
                    self.scope =
                        convert::Scope::new(s.name.as_deref(), s.version.as_deref(), s.attributes.0)
                }
                _ => self.progress.failed = true,
            },
            Piece::Span(text) => return self.span(text),
        }
        None
    }

    fn span(&mut self, text: &str) -> Option<usize> {
        let (w, len) = match wire::span_at_start(text) {
            Ok(read) => read,
            Err(NotRead::Cut) => return None,
            Err(NotRead::Invalid) => {
                // The whole-file reader says where and what.
                self.progress.failed = true;
                return Some(usize::MAX);
            }
        };
        self.progress.spans += 1;
        self.spans_in_resource += 1;
        self.spans_in_scope += 1;
        let origin = Origin {
            file: self.file,
            line: None,
        };
        let c = Converted::new(w, &self.scope, origin, self.progress.spans);
        let Some(trace_id) = c.trace_id.filter(|_| !c.gaps.no_id && !c.gaps.no_start) else {
            // The whole-file reader says where and what; leave it to that.
            self.progress.failed = true;
            return Some(len);
        };
        let (run, span) = attach(
            &mut self.runs,
            &mut self.index,
            trace_id,
            &self.resource,
            c.span,
        );
        self.runs[run].spans.push(span);
        Some(len)
    }

    /// The runs read, or `None` when the file must be read whole instead (see the module notes).
    pub fn finish(mut self) -> Option<Vec<Run>> {
        if !self.progress.complete() || !self.scanner.complete() {
            return None;
        }
        // The document outside its spans must be what the whole-file reader accepts: JSON,
        // detected as OTLP, with as many spans as were read here.
        let skeleton = std::str::from_utf8(&self.scanner.skeleton).ok()?;
        let shape = detect::sniff(skeleton).ok()?;
        if !detect::is_otlp(&shape) {
            return None;
        }
        let doc = wire::document(skeleton).ok()?;
        let listed: usize = (doc.resource_spans.iter())
            .flat_map(|rs| rs.scope_spans.iter().map(|ss| ss.spans.len()))
            .sum();
        if listed != self.progress.spans {
            return None;
        }
        for run in &mut self.runs {
            // Shrinking gives the unused end back in place; nothing is copied.
            run.spans.shrink_to_fit();
            fill_agent(run);
        }
        Some(self.runs)
    }
}

/// What both streaming readers track besides their text: spans read (for a progress line),
/// whether they gave up, and the UTF-8 check across chunks.
#[derive(Default)]
pub struct Progress {
    pub(super) spans: usize,
    pub(super) failed: bool,
    utf8: Utf8Check,
}

impl Progress {
    /// Spans read so far.
    pub fn spans(&self) -> usize {
        self.spans
    }

    /// False once the stream has given up; the caller may stop feeding it.
    pub fn ok(&self) -> bool {
        !self.failed
    }

    /// Whether a chunk is to be read: not once given up, and not if it breaks UTF-8 (which
    /// gives up: the whole-file reader says where).
    pub(super) fn admit(&mut self, chunk: &[u8]) -> bool {
        self.failed |= !self.failed && !self.utf8.check(chunk);
        !self.failed
    }

    /// Nothing went wrong and no character was left cut at the end.
    pub(super) fn complete(&self) -> bool {
        !self.failed && self.utf8.complete()
    }
}

/// UTF-8 validation of a text arriving in chunks, a character cut by a chunk's end carried over.
#[derive(Default)]
struct Utf8Check {
    carry: Vec<u8>,
}

impl Utf8Check {
    /// False when the text is not UTF-8 (the whole-file reader says where).
    fn check(&mut self, chunk: &[u8]) -> bool {
        let mut joined;
        let bytes = if self.carry.is_empty() {
            chunk
        } else {
            joined = std::mem::take(&mut self.carry);
            joined.extend_from_slice(chunk);
            joined.as_slice()
        };
        match std::str::from_utf8(bytes) {
            Ok(_) => true,
            Err(e) if e.error_len().is_none() => {
                self.carry = bytes[e.valid_up_to()..].to_vec();
                true
            }
            Err(_) => false,
        }
    }

    /// True when no character was left cut at the end.
    fn complete(&self) -> bool {
        self.carry.is_empty()
    }
}

/// A wire record from its text; `None` for anything the whole-file reader would complain about.
fn parse<'a, T>(text: &'a [u8], read: fn(&'a str) -> Result<T, serde_json::Error>) -> Option<T> {
    read(std::str::from_utf8(text).ok()?).ok()
}
