//! The OTLP importer on real exporters' files. Every figure below was read out of the fixture
//! independently with python3 (json + base64), not copied from the importer's output.

use spoor::model::{find_attr, flags, AttrValue, Format, RunStatus, Severity, SpanKind, Status};

mod common;
use common::{count_kind, error_problems, error_spans, load_fixture};

/// Figures per fixture: runs, spans, error spans, root name, first span id (file order), events.
struct Expect {
    path: &'static str,
    runs: usize,
    spans: usize,
    error_spans: usize,
    root: &'static str,
    first_span_id: &'static str,
    trace_id: &'static str,
    events: usize,
}

const EXPECT: &[Expect] = &[
    Expect {
        path: "otlp/agent-prism/quo_tav_agent.json",
        runs: 1,
        spans: 29,
        error_spans: 0,
        root: "main",
        first_span_id: "4d67fad501889fd2",
        trace_id: "3c72f582dd45872020700dfae35aef9d",
        events: 3,
    },
    Expect {
        path: "otlp/agent-prism/rag_earnings_agent.json",
        runs: 1,
        spans: 18,
        error_spans: 0,
        root: "main",
        first_span_id: "ce2a6b26ab4bb25f",
        trace_id: "b47d761fe79be88aee41342cdd527268",
        events: 0,
    },
    Expect {
        path: "otlp/agent-prism/smol_deep_research_agent.json",
        runs: 1,
        spans: 8,
        error_spans: 0,
        root: "main",
        first_span_id: "6da5963a76f00399",
        trace_id: "ba8ab01bf086833c989ce2a7a29eee31",
        events: 0,
    },
    Expect {
        path: "otlp/jaeger-ui-otlp2jaeger-in-error.json",
        runs: 1,
        spans: 1,
        error_spans: 0,
        // its only span's parent is not in the file: the orphan names the run
        root: "okey-dokey-0",
        first_span_id: "e127af99e3b3e074",
        trace_id: "83a9efd15c1c98a977e0711cc93ee28b",
        events: 0,
    },
    Expect {
        path: "otlp/jaeger-ui-otlp2jaeger-in.json",
        runs: 1,
        spans: 2,
        error_spans: 0,
        root: "okey-dokey-0",
        first_span_id: "e127af99e3b3e074",
        trace_id: "83a9efd15c1c98a977e0711cc93ee28b",
        events: 0,
    },
    Expect {
        path: "otlp/jaeger-ui-otlp2jaeger-multi-in-combined.json",
        runs: 1,
        spans: 4,
        error_spans: 0,
        root: "main",
        first_span_id: "26f5ef9dbb885479",
        trace_id: "c620759e5d60fafb8ee0922b30e06bc6",
        events: 0,
    },
    Expect {
        path: "otlp/jaeger-ui-otlp2jaeger-multi-in.jsonl",
        runs: 1,
        spans: 4,
        error_spans: 0,
        root: "main",
        first_span_id: "26f5ef9dbb885479",
        trace_id: "c620759e5d60fafb8ee0922b30e06bc6",
        events: 0,
    },
    Expect {
        path: "otlp/otel-proto-example-trace.json",
        runs: 1,
        spans: 1,
        error_spans: 0,
        root: "I'm a server span",
        first_span_id: "eee19b7ec3c1b174",
        trace_id: "5b8efff798038103d269b633813fc60c",
        events: 0,
    },
];

#[test]
fn every_otlp_fixture_loads_with_exact_figures() {
    for e in EXPECT {
        let ws = load_fixture(e.path);
        assert!(
            error_problems(&ws).is_empty(),
            "{}: {:?}",
            e.path,
            ws.problems
        );
        assert_eq!(ws.runs.len(), e.runs, "{} runs", e.path);
        assert_eq!(ws.span_count(), e.spans, "{} spans", e.path);
        let run = &ws.runs[0];
        assert_eq!(run.id, e.trace_id, "{}", e.path);
        assert_eq!(run.format, Some(Format::Otlp));
        assert_eq!(run.name, e.root, "{} root", e.path);
        assert_eq!(run.spans[0].id, e.first_span_id, "{}", e.path);
        assert_eq!(error_spans(run), e.error_spans, "{}", e.path);
        let events: usize = run.spans.iter().map(|s| s.events.len()).sum();
        assert_eq!(events, e.events, "{}", e.path);
        assert_eq!(ws.files[0].formats, vec![Format::Otlp]);
        assert_eq!(ws.files[0].spans as usize, e.spans);
        assert_eq!(run.start_ns, run.spans.iter().map(|s| s.start_ns).min());
    }
}

#[test]
fn agent_prism_base64_ids_enum_names_and_typed_attributes() {
    let ws = load_fixture("otlp/agent-prism/rag_earnings_agent.json");
    let run = &ws.runs[0];
    // root "main" has spanId yP3finWLFco= → c8fddf8a758b15ca, 1751474816897561000..1751474867486336000
    let root = run.spans.iter().find(|s| s.name == "main").expect("root");
    assert_eq!(root.id, "c8fddf8a758b15ca");
    assert_eq!(root.parent, None);
    assert_eq!(root.start_ns, 1_751_474_816_897_561_000);
    assert_eq!(root.end_ns, Some(1_751_474_867_486_336_000));
    assert_eq!(run.start_ns, Some(1_751_474_816_897_561_000));
    // every span but the root has a resolved parent
    assert_eq!(run.spans.iter().filter(|s| s.parent.is_some()).count(), 17);
    assert!(run.spans.iter().all(|s| s.flags == 0));
    // 15 spans say STATUS_CODE_OK, 3 say nothing
    assert_eq!(
        run.spans.iter().filter(|s| s.status == Status::Ok).count(),
        15
    );
    let first = &run.spans[0];
    assert_eq!(
        find_attr(&first.attrs, "app.name"),
        Some(&AttrValue::Str("earnings-reports-rag".into()))
    );
    assert_eq!(
        find_attr(&first.attrs, "otel.scope.name"),
        Some(&AttrValue::Str(
            "openinference.instrumentation.langchain".into()
        ))
    );
    assert_eq!(
        find_attr(&first.attrs, "otel.scope.version"),
        Some(&AttrValue::Str("0.1.43".into()))
    );
    // intValue "629" is an integer, boolValue true a bool
    let llm = run
        .spans
        .iter()
        .find(|s| s.name == "ChatOpenAI")
        .expect("llm span");
    assert_eq!(
        find_attr(&llm.attrs, "llm.token_count.prompt"),
        Some(&AttrValue::Int(629))
    );
    let marker = run
        .spans
        .iter()
        .find(|s| s.name == "quotient.end_of_trace")
        .expect("marker span");
    assert_eq!(
        find_attr(&marker.attrs, "quotient.trace.complete"),
        Some(&AttrValue::Bool(true))
    );
    assert_eq!(
        find_attr(&marker.attrs, "quotient.marker.timestamp"),
        Some(&AttrValue::Int(1_751_474_867_486_303_000))
    );
    // resource attributes live on the run
    assert_eq!(
        find_attr(&run.attributes, "telemetry.sdk.version"),
        Some(&AttrValue::Str("1.27.0".into()))
    );
    // "unknown_service" is the SDK's placeholder, not an agent name
    assert_eq!(run.agent_id, None);
    assert_eq!(run.status, RunStatus::Unknown);
}

#[test]
fn quo_tav_events_keep_their_times() {
    let ws = load_fixture("otlp/agent-prism/quo_tav_agent.json");
    let times: Vec<i64> = ws.runs[0]
        .spans
        .iter()
        .flat_map(|s| s.events.iter())
        .map(|e| e.time_ns)
        .collect();
    assert_eq!(
        times,
        vec![
            1_751_473_881_038_003_000,
            1_751_473_884_556_620_000,
            1_751_473_890_830_566_000
        ]
    );
    let names: Vec<&str> = ws.runs[0]
        .spans
        .iter()
        .flat_map(|s| s.events.iter())
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(names, vec!["First Token Stream Event"; 3]);
    let root = ws.runs[0]
        .spans
        .iter()
        .find(|s| s.parent_id.is_none())
        .expect("root");
    assert_eq!(root.id, "eedf08ee18ae3bfe");
}

#[test]
fn spec_example_upper_case_hex_kind_and_scope() {
    let ws = load_fixture("otlp/otel-proto-example-trace.json");
    let run = &ws.runs[0];
    let s = &run.spans[0];
    assert_eq!(s.id, "eee19b7ec3c1b174");
    assert_eq!(s.parent_id.as_deref(), Some("eee19b7ec3c1b173"));
    assert_eq!(s.start_ns, 1_544_712_660_000_000_000);
    assert_eq!(s.end_ns, Some(1_544_712_661_000_000_000));
    assert_eq!(
        find_attr(&s.attrs, "my.span.attr"),
        Some(&AttrValue::Str("some value".into()))
    );
    assert_eq!(
        find_attr(&s.attrs, "span.kind"),
        Some(&AttrValue::Str("server".into()))
    );
    assert_eq!(
        find_attr(&s.attrs, "otel.scope.my.scope.attribute"),
        Some(&AttrValue::Str("some scope attribute".into()))
    );
    assert_eq!(run.agent_id.as_deref(), Some("my.service"));
    // its parent is not in the file: kept, flagged, reported with the file's name
    assert!(s.has_flag(flags::ORPHAN));
    let warn = ws
        .problems
        .iter()
        .find(|p| p.message.contains("parent"))
        .expect("orphan warning");
    assert_eq!(warn.severity, Severity::Warning);
    assert_eq!(warn.file, "otlp/otel-proto-example-trace.json");
    assert!(
        warn.message.contains("eee19b7ec3c1b173"),
        "{}",
        warn.message
    );
}

#[test]
fn same_span_twice_in_one_file_is_kept_and_flagged() {
    // jaeger-ui's otlp2jaeger-in.json holds the span e127af99e3b3e074 twice, byte for byte.
    let ws = load_fixture("otlp/jaeger-ui-otlp2jaeger-in.json");
    let run = &ws.runs[0];
    assert_eq!(run.spans.len(), 2);
    assert!(run.spans.iter().all(|s| s.has_flag(flags::DUPLICATE_ID)));
    let warn = ws
        .problems
        .iter()
        .find(|p| p.message.contains("share an id"))
        .expect("duplicate warning");
    assert_eq!(warn.file, "otlp/jaeger-ui-otlp2jaeger-in.json");
    assert!(warn.message.contains("e127af99e3b3e074"));
}

#[test]
fn jsonl_lines_are_named_in_origins() {
    let ws = load_fixture("otlp/jaeger-ui-otlp2jaeger-multi-in.jsonl");
    let lines: Vec<Option<u32>> = ws.runs[0].spans.iter().map(|s| s.origin.line).collect();
    assert_eq!(lines, vec![Some(1), Some(2), Some(3), Some(4)]);
    let main = ws.runs[0]
        .spans
        .iter()
        .find(|s| s.name == "main")
        .expect("root");
    assert_eq!(main.id, "eff3153be6b1fb93");
    // widgets 1.2.3 is the scope of lines 3 and 4
    assert_eq!(
        find_attr(&main.attrs, "otel.scope.version"),
        Some(&AttrValue::Str("1.2.3".into()))
    );
    assert_eq!(ws.runs[0].agent_id.as_deref(), Some("example-trace"));
}

/// LLM and tool spans per python: openinference.span.kind LLM/TOOL or gen_ai.operation.name
/// chat/text_completion/generate_content (LLM) or execute_tool (tool); tokens summed over LLM
/// spans from llm.token_count.prompt/completion.
#[test]
fn semconv_llm_and_tool_counts_and_tokens() {
    let cases = [
        ("otlp/agent-prism/quo_tav_agent.json", 6, 2, 0, 0),
        ("otlp/agent-prism/rag_earnings_agent.json", 1, 0, 629, 19),
        (
            "otlp/agent-prism/smol_deep_research_agent.json",
            6,
            0,
            17_952,
            7_122,
        ),
    ];
    for (path, llm, tool, input, output) in cases {
        let ws = load_fixture(path);
        let run = &ws.runs[0];
        assert_eq!(count_kind(run, SpanKind::Llm), llm, "{path} llm spans");
        assert_eq!(count_kind(run, SpanKind::Tool), tool, "{path} tools");
        let llms: Vec<_> = run
            .spans
            .iter()
            .filter(|s| s.kind == SpanKind::Llm)
            .collect();
        let sum_in: u64 = llms.iter().filter_map(|s| s.usage.input).sum();
        let sum_out: u64 = llms.iter().filter_map(|s| s.usage.output).sum();
        assert_eq!((sum_in, sum_out), (input, output), "{path} tokens");
    }
}
