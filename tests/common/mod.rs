//! Helpers the integration tests share: loading the shared fixture files, finding runs and spans
//! in what loaded, and counting what a run holds. Each test crate includes this file with
//! `mod common;` and uses only a part of it, so unused helpers are not warned about.
#![allow(dead_code)]

use serde_json::Value;
use spoor::analysis::{Anomaly, AnomalyKind, RunAnalysis};
use spoor::ingest::{load, Fragment, ImportCtx, InputFile};
use spoor::model::{
    FileId, MetricValue, Problem, Run, Severity, Span, SpanKind, Status, Workspace,
};
use std::path::Path;

/// The shared fixture folder, relative to the crate root (where `cargo test` runs).
pub const FIXTURES: &str = "../shared/fixtures";

/// Seed 000's scenario folders (`seed-formats/seed000-code-review-agent/<scenario>`), each with
/// the same four files.
pub const SEED000_SCENARIOS: [&str; 5] = [
    "a_success",
    "b_errors",
    "c_loop",
    "d_llm_exception",
    "e_two_runs",
];

/// The bytes of a fixture file given relative to [`FIXTURES`]; a missing fixture fails the test
/// with its path rather than passing on nothing.
pub fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{FIXTURES}/{path}");
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// A fixture file parsed as JSON, for tests that hand a document straight to one importer.
pub fn fixture_json(path: &str) -> Value {
    serde_json::from_slice(&fixture(path)).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

/// Loads in-memory files under the names given, as a user dropping them at once would: the names
/// are what problems and the file list show, so tests choose them.
pub fn load_files<N: AsRef<str>, B: AsRef<[u8]>>(files: &[(N, B)]) -> Workspace {
    let inputs: Vec<InputFile> = files
        .iter()
        .map(|(name, bytes)| InputFile {
            name: name.as_ref(),
            bytes: bytes.as_ref(),
        })
        .collect();
    load(&inputs)
}

/// Loads one in-memory file under `name`.
pub fn load_one(name: &str, bytes: &[u8]) -> Workspace {
    load_files(&[(name, bytes)])
}

/// Loads one fixture, named by its path relative to [`FIXTURES`] (as problems will show it).
pub fn load_fixture(path: &str) -> Workspace {
    load_one(path, &fixture(path))
}

/// Reads files from disk and loads them together, each named by the path it was read from.
pub fn load_paths<P: AsRef<str>>(paths: &[P]) -> Workspace {
    let files: Vec<(&str, Vec<u8>)> = paths
        .iter()
        .map(|p| {
            let p = p.as_ref();
            (p, std::fs::read(p).unwrap_or_else(|e| panic!("{p}: {e}")))
        })
        .collect();
    load_files(&files)
}

/// Loads some files of one folder together (a seed scenario's files), each named by its full path.
pub fn load_in(dir: &str, files: &[&str]) -> Workspace {
    let paths: Vec<String> = files.iter().map(|f| format!("{dir}/{f}")).collect();
    load_paths(&paths)
}

/// Loads every file of a fixture folder (relative to [`FIXTURES`]) in name order, as dropping the
/// whole folder would.
pub fn load_dir(dir: &str) -> Workspace {
    let mut paths: Vec<String> = std::fs::read_dir(Path::new(FIXTURES).join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("dir entry").path().display().to_string())
        .collect();
    paths.sort();
    load_paths(&paths)
}

/// Runs one importer on a parsed document, without detection or assembly, and returns what it
/// produced: for checking an importer's own output and the places its problems name.
pub fn import_doc(
    import: fn(&Value, &mut ImportCtx),
    file: FileId,
    file_name: &str,
    doc: &Value,
) -> (Vec<Run>, Vec<Problem>) {
    let mut ctx = ImportCtx {
        file,
        file_name,
        out: Fragment::default(),
        problems: Vec::new(),
    };
    import(doc, &mut ctx);
    (ctx.out.runs, ctx.problems)
}

/// Loads each malformed document alone (as `bad<i>.<ext>`) and asserts each gives at least one
/// problem: broken input must be reported, and must not panic.
pub fn assert_each_gives_a_problem(cases: &[&str], ext: &str) {
    for (i, c) in cases.iter().enumerate() {
        let ws = load_one(&format!("bad{i}.{ext}"), c.as_bytes());
        assert!(!ws.problems.is_empty(), "case {i} gave no problem");
    }
}

/// The run with exactly this id; fails the test when there is none.
pub fn run_by_id<'a>(ws: &'a Workspace, id: &str) -> &'a Run {
    ws.runs
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no run {id}"))
}

/// The run whose id starts with `prefix`: fixture comments quote ids shortened.
pub fn run_by_id_prefix<'a>(ws: &'a Workspace, prefix: &str) -> &'a Run {
    ws.runs
        .iter()
        .find(|r| r.id.starts_with(prefix))
        .unwrap_or_else(|| panic!("no run {prefix}"))
}

/// The run with this name, for runs whose ids are made up at load time (side files alone).
pub fn run_by_name<'a>(ws: &'a Workspace, name: &str) -> &'a Run {
    ws.runs
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no run named {name}"))
}

/// The span with this id in a run: expected figures name spans by the ids in the file.
pub fn span_by_id<'a>(run: &'a Run, id: &str) -> &'a Span {
    run.spans
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no span {id}"))
}

/// The span with this id in any run: hand-written documents know ids, not positions.
pub fn span_anywhere<'a>(ws: &'a Workspace, id: &str) -> &'a Span {
    ws.runs
        .iter()
        .flat_map(|r| &r.spans)
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no span {id}"))
}

/// The position of the span with this id in its run, for figures indexed by span.
pub fn span_index(run: &Run, id: &str) -> usize {
    run.spans
        .iter()
        .position(|s| s.id == id)
        .unwrap_or_else(|| panic!("no span {id}"))
}

/// Span ids for span indices, so expected trees and paths read as ids.
pub fn span_ids(run: &Run, indices: &[u32]) -> Vec<String> {
    indices
        .iter()
        .map(|&i| run.spans[i as usize].id.clone())
        .collect()
}

/// How many spans of a run have this kind.
pub fn count_kind(run: &Run, kind: SpanKind) -> usize {
    run.spans.iter().filter(|s| s.kind == kind).count()
}

/// How many spans of a run failed.
pub fn error_spans(run: &Run) -> usize {
    run.spans
        .iter()
        .filter(|s| s.status == Status::Error)
        .count()
}

/// How many spans failed across all runs of a workspace.
pub fn error_spans_in(ws: &Workspace) -> usize {
    ws.runs.iter().map(error_spans).sum()
}

/// Input and output tokens summed over a run's spans, as a fixture's own sums count them.
pub fn input_output_tokens(run: &Run) -> (u64, u64) {
    let i = run.spans.iter().filter_map(|s| s.usage.input).sum();
    let o = run.spans.iter().filter_map(|s| s.usage.output).sum();
    (i, o)
}

/// A run's numeric metric by name (`None` when missing or not a single number).
pub fn metric_number(run: &Run, name: &str) -> Option<f64> {
    run.metrics
        .iter()
        .find(|m| m.name == name)
        .and_then(|m| match m.value {
            MetricValue::Number(x) => Some(x),
            _ => None,
        })
}

/// Asserts a float equals the figure python3 printed, to a relative 1e-12: serde_json's default
/// float parsing may differ from Python's in the last digit.
pub fn assert_near(got: Option<f64>, want: f64) {
    let g = got.expect("a value");
    assert!((g - want).abs() <= want.abs() * 1e-12, "{g} != {want}");
}

/// The problems of severity error (whatever cost data), in order.
pub fn error_problems(ws: &Workspace) -> Vec<&Problem> {
    ws.problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .collect()
}

/// The one error a refused file must produce; fails the test when there are none or several.
pub fn only_error(ws: &Workspace) -> &Problem {
    let errors = error_problems(ws);
    assert_eq!(errors.len(), 1, "{:?}", ws.problems);
    errors[0]
}

/// The anomalies of one kind an analysis found, in order.
pub fn anomalies_of(a: &RunAnalysis, kind: AnomalyKind) -> Vec<&Anomaly> {
    a.anomalies.iter().filter(|x| x.kind == kind).collect()
}

/// Whether an analysis found an anomaly of this kind.
pub fn has_anomaly(a: &RunAnalysis, kind: AnomalyKind) -> bool {
    a.anomalies.iter().any(|x| x.kind == kind)
}

/// A pace check that rests at every look, with a rest that is pending once (as the page's waits
/// for the browser), counting the rests and recording each stage entered: paced work must come
/// out the same however often it is cut.
pub fn rest_at_every_look<'a>(
    rests: &'a std::cell::Cell<usize>,
    stages: &'a std::cell::RefCell<Vec<&'static str>>,
) -> impl FnMut(&'static str) -> Option<spoor::pace::Rest> + 'a {
    move |stage| {
        rests.set(rests.get() + 1);
        let mut seen = stages.borrow_mut();
        if seen.last() != Some(&stage) {
            seen.push(stage);
        }
        let mut polled = false;
        Some(Box::pin(std::future::poll_fn(move |_| {
            if std::mem::replace(&mut polled, true) {
                std::task::Poll::Ready(())
            } else {
                std::task::Poll::Pending
            }
        })))
    }
}
