//! OTLP JSON lines (one document per line, as the OpenTelemetry Collector's file exporter writes
//! them) read chunk by chunk: each line is imported as soon as it is complete, so the file never
//! sits in memory whole.
//!
//! Like [`super::stream`], a fast path that gives exactly what the whole-file reader gives or
//! gives up: a line that is not OTLP, any problem the importer reports, text that is not UTF-8,
//! or a file of a single line (which the whole-file reader reads as one document) all make
//! [`OtlpLines::finish`] return `None`, and the caller reads the file whole.

use super::stream::{OtlpStream, Progress};
use crate::ingest::{detect, Fragment, ImportCtx};
use crate::model::{FileId, Run};

pub struct OtlpLines {
    file: FileId,
    /// Text after the last line break seen: the start of the next line.
    carry: Vec<u8>,
    /// Index of the next line (0-based, blank lines counted), as the whole-file reader counts.
    next: usize,
    /// Lines that were not blank.
    lines: usize,
    out: Fragment,
    progress: Progress,
}

impl OtlpLines {
    /// Whether a file starting with `head` (BOM removed) is OTLP JSON lines: its first line that
    /// is not blank is a whole OTLP document on its own.
    pub fn fits(head: &[u8]) -> bool {
        let mut lines = head.split(|&b| b == b'\n');
        let Some(first) = lines.by_ref().find(|l| !l.trim_ascii().is_empty()) else {
            return false;
        };
        // The line must end inside `head`, so that it is known whole.
        let whole = lines.next().is_some();
        let Ok(text) = std::str::from_utf8(first) else {
            return false;
        };
        whole && OtlpStream::fits(first) && is_otlp(text)
    }

    pub fn new(file: FileId) -> Self {
        OtlpLines {
            file,
            carry: Vec::new(),
            next: 0,
            lines: 0,
            out: Fragment::default(),
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
        // Only the new bytes can hold a line break: the carried ones were searched already.
        let searched = self.carry.len();
        self.carry.extend_from_slice(chunk);
        let mut carry = std::mem::take(&mut self.carry);
        let mut start = 0;
        let mut from = searched;
        while let Some(end) = carry[from..].iter().position(|&b| b == b'\n') {
            self.line(&carry[start..from + end]);
            start = from + end + 1;
            from = start;
        }
        carry.drain(..start);
        self.carry = carry;
    }

    fn line(&mut self, bytes: &[u8]) {
        let i = self.next;
        self.next += 1;
        if self.progress.failed {
            return;
        }
        let Ok(raw) = std::str::from_utf8(bytes) else {
            self.progress.failed = true;
            return;
        };
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            return;
        }
        self.lines += 1;
        if !is_otlp(line) {
            self.progress.failed = true;
            return;
        }
        let mut ctx = ImportCtx {
            file: self.file,
            file_name: "",
            out: std::mem::take(&mut self.out),
            problems: Vec::new(),
        };
        // Each line's spans go into runs of their own, appended here (assembly merges them).
        let first_new = ctx.out.runs.len();
        super::import(
            line,
            Some(u32::try_from(i + 1).unwrap_or(u32::MAX)),
            &mut ctx,
        );
        self.progress.spans += (ctx.out.runs[first_new..].iter())
            .map(|r| r.spans.len())
            .sum::<usize>();
        self.progress.failed |= !ctx.problems.is_empty();
        self.out = ctx.out;
    }

    /// The runs read (one per trace and line; assembly merges them), or `None` when the file
    /// must be read whole instead (see the module notes).
    pub fn finish(mut self) -> Option<Vec<Run>> {
        let last = std::mem::take(&mut self.carry);
        if !last.is_empty() {
            self.line(&last);
        }
        if !self.progress.complete() || self.lines < 2 {
            return None;
        }
        Some(self.out.runs)
    }
}

/// The whole-file reader's own test for a line: JSON, detected as OTLP.
fn is_otlp(line: &str) -> bool {
    detect::sniff(line).is_ok_and(|shape| detect::is_otlp(&shape))
}
