//! What the benches share: timing by the median of repeated runs, a tiny deterministic random
//! source, and runs loaded from ingest's synthesizer. Each bench includes this file with
//! `#[path = "common/mod.rs"] mod common;` and uses a part of it.
#![allow(dead_code)]

use spoor::ingest::synth::{otlp_json, Synth};
use spoor::ingest::{load, InputFile};
use spoor::model::Workspace;
use std::time::Instant;

/// Wall-clock seconds of repeated runs of one piece of work, sorted, so one slow run (a page
/// fault, another process) does not move the figure: benches report the median.
pub struct Timings(Vec<f64>);

impl Timings {
    /// Runs `work` `reps` times (at least once) and keeps each run's time.
    pub fn of(reps: usize, work: impl FnMut()) -> Self {
        Self::of_checked(reps, work, drop)
    }

    /// Like [`Timings::of`], but what `work` returns goes to `after` outside the timed part:
    /// checks on the result, and dropping a large result, do not count as the work's time.
    pub fn of_checked<T>(
        reps: usize,
        mut work: impl FnMut() -> T,
        mut after: impl FnMut(T),
    ) -> Self {
        let mut times = Vec::with_capacity(reps.max(1));
        for _ in 0..reps.max(1) {
            let t0 = Instant::now();
            let out = work();
            times.push(t0.elapsed().as_secs_f64());
            after(out);
        }
        times.sort_by(f64::total_cmp);
        Timings(times)
    }

    /// Times measured elsewhere (e.g. one stage of a longer piece of work).
    pub fn from(mut times: Vec<f64>) -> Self {
        times.sort_by(f64::total_cmp);
        Timings(times)
    }

    /// The middle run, in seconds.
    pub fn median(&self) -> f64 {
        self.0[self.0.len() / 2]
    }

    /// The fastest run, in seconds.
    pub fn min(&self) -> f64 {
        self.0[0]
    }

    /// The slowest run, in seconds.
    pub fn max(&self) -> f64 {
        self.0[self.0.len() - 1]
    }
}

/// xorshift64: the benches' generated content must be the same from one build to the next, so
/// figures compare; no randomness crate needed for that.
pub struct XorShift(pub u64);

impl XorShift {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One synthetic OTLP trace of exactly `spans` spans, loaded through the real importer, so ids,
/// attribute keys and times look like a real export.
pub fn synth_workspace(spans: usize, seed: u64) -> Workspace {
    let doc = otlp_json(Synth {
        spans,
        traces: 1,
        seed,
    });
    load(&[InputFile {
        name: "synth.json",
        bytes: doc.as_bytes(),
    }])
}
