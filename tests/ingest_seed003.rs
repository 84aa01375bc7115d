//! Seed 003 ("four pillars") JSON-lines fixtures. Figures read with python3, e.g.
//! python3 -c "import json;S=[json.loads(l) for l in open('sessions.jsonl')];
//!   print(sum(s['totalInputTokens'] for s in S),sum(s['totalOutputTokens'] for s in S))"

use spoor::model::{MetricValue, RunStatus, Severity, SpanKind, Workspace};

mod common;
use common::{
    assert_each_gives_a_problem, count_kind, error_spans_in, load_in, load_one, run_by_id,
};

const DIR: &str = "../shared/fixtures/seed-formats/seed003-ts-four-pillars";
const S1: &str = "31413314-968d-4a1f-b723-b2318600b31c";
const S2: &str = "e19f8dda-b6a8-4c90-ade3-37f066c4cc8b";
const S3: &str = "c330379d-347d-40a9-a68e-dac01be4edd6";
const S4: &str = "63ba1bf5-ccbf-4083-88d0-99a5cf149ff5";
const S5: &str = "525d7ea6-48df-48c8-bdce-4a0d2e249a81";

fn open(files: &[&str]) -> Workspace {
    load_in(DIR, files)
}

// python3: 5 sessions; tokens 3721 in / 430 out; cost sum 0.017612999999999997; session 1:
// durationMs 1743 ending 2026-11-21T23:59:01.480Z.
#[test]
fn sessions_jsonl_alone() {
    let ws = open(&["sessions.jsonl"]);
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    assert_eq!(ws.runs.len(), 5);
    assert_eq!(ws.span_count(), 5);
    let i: u64 = ws.runs.iter().filter_map(|r| r.reported_input_tokens).sum();
    let o: u64 = ws
        .runs
        .iter()
        .filter_map(|r| r.reported_output_tokens)
        .sum();
    assert_eq!((i, o), (3721, 430));
    let c: f64 = ws.runs.iter().filter_map(|r| r.reported_cost_usd).sum();
    assert!((c - 0.017612999999999997).abs() < 1e-12);
    let r1 = run_by_id(&ws, S1);
    assert_eq!(r1.name, "Session 31413314");
    assert_eq!(r1.spans[0].name, format!("session {S1}"));
    assert_eq!(r1.spans[0].duration_ns(), Some(1_743_000_000));
    assert_eq!(r1.status, RunStatus::Unknown);
}

// python3: 6 tool lines, the EU AI Act one status "error" ("429 Too Many Requests: ..."); each
// follows a tool_invoked event with the same query: session 1 ×1, session 2 ×3 (concurrent with
// session 1), session 3 ×1, session 4 ×1, session 5 ×0. Decisions 4/7/2/2/2, events 2/4/1/1/1;
// final_response for sessions 1, 2, 5 only.
#[test]
fn all_four_files() {
    let ws = open(&[
        "sessions.jsonl",
        "tools.jsonl",
        "decisions.jsonl",
        "events.jsonl",
    ]);
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    assert_eq!(ws.runs.len(), 5);
    assert_eq!(ws.span_count(), 5 + 6);
    let per: Vec<usize> = [S1, S2, S3, S4, S5]
        .iter()
        .map(|s| count_kind(run_by_id(&ws, s), SpanKind::Tool))
        .collect();
    assert_eq!(per, vec![1, 3, 1, 1, 0]);
    let decisions: Vec<usize> = [S1, S2, S3, S4, S5]
        .iter()
        .map(|s| run_by_id(&ws, s).decisions.len())
        .collect();
    assert_eq!(decisions, vec![4, 7, 2, 2, 2]);
    let logs: Vec<usize> = [S1, S2, S3, S4, S5]
        .iter()
        .map(|s| run_by_id(&ws, s).logs.len())
        .collect();
    assert_eq!(logs, vec![2, 4, 1, 1, 1]);
    let status: Vec<RunStatus> = [S1, S2, S3, S4, S5]
        .iter()
        .map(|s| run_by_id(&ws, s).status)
        .collect();
    use RunStatus::{Failure, Success};
    assert_eq!(status, vec![Success, Success, Failure, Failure, Success]);
    assert_eq!(
        run_by_id(&ws, S1).status_text.as_deref(),
        Some("session_complete")
    );
    assert_eq!(
        run_by_id(&ws, S3).spans[0].status_text.as_deref(),
        Some("no final response")
    );
    // 1 failed tool call + the roots of the 2 failed sessions.
    assert_eq!(error_spans_in(&ws), 3);
    let s3 = run_by_id(&ws, S3);
    let failed = s3.spans.iter().find(|s| s.kind == SpanKind::Tool).unwrap();
    assert_eq!(
        failed.error_message.as_deref(),
        Some("429 Too Many Requests: search backend rate limit exceeded")
    );
    assert_eq!(failed.parent_id.as_deref(), Some("session"));
    assert_eq!(failed.parent, Some(0));
    // Tool span timing: finished 23:59:00.598Z after 167 ms.
    let node = run_by_id(&ws, S1)
        .spans
        .iter()
        .find(|s| s.kind == SpanKind::Tool)
        .unwrap();
    assert_eq!(node.duration_ns(), Some(167_000_000));
    assert_eq!(
        node.tool.as_ref().unwrap().arguments.as_deref(),
        Some("Node.js current LTS version")
    );
    // The tool_selection decision points at that span.
    let sel = run_by_id(&ws, S1)
        .decisions
        .iter()
        .find(|d| d.decision_type == "tool_selection")
        .unwrap();
    assert_eq!(sel.selected.as_deref(), Some("search_web"));
    assert_eq!(sel.step, Some(0));
    assert_eq!(
        run_by_id(&ws, S1).spans[sel.span.unwrap() as usize].id,
        node.id
    );
    // session_complete: cost 0.004175999999999999, steps 1.
    let steps = run_by_id(&ws, S1)
        .metrics
        .iter()
        .find(|m| m.name == "session_complete.steps")
        .unwrap();
    assert_eq!(steps.value, MetricValue::Number(1.0));
}

#[test]
fn tools_jsonl_alone() {
    let ws = open(&["tools.jsonl"]);
    assert_eq!(ws.runs.len(), 1);
    assert_eq!(ws.runs[0].name, "Tool calls");
    assert_eq!(count_kind(&ws.runs[0], SpanKind::Tool), 6);
    assert_eq!(error_spans_in(&ws), 1);
    assert_eq!(ws.problems.len(), 1);
    assert_eq!(ws.problems[0].severity, Severity::Warning);
}

// Without events, only time can join: sessions 1 and 2 overlap, so the three calls made while
// both were open (python3: Node, Pinecone, Weaviate fall inside both sessions' bounds) are
// ambiguous; Qdrant, EU AI Act and Rust fall inside exactly one session.
#[test]
fn tools_with_sessions_but_no_events_joins_by_time() {
    let ws = open(&["sessions.jsonl", "tools.jsonl"]);
    assert_eq!(ws.runs.len(), 6);
    let per: Vec<usize> = [S1, S2, S3, S4, S5]
        .iter()
        .map(|s| count_kind(run_by_id(&ws, s), SpanKind::Tool))
        .collect();
    assert_eq!(per, vec![0, 1, 1, 1, 0]);
    let rest = ws
        .runs
        .iter()
        .find(|r| r.name == "Tool calls not matched to a session")
        .unwrap();
    assert_eq!(count_kind(rest, SpanKind::Tool), 3);
    assert_eq!(ws.problems.len(), 3, "{:?}", ws.problems);
    assert!(ws
        .problems
        .iter()
        .all(|p| p.message.contains("fits 2 sessions")));
    assert_eq!(ws.span_count(), 5 + 6);
}

#[test]
fn events_alone_and_decisions_alone() {
    let ws = open(&["events.jsonl"]);
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    assert_eq!(ws.runs.len(), 5);
    assert_eq!(ws.runs.iter().map(|r| r.logs.len()).sum::<usize>(), 9);
    assert_eq!(run_by_id(&ws, S4).status, RunStatus::Failure);
    assert_eq!(run_by_id(&ws, S5).status, RunStatus::Success);

    let ws = open(&["decisions.jsonl"]);
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    assert_eq!(ws.runs.len(), 5);
    assert_eq!(ws.runs.iter().map(|r| r.decisions.len()).sum::<usize>(), 17);
    assert_eq!(run_by_id(&ws, S2).status, RunStatus::Success);
    assert_eq!(run_by_id(&ws, S3).status, RunStatus::Failure);
}

#[test]
fn malformed_lines_give_problems_not_panics() {
    let cases: &[&str] = &[
        "{\"toolName\": 5, \"latencyMs\": \"slow\", \"resultPreview\": null}\n{\"toolName\": \"x\", \"latencyMs\": -3, \"resultPreview\": \"\", \"timestamp\": \"bad\"}\n",
        "{\"sessionId\": null, \"durationMs\": \"x\", \"totalInputTokens\": -1, \"totalOutputTokens\": [], \"totalCostUsd\": {}}\n",
        "{\"sessionId\": 4, \"step\": \"one\", \"type\": null, \"detail\": 7, \"metadata\": 3}\n",
        "{\"event\": \"agent.tool_invoked\", \"payload\": {\"sessionId\": [], \"tool\": 1}, \"receivedAt\": 5}\n",
    ];
    // Extreme but well-typed values must not overflow time arithmetic either.
    let extreme = "{\"sessionId\": \"s\", \"durationMs\": 18446744073709551615, \"totalInputTokens\": 1, \"totalOutputTokens\": 1, \"totalCostUsd\": 1e308, \"timestamp\": \"0001-01-01T00:00:00Z\"}\n{\"timestamp\": \"9999-12-31T23:59:59Z\", \"toolName\": \"t\", \"latencyMs\": 1e300, \"resultPreview\": \"\", \"status\": \"error\"}\n";
    let ws = load_one("extreme.jsonl", extreme.as_bytes());
    assert!(!ws.problems.is_empty());
    assert_each_gives_a_problem(cases, "jsonl");
}
