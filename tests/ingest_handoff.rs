//! The page reads OTLP itself and hands every other file to the formats worker
//! (`ingest::handoff`). What it ends up with must be what one module reading everything makes:
//! the same runs, field for field, the same files and the same problems. Checked on the shared
//! fixtures, dropped at once and in batches (a seed log dropped after its traces, with an OTLP
//! file between them).

mod common;

use common::{fixture, FIXTURES};
use spoor::ingest::{add_files, add_otlp_files, handoff, InputFile};
use spoor::model::{Run, Workspace};

type Batch = Vec<(String, Vec<u8>)>;

fn batch(paths: &[&str]) -> Batch {
    paths.iter().map(|p| (p.to_string(), fixture(p))).collect()
}

fn inputs(batch: &[(String, Vec<u8>)]) -> Vec<InputFile<'_>> {
    batch
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect()
}

/// Every batch read by one module, as the CLI does.
fn in_one_module(batches: &[Batch]) -> Workspace {
    let mut ws = Workspace::default();
    for b in batches {
        add_files(&mut ws, &inputs(b));
    }
    ws
}

/// Every batch read as the page does: OTLP by the page, the rest by the worker's workspace,
/// whose answer crosses as bytes. Returns the page's workspace and how many files the worker got.
fn in_two_modules(batches: &[Batch]) -> (Workspace, usize) {
    let (mut page, mut worker) = (Workspace::default(), Workspace::default());
    let mut handed = 0;
    for b in batches {
        let files = inputs(b);
        let own = add_otlp_files(&mut page, &files);
        if own.deferred.is_empty() {
            continue;
        }
        let others: Vec<InputFile> = own
            .deferred
            .iter()
            .map(|&i| InputFile {
                name: files[i].name,
                bytes: files[i].bytes,
            })
            .collect();
        handed += others.len();
        let answer = handoff::read_batch(&mut worker, page.files.len(), &others);
        handoff::apply_batch(&mut page, &answer).expect("the answer applies");
    }
    (page, handed)
}

fn json(run: &Run) -> String {
    serde_json::to_string(run).expect("a run serializes")
}

fn problems(ws: &Workspace) -> Vec<String> {
    let mut v: Vec<String> = ws.problems.iter().map(|p| format!("{p:?}")).collect();
    v.sort();
    v
}

/// The two ways give the same workspace; returns it, for checks of its own.
fn assert_same(batches: &[Batch]) -> Workspace {
    let one = in_one_module(batches);
    let (two, _) = in_two_modules(batches);
    let ids = |ws: &Workspace| ws.runs.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&two), ids(&one), "run order");
    for (a, b) in two.runs.iter().zip(&one.runs) {
        assert_eq!(json(a), json(b), "run {}", b.id);
    }
    let files = |ws: &Workspace| format!("{:?}", ws.files);
    assert_eq!(files(&two), files(&one));
    assert_eq!(problems(&two), problems(&one));
    assert_eq!(two.span_count(), one.span_count());
    one
}

fn fixture_files(dir: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(format!("{FIXTURES}/{dir}"))
        .expect("fixture dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e != "md"))
        .map(|p| {
            p.strip_prefix(FIXTURES)
                .expect("under fixtures")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    v.sort();
    v
}

const SEED000: &str = "seed-formats/seed000-code-review-agent";
const OTLP: &str = "otlp/otel-proto-example-trace.json";

#[test]
fn every_fixture_folder_reads_the_same_through_the_worker() {
    let mut dirs = vec![
        "jaeger".to_string(),
        "langfuse".into(),
        "otlp".into(),
        "otlp/agent-prism".into(),
        "seed-formats/seed001-agenttracer".into(),
        "seed-formats/seed002-sre-agent".into(),
        "seed-formats/seed003-ts-four-pillars".into(),
    ];
    for scenario in common::SEED000_SCENARIOS {
        dirs.push(format!("{SEED000}/{scenario}"));
    }
    for dir in &dirs {
        let files = fixture_files(dir);
        let paths: Vec<&str> = files.iter().map(String::as_str).collect();
        // A folder that read nothing would compare equal too.
        assert!(assert_same(&[batch(&paths)]).span_count() > 0, "{dir}");
    }
}

#[test]
fn all_fixtures_at_once_read_the_same_and_only_otlp_stays_in_the_page() {
    let mut all: Vec<String> = Vec::new();
    for dir in ["otlp", "otlp/agent-prism", "jaeger", "langfuse"] {
        all.extend(fixture_files(dir));
    }
    for dir in [
        "seed-formats/seed001-agenttracer",
        "seed-formats/seed002-sre-agent",
        "seed-formats/seed003-ts-four-pillars",
        &format!("{SEED000}/b_errors"),
    ] {
        all.extend(fixture_files(dir));
    }
    let paths: Vec<&str> = all.iter().map(String::as_str).collect();
    let batches = [batch(&paths)];
    assert_same(&batches);
    let (_, handed) = in_two_modules(&batches);
    let otlp = fixture_files("otlp").len() + fixture_files("otlp/agent-prism").len();
    assert_eq!(handed, all.len() - otlp, "every file but the OTLP ones");
}

#[test]
fn side_files_dropped_later_join_runs_the_worker_read_before() {
    let dir = format!("{SEED000}/b_errors");
    let traces = format!("{dir}/traces.json");
    let side: Vec<String> = ["log.json", "tokens.json", "metrics.json"]
        .map(|f| format!("{dir}/{f}"))
        .into();
    let side: Vec<&str> = side.iter().map(String::as_str).collect();
    // An OTLP file in between: its file id is the page's, and the worker must skip it.
    let batches = [batch(&[&traces]), batch(&[OTLP]), batch(&side)];
    let ws = assert_same(&batches);
    // The log's entries joined the traces' run: its logs are there (b_errors/log.json has 30
    // entries, `python3 -c "import json; print(len(json.load(open('log.json'))))"`).
    let run = ws
        .runs
        .iter()
        .find(|r| r.format == Some(spoor::model::Format::Seed000Traces))
        .expect("the traces' run");
    assert!(!run.logs.is_empty(), "the log joined the run read earlier");
}

#[test]
fn seed003_sessions_then_their_side_files() {
    let dir = "seed-formats/seed003-ts-four-pillars";
    let later: Vec<String> = ["tools.jsonl", "decisions.jsonl", "events.jsonl"]
        .map(|f| format!("{dir}/{f}"))
        .into();
    let later: Vec<&str> = later.iter().map(String::as_str).collect();
    assert_same(&[batch(&[&format!("{dir}/sessions.jsonl")]), batch(&later)]);
}

#[test]
fn a_file_dropped_again_is_recognised_by_the_page() {
    let jaeger = "jaeger/genai-test-trace.json";
    let ws = assert_same(&[batch(&[jaeger]), batch(&[OTLP]), batch(&[jaeger])]);
    assert!(ws
        .problems
        .iter()
        .any(|p| p.message.starts_with("already loaded")));
}

#[test]
fn a_damaged_answer_is_an_error_never_a_panic() {
    let mut worker = Workspace::default();
    let b = batch(&["jaeger/genai-test-trace.json"]);
    let answer = handoff::read_batch(&mut worker, 0, &inputs(&b));
    assert!(handoff::apply_batch(&mut Workspace::default(), &answer).is_ok());
    for cut in 0..answer.len() {
        let mut page = Workspace::default();
        assert!(
            handoff::apply_batch(&mut page, &answer[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    let mut longer = answer.clone();
    longer.push(0);
    assert!(handoff::apply_batch(&mut Workspace::default(), &longer).is_err());
}

#[test]
fn a_run_in_both_an_otlp_file_and_a_worker_file_is_shown_twice_with_a_warning() {
    // The Jaeger fixture's one trace (traceID 4a1b…e8f9, 57 spans) and one OTLP span in it.
    let otlp = br#"{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"spans":[
        {"traceId":"4a1b2c3d4e5f60718293a4b5c6d7e8f9","spanId":"00000000000000aa","name":"otlp side",
         "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000001000000000"}]}]}]}"#;
    let batches = [
        vec![("one.json".to_string(), otlp.to_vec())],
        batch(&["jaeger/genai-test-trace.json"]),
    ];
    let one = in_one_module(&batches);
    assert_eq!(one.runs.len(), 1, "one module merges them");
    let (two, _) = in_two_modules(&batches);
    let id = "4a1b2c3d4e5f60718293a4b5c6d7e8f9";
    let spans = |id: &str| {
        let run = two.runs.iter().find(|r| r.id == id).expect("run");
        run.spans.len()
    };
    assert_eq!((spans(id), spans(&format!("{id} (2)"))), (1, 57));
    // Not a span lost: both ways show every span read.
    assert_eq!(two.span_count(), one.span_count());
    assert!(two.problems.iter().any(|p| p.message
        == format!("run {id} is also in an OTLP file; the two are shown as separate runs, this one as {id} (2)")));
}

#[test]
fn a_worker_left_from_a_replaced_workspace_starts_again() {
    // The worker read a Jaeger file for a page that then started afresh (a link, Clear) without
    // the worker hearing of it: the next batch must not give the page ids of files it never had.
    let mut worker = Workspace::default();
    let jaeger = batch(&["jaeger/genai-test-trace.json"]);
    handoff::read_batch(&mut worker, 0, &inputs(&jaeger));
    let b = batch(&["seed-formats/seed001-agenttracer/run_partial.json"]);
    let mut page = Workspace::default();
    let answer = handoff::read_batch(&mut worker, 0, &inputs(&b));
    handoff::apply_batch(&mut page, &answer).expect("applies");
    let names: Vec<&str> = page.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["seed-formats/seed001-agenttracer/run_partial.json"]);
    assert_eq!(page.runs.len(), 1);
}

/// A Jaeger document of one trace with `n` spans, each the child of the one before.
fn jaeger_chain(n: usize) -> Vec<u8> {
    let spans: Vec<String> = (0..n)
        .map(|i| {
            let parent = if i == 0 {
                String::new()
            } else {
                format!(r#"{{"refType":"CHILD_OF","traceID":"ab12","spanID":"{:016x}"}}"#, i - 1)
            };
            format!(
                r#"{{"traceID":"ab12","spanID":"{i:016x}","operationName":"step {i}","references":[{parent}],"startTime":{},"duration":5,"tags":[],"logs":[],"processID":"p1"}}"#,
                1_700_000_000_000_000u64 + i as u64
            )
        })
        .collect();
    format!(
        r#"{{"data":[{{"traceID":"ab12","spans":[{}],"processes":{{"p1":{{"serviceName":"svc"}}}}}}]}}"#,
        spans.join(",")
    )
    .into_bytes()
}

#[test]
fn an_answer_applied_with_a_rest_at_every_look_equals_the_one_call() {
    use spoor::pace::{block_on, Pace};
    use std::cell::{Cell, RefCell};
    let files = vec![("chain.json".to_string(), jaeger_chain(5_000))];
    let answer = handoff::read_batch(&mut Workspace::default(), 0, &inputs(&files));
    let mut once = Workspace::default();
    handoff::apply_batch(&mut once, &answer).expect("applies");
    assert_eq!(once.span_count(), 5_000);
    let (rests, stages) = (Cell::new(0), RefCell::new(Vec::new()));
    let mut check = common::rest_at_every_look(&rests, &stages);
    let mut paced = Workspace::default();
    block_on(handoff::apply_batch_paced(
        &mut paced,
        &answer,
        &mut Pace::with(&mut check),
    ))
    .expect("applies");
    assert!(rests.get() >= 5_000 / 1024, "rests: {}", rests.get());
    assert_eq!(json(&paced.runs[0]), json(&once.runs[0]));
}

#[test]
fn files_of_no_known_format_get_the_same_messages_through_the_worker() {
    // The page tells only OTLP from the rest; why the rest is no trace is said by the worker,
    // in the words one module says it.
    let otlp_line = r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"a","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}"#;
    let files: Vec<(&str, String)> = vec![
        // Another trace, started later: a run in both the page's and the worker's files reads
        // differently (see the test above), and so may the order of runs started at one instant.
        (
            "bad-lines.jsonl",
            format!(
                "{0}\nnot json at all\n{0}\n",
                otlp_line.replace("0af7", "1bf7").replace(
                    "\"1\",\"endTimeUnixNano\":\"2\"",
                    "\"3\",\"endTimeUnixNano\":\"4\""
                )
            ),
        ),
        ("not-json.json", "{\"resourceSpans\": [".into()),
        ("blank.json", "   \n".into()),
        ("empty.json", String::new()),
        // The files the page reads come first here, as in every test of this file: the page
        // numbers its files before the worker's, so in another order the ids (not the names)
        // would differ.
        ("number.json", "42".into()),
        ("object.json", r#"{"foo": 1, "bar": [1, 2]}"#.into()),
        ("empty-list.json", "[]".into()),
        ("numbers.json", "[1, 2, 3]".into()),
        (
            "lines.jsonl",
            format!("{otlp_line}\n{{\"what\": 1}}\n{otlp_line}\n"),
        ),
    ];
    let b: Batch = files
        .into_iter()
        .map(|(n, t)| (n.to_string(), t.into_bytes()))
        .collect();
    let ws = assert_same(&[b]);
    // Every file has its say.
    for name in [
        "number.json",
        "object.json",
        "empty-list.json",
        "numbers.json",
        "not-json.json",
        "blank.json",
        "empty.json",
        "lines.jsonl",
        "bad-lines.jsonl",
    ] {
        assert!(ws.problems.iter().any(|p| p.file == name), "{name}");
    }
}

#[test]
fn the_head_of_every_otlp_fixture_may_be_otlp_and_no_other_fixture_may() {
    // Big files whose first bytes rule OTLP out go to the worker unread (`ingest::may_be_otlp`);
    // OTLP files must never be sent there (they would not stream), others should all be.
    let mut otlp = 0;
    for dir in ["otlp", "otlp/agent-prism", "jaeger", "langfuse"]
        .into_iter()
        .map(String::from)
        .chain(
            [
                "seed001-agenttracer",
                "seed002-sre-agent",
                "seed003-ts-four-pillars",
            ]
            .map(|d| format!("seed-formats/{d}")),
        )
        .chain(common::SEED000_SCENARIOS.map(|s| format!("{SEED000}/{s}")))
    {
        for path in fixture_files(&dir) {
            let bytes = fixture(&path);
            let head = &bytes[..bytes.len().min(4 << 20)];
            let is_otlp = dir.starts_with("otlp");
            assert_eq!(spoor::ingest::may_be_otlp(head), is_otlp, "{path}");
            otlp += usize::from(is_otlp);
        }
    }
    assert_eq!(
        otlp, 8,
        "the OTLP fixtures: 5 in otlp/, 3 in otlp/agent-prism/ (ls)"
    );
}
