//! Seed 001 (AgentTracer, our own proposed format) fixtures. Figures read with python3, e.g.
//! python3 -c "import json;r=json.load(open('run_success_with_retry.json'));S=r['steps'];
//!   print(len(S),sum(s['metadata'].get('input_tokens',0) for s in S),len(r['decisions']))"

use spoor::model::{Run, RunStatus, SpanKind, Status, Workspace};

mod common;
use common::{assert_each_gives_a_problem, count_kind, error_spans, input_output_tokens, load_in};

const DIR: &str = "../shared/fixtures/seed-formats/seed001-agenttracer";

fn open(file: &str) -> Workspace {
    load_in(DIR, &[file])
}

// python3: 5 steps (plan, retrieval, tool failure, tool retry_of 3, respond gpt-4o); tokens
// 616+2189 in / 89+215 out; failures 0, decisions 3, quality_signals 4.
#[test]
fn run_success_with_retry() {
    let ws = open("run_success_with_retry.json");
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    assert_eq!(ws.runs.len(), 1);
    let run = &ws.runs[0];
    assert_eq!(run.id, "db5b5fab-8f4d-4e27-9da1-494c73cf256d");
    assert_eq!(run.spans.len(), 6);
    assert_eq!(count_kind(run, SpanKind::Llm), 1);
    assert_eq!(count_kind(run, SpanKind::Tool), 2);
    assert_eq!(count_kind(run, SpanKind::Planning), 1);
    assert_eq!(count_kind(run, SpanKind::Retrieval), 1);
    assert_eq!(error_spans(run), 1);
    assert_eq!(input_output_tokens(run), (2805, 304));
    assert_eq!(run.reported_cost_usd, None);
    assert_eq!(run.spans[0].name, "support-agent v1.0.0");
    assert_eq!(run.spans[0].status_text.as_deref(), Some("success"));
    assert_eq!(run.status, RunStatus::Success);
    assert_eq!(run.agent_version.as_deref(), Some("v1.0.0"));
    assert_eq!(run.environment.as_deref(), Some("production"));
    assert_eq!(
        (
            run.decisions.len(),
            run.signals.len(),
            run.failures.len(),
            run.logs.len()
        ),
        (3, 4, 0, 0)
    );
    let retry = &run.spans[4];
    assert_eq!((retry.id.as_str(), retry.seq), ("4", Some(4)));
    assert_eq!(retry.retry_of.as_deref(), Some("3"));
    assert_eq!(run.spans[3].error_type.as_deref(), Some("TimeoutError"));
    assert_eq!(run.spans[3].tool.as_ref().unwrap().name, "billing_api");
    assert_eq!(run.spans[5].model.as_deref(), Some("gpt-4o"));
    // Decision 0 names step 3 → span index 3; the latency signal names no step.
    assert_eq!(
        (run.decisions[0].step, run.decisions[0].span),
        (Some(3), Some(3))
    );
    assert_eq!(run.signals[3].span, None);
    // Root spans the run: 15:04:12.381Z → 15:04:20.969Z = 8588 ms.
    assert_eq!(run.spans[0].duration_ns(), Some(8_588_000_000));
}

// python3: status failure; 4 steps, both external_api attempts failed; failures [tool/timeout
// step 4 "External API timeout after 30s"]; decisions 3, signals 3; tokens 550/62.
#[test]
fn run_failure_tool_timeout() {
    let ws = open("run_failure_tool_timeout.json");
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    let run = &ws.runs[0];
    assert_eq!(run.spans.len(), 5);
    assert_eq!(count_kind(run, SpanKind::Llm), 0);
    assert_eq!(count_kind(run, SpanKind::Tool), 2);
    assert_eq!(error_spans(run), 3); // root + two tool attempts
    assert_eq!(input_output_tokens(run), (550, 62));
    assert_eq!(run.status, RunStatus::Failure);
    assert_eq!(run.spans[0].status_text.as_deref(), Some("failure"));
    assert_eq!(
        (run.decisions.len(), run.signals.len(), run.failures.len()),
        (3, 3, 1)
    );
    let f = &run.failures[0];
    assert_eq!(
        (f.failure_type.as_str(), f.code.as_str()),
        ("tool", "timeout")
    );
    assert_eq!((f.step, f.span), (Some(4), Some(4)));
    assert_eq!(
        run.spans[4].error_message.as_deref(),
        Some("External API timeout after 30s")
    );
}

// python3: status partial; failures retrieval/no_results (step 2) and tool/schema_invalid
// (step 3); decisions 2, signals 3; tokens 555+1283 / 51+186.
#[test]
fn run_partial() {
    let ws = open("run_partial.json");
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    let run = &ws.runs[0];
    assert_eq!(run.spans.len(), 5);
    assert_eq!(count_kind(run, SpanKind::Llm), 1);
    assert_eq!(count_kind(run, SpanKind::Tool), 1);
    assert_eq!(error_spans(run), 1);
    assert_eq!(input_output_tokens(run), (1838, 237));
    assert_eq!(run.status, RunStatus::Partial);
    assert_eq!(run.status_text.as_deref(), Some("partial"));
    assert_eq!(run.spans[0].status, Status::Unset);
    assert_eq!(
        (run.decisions.len(), run.signals.len(), run.failures.len()),
        (2, 3, 2)
    );
    assert_eq!(run.failures[0].code, "no_results");
    assert_eq!(run.failures[0].span, Some(2));
}

// python3: 10 runs, 41 steps, tokens 23178/3085, failures 3, decisions 20, signals 29, failed
// steps + failed runs = 5, tool steps 11, partial runs 2; v1.0.0 ×5 then v1.1.0 ×5.
#[test]
fn runs_version_comparison() {
    let ws = open("runs_version_comparison.json");
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    assert_eq!(ws.runs.len(), 10);
    assert_eq!(ws.span_count(), 51);
    let sum = |f: &dyn Fn(&Run) -> usize| ws.runs.iter().map(f).sum::<usize>();
    assert_eq!(sum(&|r| count_kind(r, SpanKind::Llm)), 10);
    assert_eq!(sum(&|r| count_kind(r, SpanKind::Tool)), 11);
    assert_eq!(sum(&error_spans), 5);
    assert_eq!(sum(&|r| r.failures.len()), 3);
    assert_eq!(sum(&|r| r.decisions.len()), 20);
    assert_eq!(sum(&|r| r.signals.len()), 29);
    let (i, o) = ws
        .runs
        .iter()
        .map(input_output_tokens)
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    assert_eq!((i, o), (23178, 3085));
    let v11 = ws
        .runs
        .iter()
        .filter(|r| r.agent_version.as_deref() == Some("v1.1.0"))
        .count();
    assert_eq!(v11, 5);
    let partial = ws
        .runs
        .iter()
        .filter(|r| r.status == RunStatus::Partial)
        .count();
    assert_eq!(partial, 2);
    // The orchestration failure of v1.1.0 names no step.
    let orch = ws
        .runs
        .iter()
        .flat_map(|r| &r.failures)
        .find(|f| f.failure_type == "orchestration")
        .unwrap();
    assert_eq!((orch.step, orch.span), (None, None));
}

#[test]
fn malformed_runs_give_problems_not_panics() {
    let cases: &[&str] = &[
        r#"{"run_id": "x", "agent_version": "v", "started_at": "0001-01-01T00:00:00Z", "steps": [{"seq": 1, "ended_at": "9999-12-31T23:59:59Z", "latency_ms": 1e300}]}"#,
        r#"{"run_id": 3, "agent_version": null, "steps": 7}"#,
        r#"{"run_id": "x", "agent_version": "v", "steps": [null, 1, {"seq": -1, "started_at": 5, "metadata": []}]}"#,
        r#"{"run_id": "x", "agent_version": "v", "steps": [], "failures": [{"step_seq": 99}], "decisions": [{"candidates": "a"}], "quality_signals": [{"value": "yes"}]}"#,
        r#"[{"run_id": "x", "agent_version": "v", "steps": [{"seq": 1, "started_at": "2026-03-09T15:04:12Z", "ended_at": "2026-03-09T15:04:11Z"}]}, 5]"#,
    ];
    assert_each_gives_a_problem(cases, "json");
}
