//! Seed 000 (code-review agent) fixtures: traces.json + log/tokens/metrics side files.
//! Every figure below was read out of the files with python3 (one-liners in the comments).

use spoor::model::{MetricValue, RunStatus, Severity, SpanKind, Status, Workspace};

mod common;
use common::{
    assert_each_gives_a_problem, assert_near, count_kind, error_spans, input_output_tokens,
    load_in, load_paths, metric_number, run_by_id, run_by_name, span_by_id,
};

const DIR: &str = "../shared/fixtures/seed-formats/seed000-code-review-agent";

/// Some files of one scenario folder.
fn scenario(name: &str, files: &[&str]) -> Workspace {
    load_in(&format!("{DIR}/{name}"), files)
}

/// A scenario's trace with all three side files.
fn all_four(name: &str) -> Workspace {
    scenario(
        name,
        &["traces.json", "log.json", "tokens.json", "metrics.json"],
    )
}

fn warnings(ws: &Workspace) -> Vec<String> {
    ws.problems
        .iter()
        .map(|p| format!("{}: {}", p.file, p.message))
        .collect()
}

// Figures: python3 -c "import json;t=json.load(open('a_success/traces.json'));S=[];w=lambda s:(S.append(s),[w(c) for c in s['children']]);[w(r) for r in t];print(len(t),len(S),sum(s['type']=='LLM_CALL' for s in S),sum(s['type']=='TOOL_CALL' for s in S),sum(s['metadata'].get('input_tokens',0) for s in S),sum(s['metadata'].get('output_tokens',0) for s in S))"
// → 1 21 6 4 4158 467; log.json has 24 entries; tokens summary estimated_cost_usd 0.015065000000000002.
#[test]
fn a_success_folder() {
    let ws = all_four("a_success");
    assert!(ws.problems.is_empty(), "{:?}", warnings(&ws));
    assert_eq!(ws.runs.len(), 1);
    let run = &ws.runs[0];
    assert_eq!(run.id, "s000-87459a4e");
    assert_eq!(run.spans.len(), 21);
    assert_eq!(count_kind(run, SpanKind::Llm), 6);
    assert_eq!(count_kind(run, SpanKind::Tool), 4);
    assert_eq!(count_kind(run, SpanKind::Chain), 4);
    assert_eq!(count_kind(run, SpanKind::Iteration), 6);
    assert_eq!(error_spans(run), 0);
    assert_eq!(input_output_tokens(run), (4158, 467));
    assert_eq!(run.reported_input_tokens, Some(4158));
    assert_eq!(run.reported_output_tokens, Some(467));
    assert_near(run.reported_cost_usd, 0.015065000000000002);
    assert_eq!(run.spans[0].name, "Agent Run: Review sample.py");
    assert_eq!(run.status_text.as_deref(), Some("SUCCESS"));
    assert_eq!(run.status, RunStatus::Success);
    assert_eq!(run.agent_id.as_deref(), Some("code-review-1795305431"));
    assert_eq!(run.logs.len(), 24);
    assert!(run.logs.iter().all(|l| l.time_ns.is_some()));
    assert_eq!(
        (run.decisions.len(), run.signals.len(), run.failures.len()),
        (0, 0, 0)
    );
    // Every model call gets the model named by AGENT_INIT.
    assert!(run
        .spans
        .iter()
        .filter(|s| s.kind == SpanKind::Llm)
        .all(|s| s.model.as_deref() == Some("gpt-4.1")));
    // Costs per call: sum of metadata.cost_usd = 0.015064999999999999.
    let cost: f64 = run.spans.iter().filter_map(|s| s.reported_cost_usd).sum();
    assert!((cost - 0.015065).abs() < 1e-12);
    // metrics.json: summary.total_iterations 6, avg_llm_latency_ms 1028.8551807403564.
    assert_eq!(metric_number(run, "summary.total_iterations"), Some(6.0));
    assert_near(
        metric_number(run, "summary.avg_llm_latency_ms"),
        1028.8551807403564,
    );
    // The plan-creation Think never ended (Q2) and stays open.
    assert_eq!(run.spans.iter().filter(|s| s.end_ns.is_none()).count(), 1);
    // Log lines land on the innermost open span: the first TOOL_CALL (23:57:13.729743) is inside
    // "Tool: read_file" c80021a2; the first THINK_COMPLETE (23:57:13.729568) was written 17 µs
    // after its Think ended (.729551), so it belongs to Iteration 2 (00f55a5d).
    let at = |ty: &str| {
        let l = run.logs.iter().find(|l| l.event_type == ty).unwrap();
        run.spans[l.span.unwrap() as usize].id.as_str()
    };
    assert_eq!(at("TOOL_CALL"), "c80021a2");
    assert_eq!(at("THINK_COMPLETE"), "00f55a5d");
}

// python3: b_errors spans 29, LLM_CALL 9, TOOL_CALL 5, statuses ERROR/JSON_ERROR/INVALID_RESPONSE 3,
// plus the patch_file tool span left "running" under the ERROR Act span; tokens 7156/574;
// metrics errors 2 (TOOL_ERROR, JSON_PARSE_ERROR); log 33 entries.
#[test]
fn b_errors_folder() {
    let ws = all_four("b_errors");
    assert!(ws.problems.is_empty(), "{:?}", warnings(&ws));
    let run = &ws.runs[0];
    assert_eq!(run.spans.len(), 29);
    assert_eq!(count_kind(run, SpanKind::Llm), 9);
    assert_eq!(count_kind(run, SpanKind::Tool), 5);
    assert_eq!(error_spans(run), 4);
    assert_eq!(input_output_tokens(run), (7156, 574));
    assert_near(run.reported_cost_usd, 0.023629999999999998);
    assert_eq!(
        run.spans[0].name,
        "Agent Run: Review sample.py and fix any bugs you find, then a"
    );
    assert_eq!(run.status_text.as_deref(), Some("SUCCESS"));
    let raised = span_by_id(run, "1db8fcfe");
    assert_eq!(raised.status, Status::Error);
    assert_eq!(raised.status_text.as_deref(), Some("running"));
    assert_eq!(
        raised.error_message.as_deref(),
        Some("patch_file() missing 1 required positional argument: 'content'")
    );
    assert!(raised.end_ns.is_some());
    assert_eq!(
        raised.tool.as_ref().unwrap().arguments.as_deref(),
        Some("[\"sample.py\"]")
    );
    let json_err = span_by_id(run, "f82c466a");
    assert_eq!(json_err.error_type.as_deref(), Some("JSON_ERROR"));
    assert_eq!(run.failures.len(), 2);
    assert_eq!(run.failures[0].code, "TOOL_ERROR");
    assert_eq!(run.failures[0].failure_type, "tool");
    assert!(run.failures[0].span.is_some());
    assert_eq!(run.logs.len(), 33);
    assert_eq!(run.logs.iter().filter(|l| l.level == "ERROR").count(), 1);
}

// python3: c_loop TOOL_CALL spans 9, all "Tool: read_file"; log.json TOOL_CALL entries 9, all
// args ['sample.py']; root MAX_ITERATIONS; tokens 10060/333; anomalies ["Possible loop detected: 5
// instances"]; potential_loops 5; log 47 entries.
#[test]
fn c_loop_folder() {
    let ws = all_four("c_loop");
    assert!(ws.problems.is_empty(), "{:?}", warnings(&ws));
    let run = &ws.runs[0];
    assert_eq!(run.spans.len(), 39);
    assert_eq!(count_kind(run, SpanKind::Llm), 10);
    let tools: Vec<_> = run
        .spans
        .iter()
        .filter(|s| s.kind == SpanKind::Tool)
        .collect();
    assert_eq!(tools.len(), 9);
    for t in &tools {
        let call = t.tool.as_ref().unwrap();
        assert_eq!(call.name, "read_file");
        assert_eq!(call.arguments.as_deref(), Some("[\"sample.py\"]"));
    }
    assert_eq!(error_spans(run), 0);
    assert_eq!(input_output_tokens(run), (10060, 333));
    assert_near(run.reported_cost_usd, 0.02848);
    assert_eq!(run.status, RunStatus::Partial);
    assert_eq!(run.status_text.as_deref(), Some("MAX_ITERATIONS"));
    assert_eq!(metric_number(run, "summary.potential_loops"), Some(5.0));
    let anomalies: Vec<_> = run
        .logs
        .iter()
        .filter(|l| l.event_type == "ANOMALY")
        .collect();
    assert_eq!(anomalies.len(), 1);
    assert_eq!(anomalies[0].message, "Possible loop detected: 5 instances");
    assert_eq!(run.logs.len(), 47 + 1);
    // tool_latencies.read_file has 9 samples.
    let lat = run
        .metrics
        .iter()
        .find(|m| m.name == "tool_latencies.read_file")
        .unwrap();
    assert!(matches!(&lat.value, MetricValue::Samples(v) if v.len() == 9));
    assert_eq!(lat.unit.as_deref(), Some("ms"));
}

// python3: d_llm_exception root ERROR {"error": "Request timed out."}; spans 9; ERROR spans 2
// (root, Think 220d584a); never-ended spans 2 (plan Think, Iteration 3); metrics errors 1
// RUNTIME_ERROR at 23:57:49.193553, 6 µs after the root ended; tokens 407/39; log 9 entries.
#[test]
fn d_llm_exception_folder() {
    let ws = all_four("d_llm_exception");
    assert!(ws.problems.is_empty(), "{:?}", warnings(&ws));
    let run = &ws.runs[0];
    assert_eq!(run.spans.len(), 9);
    assert_eq!(
        (
            count_kind(run, SpanKind::Llm),
            count_kind(run, SpanKind::Tool)
        ),
        (3, 1)
    );
    assert_eq!(error_spans(run), 2);
    assert_eq!(run.status, RunStatus::Failure);
    assert_eq!(run.status_text.as_deref(), Some("ERROR"));
    assert_eq!(
        run.spans[0].error_message.as_deref(),
        Some("Request timed out.")
    );
    assert_eq!(run.spans.iter().filter(|s| s.end_ns.is_none()).count(), 2);
    assert_eq!(input_output_tokens(run), (407, 39));
    assert_eq!(run.failures.len(), 1);
    assert_eq!(run.failures[0].code, "RUNTIME_ERROR");
    assert_eq!(run.failures[0].span, Some(0));
    assert_eq!(run.logs.len(), 9);
}

// python3: e_two_runs has 2 roots; 9 log entries before the 2nd root's start_time, 17 after;
// tokens detailed_log: run 1 = 407+583 in / 39+37 out, run 2 = 634+809+1032+1482 in /
// 131+178+35+84 out; metrics total_iterations 7 = 3 + 4.
#[test]
fn e_two_runs_folder() {
    let ws = all_four("e_two_runs");
    assert!(ws.problems.is_empty(), "{:?}", warnings(&ws));
    assert_eq!(ws.runs.len(), 2);
    let (r1, r2) = (&ws.runs[0], &ws.runs[1]);
    assert_eq!(r1.name, "Agent Run: Review sample.py");
    assert_eq!(
        r2.name,
        "Agent Run: Now make divide() and average() safe and add tests"
    );
    assert_eq!((r1.spans.len(), r2.spans.len()), (9, 15));
    assert_eq!((r1.logs.len(), r2.logs.len()), (9, 17));
    assert_eq!(r1.reported_input_tokens, Some(990));
    assert_eq!(r1.reported_output_tokens, Some(76));
    assert_eq!(r2.reported_input_tokens, Some(3957));
    assert_eq!(r2.reported_output_tokens, Some(428));
    assert_eq!(input_output_tokens(r1), (990, 76));
    // Instance-wide aggregates only on the last run, which says so.
    assert!(r1.metrics.is_empty());
    assert_eq!(metric_number(r2, "summary.total_iterations"), Some(7.0));
    assert_eq!(metric_number(r2, "tokens.total_calls"), Some(6.0));
    assert!(r2.attributes.iter().any(|a| a.key == "metrics_scope"));
    assert_eq!(r1.agent_id, r2.agent_id);
}

#[test]
fn all_five_folders_at_once_join_each_to_its_own() {
    let mut paths = Vec::new();
    for sc in common::SEED000_SCENARIOS {
        for f in ["traces.json", "log.json", "tokens.json", "metrics.json"] {
            paths.push(format!("{DIR}/{sc}/{f}"));
        }
    }
    let ws = load_paths(&paths);
    assert!(ws.problems.is_empty(), "{:?}", warnings(&ws));
    assert_eq!(ws.runs.len(), 6);
    let logs: Vec<usize> = ws.runs.iter().map(|r| r.logs.len()).collect();
    assert_eq!(logs.iter().sum::<usize>(), 24 + 33 + 47 + 1 + 9 + 26);
    let c = run_by_id(&ws, "s000-c7431163");
    assert_eq!(c.logs.len(), 48);
}

#[test]
fn traces_alone_and_side_files_alone() {
    let ws = scenario("a_success", &["traces.json"]);
    assert_eq!(ws.runs.len(), 1);
    assert!(ws.runs[0].logs.is_empty());
    assert_eq!(ws.runs[0].reported_cost_usd, None);

    let ws = scenario("b_errors", &["log.json"]);
    assert_eq!(ws.runs.len(), 1);
    assert_eq!(ws.runs[0].logs.len(), 33);
    assert_eq!(ws.problems.len(), 1);
    assert_eq!(ws.problems[0].severity, Severity::Warning);

    let ws = scenario("b_errors", &["tokens.json", "metrics.json"]);
    assert_eq!(ws.runs.len(), 2);
    let tok = run_by_name(&ws, "Token usage");
    assert_eq!(tok.logs.len(), 8);
    assert_eq!(tok.reported_input_tokens, Some(7156));
    let met = run_by_name(&ws, "Agent metrics");
    assert_eq!(met.failures.len(), 2);
    assert_eq!(ws.problems.len(), 2);
}

#[test]
fn side_files_of_another_scenario_do_not_attach() {
    // a_success traces with b_errors metrics: the figures disagree, so metrics stay apart.
    let ws = load_paths(&[
        format!("{DIR}/a_success/traces.json"),
        format!("{DIR}/b_errors/metrics.json"),
    ]);
    assert_eq!(ws.runs.len(), 2);
    assert!(ws.runs[0].metrics.is_empty());
    assert_eq!(ws.problems.len(), 1);
}

#[test]
fn malformed_documents_give_problems_not_panics() {
    let cases: &[&str] = &[
        // traces: wrong types, missing keys, nulls, non-object children
        r#"[{"span_id": 5, "parent_id": null, "start_time": "x", "children": [null, 3, {"span_id": "a"}]}]"#,
        r#"[{"span_id": "r", "parent_id": null, "start_time": 1.0, "end_time": 0.5, "children": {"a": 1}, "metadata": []}]"#,
        r#"[{"span_id": "r", "parent_id": null, "start_time": 1e300, "children": [], "type": null, "status": 7}]"#,
        r#"[{"span_id": "r", "parent_id": null, "start_time": 8.9e9, "end_time": -8.9e9, "children": []}]"#,
        // log.json-shaped with junk
        r#"[{"timestamp": 12, "agent_id": [], "level": null, "event_type": "TOOL_CALL", "message": {}}]"#,
        r#"[{"timestamp": "not a time", "agent_id": "a", "level": "INFO", "event_type": "X", "message": "m", "metadata": 3}]"#,
        // tokens / metrics shaped with junk
        r#"{"summary": 3, "detailed_log": [1, {"timestamp": null, "input_tokens": -4}]}"#,
        r#"{"summary": {"total_iterations": "many"}, "detailed_metrics": {"errors": [5, {"type": 1}], "llm_latencies": ["a"]}, "anomalies": [1, null]}"#,
    ];
    assert_each_gives_a_problem(cases, "json");
}
