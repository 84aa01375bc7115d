//! Format detection from content: every fixture is recognised as its format, and near misses of
//! each format are refused with a message saying which formats were tried and why each failed.

use spoor::ingest::detect::{classify, sniff};
use spoor::model::Format;

mod common;
use common::{fixture, load_fixture, load_one, only_error};

/// The formats `load` found in a fixture (as the file list shows them).
fn formats_of(path: &str) -> Vec<Format> {
    load_fixture(path).files[0].formats.clone()
}

fn detect_text(text: &str) -> Result<Format, String> {
    classify(&sniff(text).map_err(|e| e.to_string())?)
}

fn assert_format(paths: &[&str], format: Format) {
    for p in paths {
        assert_eq!(formats_of(p), vec![format], "{p}");
    }
}

#[test]
fn otlp_documents_lists_and_lines() {
    assert_format(
        &[
            "otlp/otel-proto-example-trace.json",
            "otlp/jaeger-ui-otlp2jaeger-in.json",
            "otlp/jaeger-ui-otlp2jaeger-in-error.json",
            "otlp/jaeger-ui-otlp2jaeger-multi-in-combined.json",
            "otlp/jaeger-ui-otlp2jaeger-multi-in.jsonl",
            "otlp/agent-prism/quo_tav_agent.json",
            "otlp/agent-prism/rag_earnings_agent.json",
            "otlp/agent-prism/smol_deep_research_agent.json",
        ],
        Format::Otlp,
    );
    assert_eq!(detect_text(r#"{"resource_spans":[]}"#), Ok(Format::Otlp));
}

#[test]
fn jaeger_wrapped_and_bare() {
    assert_format(&["jaeger/genai-test-trace.json"], Format::Jaeger);
    assert_eq!(
        detect_text(r#"{"data":[{"traceID":"a","spans":[],"processes":{}}]}"#),
        Ok(Format::Jaeger)
    );
}

#[test]
fn langfuse_exports() {
    let dir = "../shared/fixtures/langfuse";
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("langfuse fixtures") {
        let name = entry
            .expect("entry")
            .file_name()
            .into_string()
            .expect("name");
        assert_format(&[&format!("langfuse/{name}")], Format::Langfuse);
        n += 1;
    }
    assert_eq!(n, 20);
}

#[test]
fn seed000_four_files_in_every_scenario() {
    for scenario in common::SEED000_SCENARIOS {
        let dir = format!("seed-formats/seed000-code-review-agent/{scenario}");
        assert_format(&[&format!("{dir}/traces.json")], Format::Seed000Traces);
        assert_format(&[&format!("{dir}/log.json")], Format::Seed000Log);
        assert_format(&[&format!("{dir}/tokens.json")], Format::Seed000Tokens);
        assert_format(&[&format!("{dir}/metrics.json")], Format::Seed000Metrics);
    }
}

#[test]
fn seed001_single_runs_and_lists() {
    assert_format(
        &[
            "seed-formats/seed001-agenttracer/run_failure_tool_timeout.json",
            "seed-formats/seed001-agenttracer/run_partial.json",
            "seed-formats/seed001-agenttracer/run_success_with_retry.json",
            "seed-formats/seed001-agenttracer/runs_version_comparison.json",
        ],
        Format::Seed001AgentRun,
    );
}

#[test]
fn seed002_files() {
    let d = "seed-formats/seed002-sre-agent";
    assert_format(
        &[
            &format!("{d}/observer_demo.trace.json"),
            &format!("{d}/observer_failures_loop.trace.json"),
        ],
        Format::Seed002ObserverTrace,
    );
    for n in ["1_first_time", "2_recall", "3_different", "4_degraded"] {
        assert_format(
            &[&format!("{d}/investigation_log_{n}.json")],
            Format::Seed002InvestigationLog,
        );
        assert_format(
            &[&format!("{d}/investigation_result_{n}.json")],
            Format::Seed002InvestigationResult,
        );
    }
    assert_format(
        &[&format!("{d}/reliability_stats.json")],
        Format::Seed002ReliabilityStats,
    );
    // the standalone get_metrics() shape is embedded in every observer trace
    let trace: serde_json::Value =
        serde_json::from_slice(&fixture(&format!("{d}/observer_demo.trace.json"))).expect("json");
    let metrics = serde_json::to_string(&trace["metrics"]).expect("metrics");
    assert_eq!(detect_text(&metrics), Ok(Format::Seed002ObserverMetrics));
}

#[test]
fn seed003_json_lines() {
    let d = "seed-formats/seed003-ts-four-pillars";
    assert_format(&[&format!("{d}/tools.jsonl")], Format::Seed003Tools);
    assert_format(&[&format!("{d}/sessions.jsonl")], Format::Seed003Sessions);
    assert_format(&[&format!("{d}/decisions.jsonl")], Format::Seed003Decisions);
    assert_format(&[&format!("{d}/events.jsonl")], Format::Seed003Events);
}

#[test]
fn one_line_of_a_jsonl_file_is_also_an_object() {
    let text = String::from_utf8(fixture("seed-formats/seed003-ts-four-pillars/tools.jsonl"))
        .expect("utf-8");
    let first = text.lines().next().expect("a line");
    assert_eq!(detect_text(first), Ok(Format::Seed003Tools));
}

/// Loads `text` and returns the one error it must produce.
fn refused(text: &str) -> String {
    let ws = load_one("near-miss.json", text.as_bytes());
    assert_eq!(ws.span_count(), 0);
    let error = only_error(&ws);
    assert_eq!(error.file, "near-miss.json");
    error.message.clone()
}

#[test]
fn near_miss_otlp_resource_spans_not_a_list() {
    let m = refused(r#"{"resourceSpans": {"scopeSpans": []}}"#);
    assert!(m.contains("Tried:"), "{m}");
    assert!(
        m.contains("not OTLP: `resourceSpans` is an object, not a list"),
        "{m}"
    );
    assert!(m.contains("not Jaeger"), "{m}");
    assert!(m.contains("not Langfuse"), "{m}");
    assert!(m.contains("`resourceSpans`"), "{m}");
}

#[test]
fn near_miss_langfuse_without_observations() {
    let m = refused(r#"{"trace": {"id": "t1", "name": "agent"}}"#);
    assert!(
        m.contains("not Langfuse: has a `trace` object but no `observations` list"),
        "{m}"
    );
    assert!(m.contains("not OTLP: no `resourceSpans` key"), "{m}");
}

#[test]
fn near_miss_jaeger_without_spans() {
    let m = refused(r#"{"traceID": "abc", "processes": {}}"#);
    assert!(
        m.contains("not Jaeger: has `traceID` but no `spans` list"),
        "{m}"
    );
}

#[test]
fn near_miss_seed000_traces_without_children() {
    let m = refused(
        r#"[{"span_id": "a1b2c3d4", "parent_id": null, "start_time": 1795305439.19, "name": "Agent Run: x"}]"#,
    );
    assert!(
        m.contains("not code-review agent traces.json: `children` is missing"),
        "{m}"
    );
    assert!(m.contains("not OTLP"), "{m}");
}

#[test]
fn near_miss_seed001_run_without_steps() {
    let m = refused(r#"{"run_id": "r1", "agent_version": "1.0"}"#);
    assert!(m.contains("not AgentTracer run: `steps` is missing"), "{m}");
}

#[test]
fn near_miss_seed003_event_not_from_the_agent_bus() {
    let m = refused(r#"{"event": "user.click", "payload": {}}"#);
    assert!(
        m.contains("`event` is not a string starting with `agent.`"),
        "{m}"
    );
}

#[test]
fn unrelated_json_lists_every_family() {
    let m = refused(r#"{"name": "package", "version": "1.0.0"}"#);
    for family in ["not OTLP", "not Jaeger", "not Langfuse", "seed formats"] {
        assert!(m.contains(family), "{family}: {m}");
    }
    assert!(m.contains("`name`, `version`"), "{m}");
}

#[test]
fn scalars_and_empty_lists_are_not_traces() {
    assert!(refused("42").contains("holds a number"));
    assert!(refused("[]").contains("empty list"));
    assert!(refused("[1, 2]").contains("list of number items"));
}
