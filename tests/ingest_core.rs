//! Ingest core: loading several files, incremental adds, merging runs across files and lines,
//! de-duplication of files and of spans two exports share.

use spoor::ingest::{add_files, InputFile};
use spoor::model::{flags, Format, Severity, Span, Workspace};

mod common;
use common::{fixture, load_files, load_one};

const MULTI_JSONL: &str = "otlp/jaeger-ui-otlp2jaeger-multi-in.jsonl";
const MULTI_COMBINED: &str = "otlp/jaeger-ui-otlp2jaeger-multi-in-combined.json";

/// The four lines of the JSON-lines fixture (one span each: ohboy.do, ohboy.do, info, main).
fn multi_lines() -> Vec<String> {
    String::from_utf8(fixture(MULTI_JSONL))
        .expect("utf-8")
        .lines()
        .map(str::to_string)
        .collect()
}

/// Spans without where they were read from, for comparing workspaces built from different files.
fn spans_without_origin(ws: &Workspace) -> Vec<Span> {
    let mut spans: Vec<Span> = ws
        .runs
        .iter()
        .flat_map(|r| r.spans.iter().cloned())
        .collect();
    for s in &mut spans {
        s.origin = Default::default();
    }
    spans.sort_by(|a, b| a.id.cmp(&b.id));
    spans
}

#[test]
fn jsonl_and_combined_document_give_the_same_workspace() {
    let (a, b) = (fixture(MULTI_JSONL), fixture(MULTI_COMBINED));
    let wa = load_one("a.jsonl", &a);
    let wb = load_one("b.json", &b);
    assert_eq!(wa.runs.len(), 1);
    assert_eq!(wb.runs.len(), 1);
    assert_eq!(wa.runs[0].id, wb.runs[0].id);
    assert_eq!(wa.runs[0].name, "main");
    assert_eq!(wa.runs[0].name, wb.runs[0].name);
    assert_eq!(wa.runs[0].start_ns, Some(1_711_138_246_940_000_000));
    assert_eq!(wa.runs[0].end_ns, Some(1_711_138_247_116_321_958));
    assert_eq!(
        (wa.runs[0].start_ns, wa.runs[0].end_ns),
        (wb.runs[0].start_ns, wb.runs[0].end_ns)
    );
    assert_eq!(wa.runs[0].attributes, wb.runs[0].attributes);
    assert_eq!(spans_without_origin(&wa), spans_without_origin(&wb));
    assert!(wa.problems.is_empty(), "{:?}", wa.problems);
    assert!(wb.problems.is_empty(), "{:?}", wb.problems);
    // main ← info ← two ohboy.do
    let run = &wa.runs[0];
    let main = run
        .spans
        .iter()
        .position(|s| s.name == "main")
        .expect("main") as u32;
    let info = run
        .spans
        .iter()
        .position(|s| s.name == "info")
        .expect("info") as u32;
    assert_eq!(run.spans[info as usize].parent, Some(main));
    assert_eq!(
        run.spans.iter().filter(|s| s.parent == Some(info)).count(),
        2
    );
}

#[test]
fn loading_both_exports_of_one_trace_shows_each_span_once_and_says_so() {
    let (a, b) = (fixture(MULTI_JSONL), fixture(MULTI_COMBINED));
    let ws = load_files(&[("a.jsonl", &a), ("b.json", &b)]);
    assert_eq!(ws.runs.len(), 1);
    assert_eq!(ws.span_count(), 4);
    // 8 spans read, 4 shown: the difference is explained, never silent.
    assert_eq!(ws.problems.len(), 1, "{:?}", ws.problems);
    assert_eq!(ws.problems[0].file, "b.json");
    assert!(ws.problems[0].message.starts_with("4 spans of run"));
    assert!(ws.problems[0].message.contains("exact copies"));
    assert_eq!(ws.runs[0].files, vec![0, 1]);
    // each file still says what it contributed
    assert_eq!(ws.files[0].spans, 4);
    assert_eq!(ws.files[1].spans, 4);
}

#[test]
fn the_same_file_twice_doubles_nothing() {
    let a = fixture(MULTI_COMBINED);
    let mut ws = load_files(&[("trace.json", &a), ("copy.json", &a)]);
    assert_eq!(ws.span_count(), 4);
    assert_eq!(ws.files.len(), 1);
    let warn = &ws.problems[0];
    assert_eq!(warn.severity, Severity::Warning);
    assert_eq!(warn.file, "copy.json");
    assert!(
        warn.message.starts_with("already loaded"),
        "{}",
        warn.message
    );
    assert!(warn.message.contains("trace.json"));
    // dropped again later, into the open workspace
    add_files(
        &mut ws,
        &[InputFile {
            name: "trace.json",
            bytes: &a,
        }],
    );
    assert_eq!(ws.span_count(), 4);
    assert_eq!(ws.files.len(), 1);
    assert_eq!(ws.problems.len(), 2);
    assert!(ws.problems[1].message.starts_with("already loaded"));
}

#[test]
fn a_trace_split_over_two_files_is_one_run() {
    let lines = multi_lines();
    let first = lines[..2].join("\n");
    let second = lines[2..].join("\n");
    let ws = load_files(&[
        ("part1.jsonl", first.as_bytes()),
        ("part2.jsonl", second.as_bytes()),
    ]);
    assert_eq!(ws.runs.len(), 1);
    assert_eq!(ws.span_count(), 4);
    assert_eq!(ws.runs[0].name, "main");
    assert_eq!(ws.runs[0].files, vec![0, 1]);
    assert!(ws.runs[0].spans.iter().all(|s| s.flags == 0));
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    assert_eq!(ws.files[0].spans, 2);
    assert_eq!(ws.files[1].spans, 2);
}

#[test]
fn adding_the_missing_half_later_resolves_the_orphans() {
    let lines = multi_lines();
    let first = lines[..2].join("\n");
    let second = lines[2..].join("\n");
    let mut ws = load_one("part1.jsonl", first.as_bytes());
    // both ohboy.do spans point at 49b8e9efa1e8a3b1, which is in part 2
    assert!(ws.runs[0].spans.iter().all(|s| s.has_flag(flags::ORPHAN)));
    assert_eq!(ws.problems.len(), 1);
    assert!(ws.problems[0]
        .message
        .starts_with("2 spans of run c620759e5d60fafb8ee0922b30e06bc6"));
    assert_eq!(ws.runs[0].name, "ohboy.do");

    add_files(
        &mut ws,
        &[InputFile {
            name: "part2.jsonl",
            bytes: second.as_bytes(),
        }],
    );
    assert_eq!(ws.runs.len(), 1);
    assert_eq!(ws.span_count(), 4);
    assert!(ws.runs[0].spans.iter().all(|s| !s.has_flag(flags::ORPHAN)));
    assert_eq!(ws.runs[0].name, "main");
    assert_eq!(ws.runs[0].start_ns, Some(1_711_138_246_940_000_000));
    // nothing new to report
    assert_eq!(ws.problems.len(), 1);
}

#[test]
fn overlapping_exports_keep_one_copy_of_shared_spans() {
    let lines = multi_lines();
    let a = lines[..3].join("\n");
    let b = lines[1..].join("\n");
    let ws = load_files(&[("a.jsonl", a.as_bytes()), ("b.jsonl", b.as_bytes())]);
    assert_eq!(ws.span_count(), 4);
    assert_eq!(ws.problems.len(), 1, "{:?}", ws.problems);
    assert!(ws.problems[0].message.starts_with("2 spans of run"));
    assert_eq!(ws.files[0].spans + ws.files[1].spans, 6);
}

#[test]
fn runs_are_sorted_by_start_and_files_list_formats() {
    let late = fixture("otlp/agent-prism/quo_tav_agent.json"); // starts 1751473879414106000
    let early = fixture("otlp/otel-proto-example-trace.json"); // starts 1544712660000000000
    let ws = load_files(&[("late.json", &late), ("early.json", &early)]);
    let starts: Vec<Option<i64>> = ws.runs.iter().map(|r| r.start_ns).collect();
    assert_eq!(
        starts,
        vec![
            Some(1_544_712_660_000_000_000),
            Some(1_751_473_879_414_106_000)
        ]
    );
    assert_eq!(ws.files.len(), 2);
    assert_eq!(ws.files[0].name, "late.json");
    assert_eq!(ws.files[0].formats, vec![Format::Otlp]);
    assert_eq!(ws.files[0].spans, 29);
    assert_eq!(ws.files[1].spans, 1);
    assert_eq!(ws.files[1].size, 1229);
}

#[test]
fn a_bom_is_skipped() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(fixture("otlp/otel-proto-example-trace.json"));
    let ws = load_one("bom.json", &bytes);
    assert_eq!(ws.span_count(), 1);
    assert!(ws.problems.iter().all(|p| p.severity == Severity::Warning));
}

#[test]
fn synthetic_traces_load_with_the_span_count_asked_for() {
    use spoor::ingest::synth::{otlp_json, Synth};
    let text = otlp_json(Synth {
        spans: 2_000,
        traces: 4,
        seed: 7,
    });
    let ws = load_one("synth.json", text.as_bytes());
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    assert_eq!(ws.runs.len(), 4);
    assert_eq!(ws.span_count(), 2_000);
    assert!(ws.runs.iter().all(|r| r.name == "invoke_agent researcher"));
    assert!(ws
        .runs
        .iter()
        .all(|r| r.agent_id.as_deref() == Some("researcher")));
    assert!(ws
        .runs
        .iter()
        .all(|r| r.agent_version.as_deref() == Some("1.4.2")));
    assert!(ws.runs.iter().flat_map(|r| &r.spans).all(|s| s.flags == 0));
}

#[test]
fn adding_files_says_which_runs_they_touched() {
    use spoor::ingest::Touched;
    let mut ws = Workspace::default();
    let rag = fixture("otlp/agent-prism/rag_earnings_agent.json");
    let first = add_files(
        &mut ws,
        &[InputFile {
            name: "rag.json",
            bytes: &rag,
        }],
    );
    assert!(!first.all);
    assert_eq!(first.runs.len(), 1);
    assert!(first.includes("b47d761fe79be88aee41342cdd527268"));

    // A second trace file touches its own run only, so the page keeps the first run's analysis.
    let jaeger_otlp = fixture("otlp/jaeger-ui-otlp2jaeger-in.json");
    let second = add_files(
        &mut ws,
        &[InputFile {
            name: "other.json",
            bytes: &jaeger_otlp,
        }],
    );
    assert!(!second.includes("b47d761fe79be88aee41342cdd527268"));
    let ids: Vec<&str> = ws.runs.iter().map(|r| r.id.as_str()).collect();
    assert!(
        ids.iter().any(|id| second.includes(id)),
        "{ids:?} / {second:?}"
    );

    // The same file again is not loaded twice and touches nothing.
    assert_eq!(
        add_files(
            &mut ws,
            &[InputFile {
                name: "rag.json",
                bytes: &rag
            }]
        ),
        Touched::default()
    );

    // A seed side file (the code-review agent's token log) can attach to any run.
    let dir = "seed-formats/seed000-code-review-agent/b_errors";
    let traces = fixture(&format!("{dir}/traces.json"));
    let tokens = fixture(&format!("{dir}/tokens.json"));
    assert!(
        !add_files(
            &mut ws,
            &[InputFile {
                name: "traces.json",
                bytes: &traces
            }]
        )
        .all
    );
    assert!(
        add_files(
            &mut ws,
            &[InputFile {
                name: "tokens.json",
                bytes: &tokens
            }]
        )
        .all
    );
}
