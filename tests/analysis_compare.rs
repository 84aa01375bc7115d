//! Run comparison and version groups on seed 001's ten-run version comparison file. Expected
//! figures were read out of the raw JSON with python3: per run `ended_at − started_at` in ms,
//! grouped by `agent_version`, nearest-rank percentiles; step sequences by `seq`.

use spoor::analysis::align::{align, RowKind};
use spoor::analysis::groups::{group, shift, GroupKey};
use spoor::analysis::{analyze_run, AnalysisConfig};
use spoor::model::Workspace;

mod common;
use common::{load_paths, run_by_id_prefix};

/// Seed 001's ten-run file: two agent versions, five runs each.
fn versions() -> Workspace {
    load_paths(&[
        "../shared/fixtures/seed-formats/seed001-agenttracer/runs_version_comparison.json",
    ])
}

#[test]
fn groups_by_agent_version() {
    let ws = versions();
    assert_eq!(ws.runs.len(), 10);
    let cfg = AnalysisConfig::default();
    let analyses: Vec<_> = ws.runs.iter().map(|r| analyze_run(r, &cfg)).collect();
    let pairs: Vec<_> = ws.runs.iter().zip(analyses.iter()).collect();
    let g = group(&pairs, &GroupKey::AgentVersion);
    assert_eq!(g.len(), 2);
    let v1 = g.iter().find(|x| x.value == "v1.0.0").unwrap();
    let v2 = g.iter().find(|x| x.value == "v1.1.0").unwrap();
    assert_eq!((v1.runs, v2.runs), (5, 5));
    // v1.0.0 durations: 2818, 8315, 953, 2329, 3882 ms.
    assert!((v1.duration_ms.mean - 3659.4).abs() < 1e-6);
    assert_eq!(
        (
            v1.duration_ms.p50,
            v1.duration_ms.p95,
            v1.duration_ms.min,
            v1.duration_ms.max
        ),
        (2818.0, 8315.0, 953.0, 8315.0)
    );
    // v1.1.0 durations: 3119, 4840, 2540, 2467, 5643 ms.
    assert!((v2.duration_ms.mean - 3721.8).abs() < 1e-6);
    assert_eq!((v2.duration_ms.p50, v2.duration_ms.p95), (3119.0, 5643.0));
    let s = shift(v1, v2);
    assert!((s.duration_ms.mean_delta - 62.4).abs() < 1e-6);
    assert!((s.duration_ms.p95_delta - (5643.0 - 8315.0)).abs() < 1e-9);
}

#[test]
fn alignment_of_a_clean_run_and_a_retried_one() {
    let ws = versions();
    // 32b27cad: analyze_query, kb_search, billing_api, generate_response (all success).
    // 7e3c1131: analyze_query, kb_search, billing_api (failure), billing_api, generate_response.
    let (a, b) = (
        run_by_id_prefix(&ws, "32b27cad"),
        run_by_id_prefix(&ws, "7e3c1131"),
    );
    let al = align(a, b);
    assert_eq!(al.added, 1);
    assert_eq!(al.removed, 0);
    assert_eq!(al.rows.len(), 6);
    assert_eq!(al.rows[3].kind, RowKind::Changed);
    assert_eq!(
        al.first_divergence.as_deref(),
        Some("step 3: both runs called billing_api; it succeeded in run A and failed in run B")
    );
    // The run itself is step 0, so steps count as the agent counted them (billing_api is seq 3).
    assert_eq!(al.step_base, 0);
    assert_eq!(al.totals_delta.spans, 1);
    assert_eq!(al.totals_delta.duration_ns, (8315 - 2818) * 1_000_000);
    // Same steps, other version: the root's name differs but it is still the same step.
    let c = run_by_id_prefix(&ws, "338e3fd0");
    let al = align(a, c);
    assert_eq!((al.added, al.removed), (0, 0));
}
