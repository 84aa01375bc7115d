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

use crate::model::{FileId, Problem, Run};

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

/// Per-file state handed to an importer.
pub struct ImportCtx<'a> {
    pub file: FileId,
    pub file_name: &'a str,
    pub out: Fragment,
    pub problems: Vec<Problem>,
}

pub mod seed_join;
pub mod semconv;
