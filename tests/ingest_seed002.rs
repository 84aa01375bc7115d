//! Seed 002 (SRE agent) fixtures. Figures read with python3, e.g.
//! python3 -c "import json,collections;d=json.load(open('observer_demo.trace.json'));
//!   print(collections.Counter(e['type'] for e in d['events']))"

use spoor::model::{Run, RunStatus, Severity, SpanKind, Status, Workspace};

mod common;
use common::{
    assert_each_gives_a_problem, assert_near, count_kind, error_spans, load_files, load_in,
    load_one, metric_number,
};

const DIR: &str = "../shared/fixtures/seed-formats/seed002-sre-agent";

fn open(files: &[&str]) -> Workspace {
    load_in(DIR, files)
}

fn attr<'a>(run: &'a Run, key: &str) -> Option<&'a str> {
    run.attributes
        .iter()
        .find(|a| a.key == key)
        .and_then(|a| a.value.as_str())
}

// python3: events PLAN 1, LLM_CALL 5 (tokens 7900, cost 0.054), REASONING 3, TOOL_CALL 4,
// TOOL_RESULT 4 (all success), DONE 1 ("OOMKilled from BatchReconciliation"); anomalies 0;
// start_time "2026-11-22 00:00:22", duration_s 0.2, last offset 0.23.
#[test]
fn observer_demo_trace() {
    let ws = open(&["observer_demo.trace.json"]);
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    assert_eq!(ws.runs.len(), 1);
    let run = &ws.runs[0];
    assert_eq!(run.id, "inv-demo-001");
    assert_eq!(run.spans.len(), 10);
    assert_eq!(count_kind(run, SpanKind::Llm), 5);
    assert_eq!(count_kind(run, SpanKind::Tool), 4);
    assert_eq!(error_spans(run), 0);
    let total: u64 = run.spans.iter().filter_map(|s| s.usage.total).sum();
    assert_eq!(total, 7900);
    assert_near(run.reported_cost_usd, 0.054);
    assert_eq!(run.spans[0].name, "inv-demo-001");
    assert_eq!(run.spans[0].status_text.as_deref(), Some("DONE"));
    assert_eq!(run.status, RunStatus::Success);
    assert_eq!(
        attr(run, "root_cause"),
        Some("OOMKilled from BatchReconciliation")
    );
    assert_eq!(run.logs.len(), 5);
    assert_eq!(
        (run.decisions.len(), run.signals.len(), run.failures.len()),
        (0, 0, 0)
    );
    // python3 -c "import calendar;print(calendar.timegm((2026,11,22,0,0,22,0,0,0)))" → 1795305622
    assert_eq!(run.start_ns, Some(1_795_305_622_000_000_000));
    assert_eq!(run.spans[0].end_ns, Some(1_795_305_622_230_000_000));
    assert_eq!(metric_number(run, "tool_success_rate"), Some(100.0));
    assert_eq!(
        metric_number(run, "tool_latencies.search_runbooks.avg_ms"),
        Some(200.0)
    );
}

// python3: LLM_CALL 9 (tokens 12434, cost 0.042006), ERROR 1 (529, iteration 4), TOOL_CALL 9,
// TOOL_RESULT 9 of which 4 not success (failed ×2, partial, error), REASONING 8, PLAN 1, DONE 1;
// anomalies 3; get_pod_logs called 3× with args {"pod_name": "payment-gw-def34"}.
#[test]
fn observer_failures_loop_trace() {
    let ws = open(&["observer_failures_loop.trace.json"]);
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    let run = &ws.runs[0];
    assert_eq!(run.spans.len(), 20);
    assert_eq!(count_kind(run, SpanKind::Llm), 10);
    assert_eq!(count_kind(run, SpanKind::Tool), 9);
    assert_eq!(error_spans(run), 5);
    let total: u64 = run.spans.iter().filter_map(|s| s.usage.total).sum();
    assert_eq!(total, 12434);
    assert_near(run.reported_cost_usd, 0.042006);
    assert_eq!(run.failures.len(), 1);
    assert_eq!(run.failures[0].failure_type, "model");
    let anomalies = run
        .logs
        .iter()
        .filter(|l| l.event_type == "ANOMALY")
        .count();
    assert_eq!(anomalies, 3);
    assert_eq!(run.logs.len(), 1 + 8 + 1 + 3);
    let pod_logs: Vec<_> = run
        .spans
        .iter()
        .filter(|s| s.kind == SpanKind::Tool && s.name == "get_pod_logs")
        .collect();
    assert_eq!(pod_logs.len(), 3);
    for s in &pod_logs {
        assert_eq!(
            s.tool.as_ref().unwrap().arguments.as_deref(),
            Some(r#"{"pod_name":"payment-gw-def34"}"#)
        );
    }
    assert_eq!(pod_logs[0].status_text.as_deref(), Some("failed"));
    // The first get_pod_logs runs from offset 5.4 to 7.29 (latency_ms 1885.7).
    assert_eq!(pod_logs[0].duration_ns(), Some(1_890_000_000));
    let describe = run.spans.iter().find(|s| s.name == "describe_pod").unwrap();
    assert_eq!(
        (describe.status, describe.status_text.as_deref()),
        (Status::Error, Some("partial"))
    );
}

// python3 (investigation_log_1): 21 entries, TOOL_CALL 6 / TOOL_RESULT 6, 9 other entries;
// AGENT_DONE iterations 6, cost "$0.0268", duration "9.7s". Result 1: iterations 6, cost
// 0.026829000000000002, duration 9.68141222000122 → joins.
#[test]
fn investigation_log_1_first_time_with_result() {
    let ws = open(&[
        "investigation_log_1_first_time.json",
        "investigation_result_1_first_time.json",
    ]);
    assert_eq!(ws.problems.len(), 1, "{:?}", ws.problems); // times have no date
    assert_eq!(ws.problems[0].severity, Severity::Warning);
    assert_eq!(ws.runs.len(), 1);
    let run = &ws.runs[0];
    assert_eq!(run.spans.len(), 7);
    assert_eq!(count_kind(run, SpanKind::Tool), 6);
    assert_eq!(count_kind(run, SpanKind::Llm), 0);
    assert_eq!(error_spans(run), 0);
    assert_eq!(run.logs.len(), 9);
    assert_eq!(run.status, RunStatus::Success);
    assert_eq!(run.spans[0].status_text.as_deref(), Some("AGENT_DONE"));
    assert!(run.spans[0]
        .name
        .starts_with("Investigation: Payment gateway is degraded."));
    assert_eq!(metric_number(run, "iterations"), Some(6.0));
    assert_eq!(metric_number(run, "duration_s"), Some(9.7));
    assert_near(run.reported_cost_usd, 0.026829000000000002);
    assert_eq!(metric_number(run, "result.past_cases_used"), Some(0.0));
    assert!(attr(run, "root_cause")
        .unwrap()
        .starts_with("payment-gateway v2.3.1 BatchReconciliation"));
    assert_eq!(attr(run, "episode_id"), Some("ep-0000"));
    // 00:00:46 on day 0.
    assert_eq!(run.start_ns, Some(46_000_000_000));
}

// python3 (investigation_log_4): 17 entries; API_ERROR 1, TOOL_CALL 4, TOOL_RESULT 1,
// TOOL_ERROR 3, GUARDRAIL cost 0.01677, AGENT_INCOMPLETE; 9 other entries. Result 4:
// "Investigation incomplete", iterations 10, cost 0.01677.
#[test]
fn investigation_log_4_degraded_with_result() {
    let ws = open(&[
        "investigation_log_4_degraded.json",
        "investigation_result_4_degraded.json",
    ]);
    assert_eq!(ws.problems.len(), 1, "{:?}", ws.problems);
    assert_eq!(ws.runs.len(), 1);
    let run = &ws.runs[0];
    assert_eq!(run.spans.len(), 5);
    assert_eq!(count_kind(run, SpanKind::Tool), 4);
    assert_eq!(error_spans(run), 3);
    let err = run
        .spans
        .iter()
        .find(|s| s.status == Status::Error)
        .unwrap();
    assert_eq!(
        err.error_message.as_deref(),
        Some("get_pod_logs timed out after 30s")
    );
    assert_eq!(run.failures.len(), 1);
    assert_eq!(run.failures[0].code, "API_ERROR");
    assert_eq!(run.logs.len(), 9);
    assert_eq!(run.status, RunStatus::Partial);
    assert_eq!(run.status_text.as_deref(), Some("AGENT_INCOMPLETE"));
    assert_eq!(attr(run, "stopped_by"), Some("GUARDRAIL cost_limit"));
    assert_near(run.reported_cost_usd, 0.01677);
    assert_eq!(metric_number(run, "result.iterations"), Some(10.0));
}

#[test]
fn all_logs_and_results_pair_up() {
    let mut files = Vec::new();
    for n in ["1_first_time", "2_recall", "3_different", "4_degraded"] {
        files.push(format!("investigation_log_{n}.json"));
        files.push(format!("investigation_result_{n}.json"));
    }
    let names: Vec<&str> = files.iter().map(String::as_str).collect();
    let ws = open(&names);
    // One "no date" warning per log, nothing else.
    assert_eq!(ws.problems.len(), 4, "{:?}", ws.problems);
    assert_eq!(ws.runs.len(), 4);
    // python3: tool calls per log 6, 3, 4, 4; episode ids ep-0000..ep-0002, none for run 4.
    let tools: Vec<usize> = ws
        .runs
        .iter()
        .map(|r| count_kind(r, SpanKind::Tool))
        .collect();
    assert_eq!(tools, vec![6, 3, 4, 4]);
    let eps: Vec<Option<&str>> = ws.runs.iter().map(|r| attr(r, "episode_id")).collect();
    assert_eq!(
        eps,
        vec![Some("ep-0000"), Some("ep-0001"), Some("ep-0002"), None]
    );
    // investigation_log_3: the search_runbooks args are cut at 80 characters, not valid JSON.
    let cut = ws.runs[2]
        .spans
        .iter()
        .find(|s| s.name == "search_runbooks")
        .unwrap();
    assert!(cut
        .attrs
        .iter()
        .any(|a| a.key == "args_complete" && a.value == spoor::model::AttrValue::Bool(false)));
}

#[test]
fn result_alone_is_its_own_run() {
    let ws = open(&["investigation_result_2_recall.json"]);
    assert_eq!(ws.runs.len(), 1);
    assert_eq!(ws.problems.len(), 1);
    let run = &ws.runs[0];
    assert!(run.spans.is_empty());
    assert_eq!(run.status, RunStatus::Success);
    assert!(run
        .name
        .starts_with("Investigation result: Recurrence of the BatchReconciliation"));
    assert_eq!(metric_number(run, "result.iterations"), Some(3.0));
}

// python3: total_calls 20, successes 15, failures 5, success_rate "75.0%", failure_log 5 entries
// (4 check_service_health, 1 list_pods), all recovery "skipped_permission".
#[test]
fn reliability_stats() {
    let ws = open(&["reliability_stats.json"]);
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    let run = &ws.runs[0];
    assert_eq!(run.name, "Tool reliability stats");
    assert!(run.spans.is_empty());
    assert_eq!(metric_number(run, "total_calls"), Some(20.0));
    assert_eq!(metric_number(run, "successes"), Some(15.0));
    assert_eq!(metric_number(run, "success_rate"), Some(75.0));
    assert_eq!(run.failures.len(), 5);
    assert!(run.failures.iter().all(|f| f.code == "skipped_permission"));
    assert_eq!(
        run.failures
            .iter()
            .filter(|f| f.message.starts_with("list_pods:"))
            .count(),
        1
    );
}

#[test]
fn malformed_documents_give_problems_not_panics() {
    let cases: &[&str] = &[
        r#"{"investigation_id": 1, "events": [null, {"type": "TOOL_RESULT", "offset_s": "x"}], "metrics": 3, "start_time": "nope"}"#,
        r#"{"investigation_id": "i", "events": {"a": 1}, "metrics": {"anomalies": [1]}, "start_time": null}"#,
        r#"{"investigation_id": "i", "tool_success_rate": 5, "tool_latencies": [], "anomalies": "x"}"#,
        r#"[{"time": 5, "event": "TOOL_CALL"}, {"time": "25:99:00", "event": "TOOL_ERROR", "tool": 3}, 7]"#,
        r#"{"answer": 5, "iterations": "many", "cost": null, "duration": []}"#,
        r#"{"investigation_id": "i", "start_time": "9999-12-31 23:59:59", "duration_s": 9e9, "metrics": {}, "events": [{"type": "TOOL_RESULT", "offset_s": 9e9, "tool": "t", "latency_ms": 1e300}, {"type": "LLM_CALL", "offset_s": -9e9}]}"#,
        r#"[{"time": "23:59:59", "event": "TOOL_CALL", "tool": "t"}, {"time": "00:00:01", "event": "TOOL_RESULT", "tool": "t", "latency": "1e300ms"}, {"time": "23:00:00", "event": "X"}, {"time": "00:00:00", "event": "Y"}]"#,
        r#"{"total_calls": "x", "successes": null, "failures": [], "success_rate": 1, "failure_log": [null, {"tool": 1}]}"#,
    ];
    assert_each_gives_a_problem(cases, "json");
}

// python3 (investigation_log_2 / _3): 12 / 15 entries; TOOL_CALL 3 / 4, each with a success
// TOOL_RESULT; other entries 6 / 7; AGENT_DONE iterations 3 / 4, cost "$0.0130" / "$0.0151",
// duration "6.0s" / "6.8s". Results: cost 0.013049999999999999 / 0.015087, past_cases_used 1 / 0.
#[test]
fn investigation_logs_2_and_3_with_results() {
    for (log, result, tools, logs, iters, dur, cost, past) in [
        (
            "2_recall",
            "2_recall",
            3,
            6,
            3.0,
            6.0,
            0.013049999999999999,
            1.0,
        ),
        ("3_different", "3_different", 4, 7, 4.0, 6.8, 0.015087, 0.0),
    ] {
        let ws = open(&[
            &format!("investigation_log_{log}.json"),
            &format!("investigation_result_{result}.json"),
        ]);
        assert_eq!(ws.problems.len(), 1, "{:?}", ws.problems); // no date
        assert_eq!(ws.runs.len(), 1);
        let run = &ws.runs[0];
        assert_eq!(run.spans.len(), 1 + tools);
        assert_eq!(count_kind(run, SpanKind::Tool), tools);
        assert_eq!(error_spans(run), 0);
        assert_eq!(run.logs.len(), logs);
        assert_eq!(run.status, RunStatus::Success);
        assert_eq!(metric_number(run, "iterations"), Some(iters));
        assert_eq!(metric_number(run, "duration_s"), Some(dur));
        assert_near(run.reported_cost_usd, cost);
        assert_eq!(metric_number(run, "result.past_cases_used"), Some(past));
    }
}

// The standalone get_metrics() shape has no fixture; it is the trace's own `metrics` object.
// Loaded next to its trace it adds nothing twice; alone it is a run named by its id.
#[test]
fn standalone_observer_metrics() {
    let path = format!("{DIR}/observer_failures_loop.trace.json");
    let trace = std::fs::read(&path).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&trace).unwrap();
    let metrics = serde_json::to_vec(&doc["metrics"]).unwrap();
    let ws = load_files(&[(path.as_str(), &trace), ("metrics.json", &metrics)]);
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    assert_eq!(ws.runs.len(), 1);
    let alone_trace = open(&["observer_failures_loop.trace.json"]);
    assert_eq!(ws.runs[0].metrics.len(), alone_trace.runs[0].metrics.len());
    assert_eq!(ws.runs[0].logs.len(), alone_trace.runs[0].logs.len());

    let ws = load_one("metrics.json", &metrics);
    assert_eq!(ws.runs.len(), 1);
    assert_eq!(ws.runs[0].id, "inv-drill3-001");
    assert_eq!(metric_number(&ws.runs[0], "tool_failures"), Some(4.0));
    assert_eq!(ws.problems.len(), 1);
}
