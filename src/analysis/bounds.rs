//! Run bounds and effective span ends: the one place that decides how long a run lasted and
//! where a never-ended span stops, so every module agrees.

use crate::model::{Run, Span};
use serde::Serialize;

/// The run's time extent in ns since the epoch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RunBounds {
    pub start_ns: i64,
    pub end_ns: i64,
}

impl RunBounds {
    /// Bounds as the source states them, widened to cover every span: a source's own run bounds
    /// are sometimes rounded (seed 002 keeps whole seconds) and must not cut spans off. A run with
    /// neither stated bounds nor spans has zero length at 0.
    pub fn of(run: &Run) -> RunBounds {
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        for s in &run.spans {
            lo = lo.min(s.start_ns);
            hi = hi.max(s.end_ns.unwrap_or(s.start_ns)).max(s.start_ns);
        }
        RunBounds::from_extent(run, lo, hi)
    }

    /// Bounds from the spans' extent (`lo` = earliest start, `hi` = latest end or start;
    /// `i64::MAX`/`i64::MIN` for no spans) and the run's stated bounds.
    pub fn from_extent(run: &Run, lo: i64, hi: i64) -> RunBounds {
        let mut start = run.start_ns.unwrap_or(i64::MAX).min(lo);
        let mut end = run.end_ns.unwrap_or(i64::MIN).max(hi);
        if start == i64::MAX {
            start = run.end_ns.unwrap_or(0);
        }
        if end == i64::MIN || end < start {
            end = start;
        }
        RunBounds {
            start_ns: start,
            end_ns: end,
        }
    }

    pub fn duration_ns(&self) -> i64 {
        self.end_ns - self.start_ns
    }
}

/// A span's end for timing purposes: its own end, or the run's end while it is still running.
/// Never before the span's start.
pub fn effective_end(span: &Span, bounds: &RunBounds) -> i64 {
    span.end_ns.unwrap_or(bounds.end_ns).max(span.start_ns)
}

/// A span's duration for timing purposes (see [`effective_end`]).
pub fn effective_duration(span: &Span, bounds: &RunBounds) -> i64 {
    effective_end(span, bounds) - span.start_ns
}
