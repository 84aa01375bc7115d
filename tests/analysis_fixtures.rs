//! Analysis of real fixture files through `ingest::load`. Every expected figure was read out of
//! the raw file independently with python3 (one-liners and the short scripts quoted in the
//! comments), never by running this code.

use spoor::analysis::{analyze_run, AnalysisConfig, AnomalyKind, RunAnalysis};
use spoor::model::{Run, Workspace};

mod common;
use common::{
    anomalies_of, has_anomaly, load_dir, load_paths, run_by_id_prefix, span_ids, span_index,
    FIXTURES,
};

/// Adds a generated 20,000-span run (one trace) to `ws`: big enough for paced work to rest
/// inside its stages, not only between them.
fn add_generated_run(ws: &mut Workspace) {
    use spoor::ingest::synth::{otlp_json, Synth};
    let big = otlp_json(Synth {
        spans: 20_000,
        traces: 1,
        seed: 11,
    });
    ws.runs
        .extend(common::load_files(&[("big.json", big.as_bytes())]).runs);
}

/// One fixture, named by its full path like the folders [`load_dir`] loads.
fn load_file(file: &str) -> Workspace {
    load_paths(&[format!("{FIXTURES}/{file}")])
}

fn only_run(ws: &Workspace) -> (&Run, RunAnalysis) {
    assert_eq!(
        ws.runs.len(),
        1,
        "runs: {:?}",
        ws.runs.iter().map(|r| &r.id).collect::<Vec<_>>()
    );
    let r = &ws.runs[0];
    (r, analyze_run(r, &AnalysisConfig::default()))
}

/// python3: counts by `gen_ai.operation.name` (chat 5, execute_tool 7); usage on 5 spans, none
/// nested, input 8280 / output 1180; a recursive python port of Jaeger UI's critical
/// path and interval-union self times on µs × 1000.
#[test]
fn jaeger_genai_trace_figures() {
    let ws = load_file("jaeger/genai-test-trace.json");
    let (run, a) = only_run(&ws);
    let s = &a.summary;
    assert_eq!(
        (s.spans, s.llm_calls, s.tool_calls, s.error_spans),
        (57, 5, 7, 1)
    );
    assert_eq!((s.tokens.input, s.tokens.output), (8280, 1180));
    assert_eq!(s.calls_with_usage, 5);
    for name in ["list_dashboards", "search_traces"] {
        let t = s.tools.iter().find(|t| t.name == name).unwrap();
        assert_eq!(t.calls, 3);
        assert_eq!(t.latency.p50_ns, 900_000_000);
        assert_eq!(t.latency.p95_ns, 900_000_000);
    }
    assert_eq!(s.duration_ns, 44_000_000_000);
    assert_eq!(
        span_ids(run, &a.critical_path),
        ["0000000000000001", "0000000000000002", "0000000000000003"]
    );
    let at = |id: &str| span_index(run, id);
    assert_eq!(a.self_times[at("0000000000000001")], 1_000_000_000);
    assert_eq!(a.self_times[at("0000000000000004")], 37_955_000_000);
    assert_eq!(a.self_times[at("0000000000000005")], 50_000_000);
    // model-a / model-b are test names with no price: cost unknown, never $0.
    assert_eq!(s.computed_cost_usd, None);
    assert!(!s.unpriced_models.is_empty());
}

/// python3 over a_success/traces.json: 21 spans, 6 LLM_CALL, 4 TOOL_CALL, 6 ITERATION; input
/// 4158, output 467 (= tokens.json summary); sum of metadata.cost_usd 0.015065; critical path
/// from a recursive Jaeger walk with the never-ended plan Think ending at the run's end.
#[test]
fn seed000_success_scenario() {
    let ws = load_dir("seed-formats/seed000-code-review-agent/a_success");
    let (run, a) = only_run(&ws);
    let s = &a.summary;
    assert_eq!(
        (s.spans, s.llm_calls, s.tool_calls, s.iterations),
        (21, 6, 4, 6)
    );
    assert_eq!((s.tokens.input, s.tokens.output), (4158, 467));
    assert!((s.reported_cost_usd.unwrap() - 0.015065).abs() < 1e-9);
    // gpt-4.1 (log.json AGENT_INIT) at LiteLLM's $2 / $8 per million: 4158·2e-6 + 467·8e-6.
    assert!((s.computed_cost_usd.unwrap() - 0.012052).abs() < 1e-9);
    assert!(!has_anomaly(&a, AnomalyKind::Loop));
    assert!(!has_anomaly(&a, AnomalyKind::PossibleLoop));
    let want = [
        "87459a4e", "afe3cde2", "55cf3c14", "00f55a5d", "d09339e6", "f1e2ff7b", "c80021a2",
        "79efd7ee", "850d254f", "f7f8c51d", "23abbc46", "e0439df2", "b1456df2", "acda8f25",
        "0b93aa61", "a11371d4", "5081062c", "50e2bd61", "ce1345e0", "864cc1ea", "e62abac7",
    ];
    assert_eq!(span_ids(run, &a.critical_path), want);
    // Self time of the root: 134.4 µs from the float seconds (± rounding of the conversion).
    let root = span_index(run, "87459a4e");
    assert!(
        (a.self_times[root] - 134_400).abs() <= 1_000,
        "{}",
        a.self_times[root]
    );
}

/// python3 over c_loop/traces.json: 9 TOOL_CALL spans all `read_file` on ["sample.py"]
/// (log.json TOOL_CALL args), 10 LLM_CALL, input 10060, output 333.
#[test]
fn seed000_loop_scenario_is_a_loop() {
    let ws = load_dir("seed-formats/seed000-code-review-agent/c_loop");
    let (_run, a) = only_run(&ws);
    let s = &a.summary;
    assert_eq!(
        (s.spans, s.llm_calls, s.tool_calls, s.iterations),
        (39, 10, 9, 10)
    );
    assert_eq!((s.tokens.input, s.tokens.output), (10060, 333));
    let l = anomalies_of(&a, AnomalyKind::Loop);
    assert_eq!(l.len(), 1);
    assert_eq!(l[0].span_ids.len(), 9);
    assert!(
        l[0].message.starts_with("read_file was called 9 times"),
        "{}",
        l[0].message
    );
    assert!(has_anomaly(&a, AnomalyKind::PossibleLoop));
    assert!(has_anomaly(&a, AnomalyKind::TooManyIterations));
}

/// python3 over observer_failures_loop.trace.json: get_pod_logs called 3 times with
/// {"pod_name": "payment-gw-def34"}; 9 TOOL_CALL, 9 LLM_CALL + 1 ERROR (iteration 4); tokens
/// sum 12434; tool results not "success": 4 of 9; get_pod_logs spans from TOOL_CALL to
/// TOOL_RESULT offsets 1.89 s, 1.82 s, 0.68 s.
#[test]
fn seed002_failures_loop_is_a_loop() {
    let ws = load_file("seed-formats/seed002-sre-agent/observer_failures_loop.trace.json");
    let (run, a) = only_run(&ws);
    let s = &a.summary;
    assert_eq!(s.tool_calls, 9);
    assert_eq!(s.tokens.total, 12434);
    let l = anomalies_of(&a, AnomalyKind::Loop);
    assert_eq!(l.len(), 1);
    assert!(
        l[0].message.starts_with("get_pod_logs was called 3 times"),
        "{}",
        l[0].message
    );
    assert!(l[0].span_ids.iter().all(|&i| run.spans[i as usize]
        .tool
        .as_ref()
        .is_some_and(|t| t.name == "get_pod_logs")));
    let logs = s.tools.iter().find(|t| t.name == "get_pod_logs").unwrap();
    assert_eq!(logs.calls, 3);
    assert!((logs.latency.p50_ns - 1_820_000_000).abs() <= 1_000);
    assert!((logs.latency.p95_ns - 1_890_000_000).abs() <= 1_000);
    let rate = s.tool_success_rate.unwrap();
    assert!((rate - 5.0 / 9.0).abs() < 1e-9);
    assert!(has_anomaly(&a, AnomalyKind::ToolFailureRate));
    assert!((s.reported_cost_usd.unwrap() - 0.042006).abs() < 1e-6);
}

/// The seed's own demo: 4 different tools once each, so no loop.
#[test]
fn seed002_demo_is_not_a_loop() {
    let ws = load_file("seed-formats/seed002-sre-agent/observer_demo.trace.json");
    let (_run, a) = only_run(&ws);
    assert_eq!(a.summary.tool_calls, 4);
    assert_eq!(a.summary.llm_calls, 5);
    assert!(!has_anomaly(&a, AnomalyKind::Loop));
    assert!(!has_anomaly(&a, AnomalyKind::PossibleLoop));
}

/// python3 over sessions.jsonl: per session totalInputTokens / totalOutputTokens / durationMs;
/// the spans carry no usage, so the run's own totals are the tokens shown.
#[test]
fn seed003_sessions_use_the_run_totals_for_tokens() {
    let ws = load_dir("seed-formats/seed003-ts-four-pillars");
    assert_eq!(ws.runs.len(), 5);
    let want = [
        ("31413314", 887, 101, 1743),
        ("e19f8dda", 1635, 214, 4602),
        ("c330379d", 404, 58, 842),
        ("63ba1bf5", 401, 40, 2192),
        ("525d7ea6", 394, 17, 1273),
    ];
    for (id, input, output, ms) in want {
        let run = run_by_id_prefix(&ws, id);
        let a = analyze_run(run, &AnalysisConfig::default());
        let s = &a.summary;
        assert!(s.tokens_from_run, "{id}");
        assert_eq!((s.tokens.input, s.tokens.output), (input, output), "{id}");
        assert_eq!(s.duration_ns, ms * 1_000_000, "{id}");
    }
}

/// The page's analysis rests whenever its time slice is used up; resting at every look must not
/// change a figure. Seed 002's runs (several runs, failures, loops), the Jaeger GenAI trace and a
/// generated 20,000-span trace, each analysed with a rest at every look, against `analyze_run`.
#[test]
fn an_analysis_cut_at_every_look_equals_the_one_call() {
    use spoor::analysis::{analyze_run_paced, STAGES};
    use spoor::pace::{block_on, Pace};
    use std::cell::{Cell, RefCell};
    let cfg = AnalysisConfig::default();
    let mut ws = load_dir("seed-formats/seed002-sre-agent");
    ws.runs
        .extend(load_file("jaeger/genai-test-trace.json").runs);
    add_generated_run(&mut ws);
    assert!(ws.runs.len() >= 4, "runs: {}", ws.runs.len());
    for run in &ws.runs {
        let (rests, stages) = (Cell::new(0), RefCell::new(Vec::new()));
        let mut check = common::rest_at_every_look(&rests, &stages);
        let paced = block_on(analyze_run_paced(run, &cfg, &mut Pace::with(&mut check)));
        assert_eq!(*stages.borrow(), STAGES, "{}", run.id);
        if run.spans.len() == 20_000 {
            // Rests inside the stages, not only between them: a look every 1,024 items of
            // several passes over the spans.
            assert!(rests.get() > 5 * 20_000 / 1024, "rests: {}", rests.get());
        }
        assert_eq!(
            serde_json::to_string(&paced).unwrap(),
            serde_json::to_string(&analyze_run(run, &cfg)).unwrap(),
            "{}",
            run.id
        );
    }
}

/// Comparing two runs on the page rests too (a million-span run held it for half a second):
/// an alignment cut at every look equals the one call, for two versions of the same agent and
/// for a 20,000-span run against a small one.
#[test]
fn an_alignment_cut_at_every_look_equals_the_one_call() {
    use spoor::analysis::align::{align_analysed, align_analysed_paced};
    use spoor::pace::{block_on, Pace};
    use std::cell::{Cell, RefCell};
    let cfg = AnalysisConfig::default();
    let mut ws = load_file("seed-formats/seed001-agenttracer/runs_version_comparison.json");
    add_generated_run(&mut ws);
    let analyses: Vec<RunAnalysis> = ws.runs.iter().map(|r| analyze_run(r, &cfg)).collect();
    let side = |i: usize| (&ws.runs[i], &analyses[i].tree, &analyses[i].summary);
    let last = ws.runs.len() - 1;
    assert_eq!(ws.runs[last].spans.len(), 20_000);
    for (x, y) in [(0, 1), (last, 0)] {
        let (rests, stages) = (Cell::new(0), RefCell::new(Vec::new()));
        let mut check = common::rest_at_every_look(&rests, &stages);
        let paced = block_on(align_analysed_paced(
            side(x),
            side(y),
            &mut Pace::with(&mut check),
        ));
        assert_eq!(*stages.borrow(), ["keys", "diff", "rows"]);
        assert_eq!(paced, align_analysed(side(x), side(y)));
        if x == last {
            assert!(rests.get() > 2 * 20_000 / 1024, "rests: {}", rests.get());
        }
    }
}
