//! Reading one file: size limit, empty files, BOM, UTF-8, document vs JSON lines, and handing
//! each document (or line) to the importer its detected format calls for.

use super::{detect, json_error, otlp, Fragment, ImportCtx, InputFile};
#[cfg(feature = "formats")]
use super::{jaeger, langfuse, seed000, seed001, seed002, seed003};
use crate::model::{FileId, Format, Problem, Severity, SourceFile};
use crate::num::Fixed;

/// What reading one file produced, before assembly.
pub(crate) struct Outcome {
    pub source: SourceFile,
    pub fragment: Fragment,
    pub problems: Vec<Problem>,
    /// Left unread for the formats module: asked to read only OTLP, the file (or one of its
    /// lines) is in another format. Nothing else in the outcome counts then.
    pub deferred: bool,
}

/// Bad lines of a JSON-lines file reported one by one; past this, one summary says how many more.
const MAX_LINE_PROBLEMS: usize = 20;

/// Reads one file; with `otlp_only`, a file in any other format is only recognised, and left
/// for the formats module ([`Outcome::deferred`]).
pub(crate) fn read_file(file: &InputFile, id: FileId, limit: u64, otlp_only: bool) -> Outcome {
    let mut ctx = ImportCtx {
        file: id,
        file_name: file.name,
        out: Fragment::default(),
        problems: Vec::new(),
    };
    let mut formats = Vec::new();
    let mut deferred = false;
    if let Some(text) = check_bytes(file.bytes, limit, &mut ctx) {
        deferred = read_text(text, &mut ctx, &mut formats, otlp_only);
    }
    for run in &mut ctx.out.runs {
        if !run.files.contains(&id) {
            run.files.push(id);
        }
    }
    let source = SourceFile {
        name: file.name.to_string(),
        size: file.bytes.len() as u64,
        formats,
        spans: ctx.out.runs.iter().map(|r| r.spans.len() as u64).sum(),
        content_hash: 0,
    };
    Outcome {
        source,
        fragment: ctx.out,
        problems: ctx.problems,
        deferred,
    }
}

/// A fast 64-bit hash of the bytes (8 bytes per step), to recognise a file dropped twice.
pub(crate) fn content_hash(bytes: &[u8]) -> u64 {
    let mut h = ContentHasher::new(bytes.len() as u64);
    h.update(bytes);
    h.finish()
}

/// [`content_hash`] fed piece by piece, for a file read in chunks: the same bytes give the same
/// hash however they were cut.
pub(crate) struct ContentHasher {
    h: u64,
    /// Bytes of an unfinished 8-byte word, carried to the next piece.
    carry: [u8; 8],
    carried: usize,
}

const HASH_K: u64 = 0x9E37_79B9_7F4A_7C15;

impl ContentHasher {
    /// The file's total size goes into the hash first, so it must be known up front.
    pub(crate) fn new(size: u64) -> Self {
        ContentHasher {
            h: 0xCBF2_9CE4_8422_2325 ^ size.wrapping_mul(HASH_K),
            carry: [0; 8],
            carried: 0,
        }
    }

    fn word(&mut self, w: [u8; 8]) {
        self.h = (self.h ^ u64::from_le_bytes(w))
            .wrapping_mul(HASH_K)
            .rotate_left(29);
    }

    pub(crate) fn update(&mut self, mut bytes: &[u8]) {
        if self.carried > 0 {
            let take = (8 - self.carried).min(bytes.len());
            self.carry[self.carried..self.carried + take].copy_from_slice(&bytes[..take]);
            self.carried += take;
            bytes = &bytes[take..];
            if self.carried < 8 {
                return;
            }
            self.word(self.carry);
            self.carried = 0;
        }
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.word(w);
        }
        let rest = chunks.remainder();
        self.carry[..rest.len()].copy_from_slice(rest);
        self.carried = rest.len();
    }

    pub(crate) fn finish(self) -> u64 {
        let mut h = self.h;
        for &b in &self.carry[..self.carried] {
            h = (h ^ u64::from(b)).wrapping_mul(HASH_K).rotate_left(29);
        }
        h ^ (h >> 32)
    }
}

/// Refuses what cannot be text we read; returns the text without its BOM.
fn check_bytes<'b>(bytes: &'b [u8], limit: u64, ctx: &mut ImportCtx) -> Option<&'b str> {
    let size = bytes.len() as u64;
    if size > limit {
        ctx.problem(
            Severity::Error,
            None,
            format!(
                "the file is too big to open: it is {}, and Spoor opens files up to {} \
                 (split it, or export only the traces you need)",
                human_size(size),
                human_size(limit)
            ),
        );
        return None;
    }
    if bytes.is_empty() {
        ctx.problem(
            Severity::Error,
            None,
            "the file is empty (0 bytes): nothing to load",
        );
        return None;
    }
    let (body, skipped) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, 3),
        None => (bytes, 0),
    };
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let byte = body.get(at).copied().unwrap_or(0);
            let (line, column) = json_error::line_col(
                std::str::from_utf8(body.get(..at).unwrap_or_default()).unwrap_or_default(),
                at,
            );
            let hint = if body.starts_with(&[0x1f, 0x8b]) {
                " It looks gzip-compressed: unpack it first."
            } else {
                " Spoor reads JSON text; is this a binary or compressed file?"
            };
            ctx.problem(
                Severity::Error,
                Some(format!("byte offset {}", at + skipped)),
                format!(
                    "the file is not UTF-8 text: byte 0x{byte:02X} at byte offset {} (line {line}, \
                     column {column}) is not valid UTF-8, so nothing was loaded.{hint}",
                    at + skipped
                ),
            );
            return None;
        }
    };
    if text.trim().is_empty() {
        ctx.problem(
            Severity::Error,
            None,
            "the file holds only blank space: nothing to load",
        );
        return None;
    }
    Some(text)
}

fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{} {}", Fixed(value, 1), UNITS[unit])
    }
}

/// The format of a sniffed document, or why it has none; `None` when it is left for the formats
/// module: reading only OTLP (always so in a build without the `formats` feature), anything
/// else, a known format or none, is told apart and explained there, as [`detect::classify`]
/// does.
fn verdict(shape: &detect::Shape, otlp_only: bool) -> Option<Result<Format, String>> {
    if otlp_only || cfg!(not(feature = "formats")) {
        return detect::is_otlp(shape).then_some(Ok(Format::Otlp));
    }
    Some(detect::classify(shape))
}

/// Reads a file's text; returns whether it was left for the formats module (see [`read_file`]).
fn read_text(text: &str, ctx: &mut ImportCtx, formats: &mut Vec<Format>, otlp_only: bool) -> bool {
    match detect::sniff(text) {
        Ok(shape) => match verdict(&shape, otlp_only) {
            None => return true,
            Some(Ok(format)) => {
                formats.push(format);
                import_document(format, text, None, ctx);
            }
            Some(Err(why)) => ctx.problem(Severity::Error, None, why),
        },
        Err(_) if looks_like_lines(text) => return read_lines(text, ctx, formats, otlp_only),
        Err(doc_err) => {
            let e = json_error::describe(&doc_err, 1);
            ctx.problem(
                Severity::Error,
                Some(e.place()),
                format!("not readable as JSON: {}; nothing was loaded", e.message()),
            );
        }
    }
    false
}

/// JSON lines rather than a broken document: one of the first two non-empty lines is a whole
/// JSON object or list on its own (a pretty-printed document's lines never are).
fn looks_like_lines(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first_two: Vec<&str> = lines.by_ref().take(2).collect();
    first_two.len() == 2
        && first_two.iter().any(|l| {
            detect::sniff_kind(l)
                .is_some_and(|k| matches!(k, detect::Kind::Object | detect::Kind::Array))
        })
}

/// Reads JSON lines; returns whether the file was left for the formats module (see
/// [`read_file`]): the lines of a file are in one format as a rule, so the first line in another
/// format sends it all there.
fn read_lines(text: &str, ctx: &mut ImportCtx, formats: &mut Vec<Format>, otlp_only: bool) -> bool {
    let mut bad = 0usize;
    let mut first_bad = None;
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let verdict = detect::sniff(line)
            .map_err(|e| {
                let e = json_error::describe(&e, i + 1);
                (
                    Some(e.place()),
                    format!("not readable as JSON: {}", e.message()),
                )
            })
            .and_then(|shape| match verdict(&shape, otlp_only) {
                None => Ok(None),
                Some(Ok(format)) => Ok(Some(format)),
                Some(Err(why)) => Err((Some(format!("line {n}")), why)),
            });
        match verdict {
            Ok(None) => return true,
            Ok(Some(format)) => {
                if !formats.contains(&format) {
                    formats.push(format);
                }
                import_document(format, line, Some(n), ctx);
            }
            Err((place, why)) => {
                bad += 1;
                first_bad.get_or_insert(n);
                if bad <= MAX_LINE_PROBLEMS {
                    ctx.problem(
                        Severity::Error,
                        place,
                        format!("line {n} was skipped ({why}); the other lines were loaded"),
                    );
                }
            }
        }
    }
    if bad > MAX_LINE_PROBLEMS {
        ctx.problem(
            Severity::Error,
            first_bad.map(|n| format!("line {n}")),
            format!(
                "{} more lines could not be read and were skipped ({bad} in all)",
                bad - MAX_LINE_PROBLEMS
            ),
        );
    }
    false
}

/// Hands one detected document (a whole file, or one line of a JSON-lines file) to its importer.
fn import_document(format: Format, text: &str, line: Option<u32>, ctx: &mut ImportCtx) {
    match format {
        Format::Otlp => otlp::import(text, line, ctx),
        // A build without the `formats` feature detects nothing else (see `verdict`).
        #[cfg(feature = "formats")]
        _ => import_other(format, text, line, ctx),
        #[cfg(not(feature = "formats"))]
        _ => {}
    }
}

/// The importers of every format but OTLP.
#[cfg(feature = "formats")]
fn import_other(format: Format, text: &str, line: Option<u32>, ctx: &mut ImportCtx) {
    let doc: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let e = json_error::describe(&e, line.map_or(1, |l| l as usize));
            ctx.problem(Severity::Error, Some(e.place()), e.message());
            return;
        }
    };
    match format {
        // OTLP was read above; a share link's run never comes from a file (detection never
        // says SpoorRun).
        Format::Otlp | Format::SpoorRun => {}
        Format::Jaeger => jaeger::import(&doc, ctx),
        Format::Langfuse => langfuse::import(&doc, ctx),
        Format::Seed000Traces
        | Format::Seed000Log
        | Format::Seed000Tokens
        | Format::Seed000Metrics => seed000::import(format, &doc, line, ctx),
        Format::Seed001AgentRun => seed001::import(format, &doc, line, ctx),
        Format::Seed002ObserverTrace
        | Format::Seed002ObserverMetrics
        | Format::Seed002InvestigationLog
        | Format::Seed002InvestigationResult
        | Format::Seed002ReliabilityStats => seed002::import(format, &doc, line, ctx),
        Format::Seed003Tools
        | Format::Seed003Sessions
        | Format::Seed003Decisions
        | Format::Seed003Events => seed003::import(format, &doc, line, ctx),
    }
}
