//! Analysis on runs built by hand, where every expected figure follows from the construction.

use spoor::analysis::align::{align_with, RowKind};
use spoor::analysis::critical_path::{critical_path, critical_sections};
use spoor::analysis::groups::{group, shift, GroupKey};
use spoor::analysis::timing::self_times;
use spoor::analysis::{
    analyze_run, AnalysisConfig, AnomalyKind, Price, PriceTable, Thresholds, Tree,
};
use spoor::model::{flags, Run, Span, SpanKind, Status, ToolCall, Usage};

mod common;
use common::{anomalies_of, has_anomaly, span_ids};

const MS: i64 = 1_000_000;

fn span(id: &str, parent: Option<u32>, kind: SpanKind, start_ms: i64, end_ms: Option<i64>) -> Span {
    Span {
        id: id.into(),
        name: id.into(),
        parent,
        kind,
        start_ns: start_ms * MS,
        end_ns: end_ms.map(|e| e * MS),
        ..Span::default()
    }
}

fn tool(id: &str, parent: u32, name: &str, args: &str, start: i64, end: i64) -> Span {
    let mut s = span(id, Some(parent), SpanKind::Tool, start, Some(end));
    s.tool = Some(Box::new(ToolCall {
        name: name.into(),
        arguments: Some(args.into()),
        ..ToolCall::default()
    }));
    s
}

fn llm(id: &str, parent: u32, model: &str, start: i64, end: i64, input: u64, output: u64) -> Span {
    let mut s = span(id, Some(parent), SpanKind::Llm, start, Some(end));
    s.model = Some(model.into());
    s.usage = Usage {
        input: Some(input),
        output: Some(output),
        ..Usage::default()
    };
    s
}

fn run(spans: Vec<Span>) -> Run {
    Run {
        id: "r".into(),
        name: "r".into(),
        spans,
        ..Run::default()
    }
}

#[test]
fn tree_orders_children_and_hangs_orphans_and_extra_roots() {
    let mut orphan = span("o", None, SpanKind::Other, 5, Some(6));
    orphan.flags = flags::ORPHAN;
    let r = run(vec![
        span("root", None, SpanKind::Agent, 0, Some(100)),
        span("late", Some(0), SpanKind::Other, 50, Some(60)),
        span("early", Some(0), SpanKind::Other, 10, Some(20)),
        span("second-root", None, SpanKind::Agent, 70, Some(80)),
        orphan,
        span("kid", Some(2), SpanKind::Other, 11, Some(12)),
    ]);
    let t = Tree::build(&r);
    assert_eq!(t.root, Some(0));
    assert_eq!(
        span_ids(&r, t.children(0)),
        ["o", "early", "late", "second-root"]
    );
    assert_eq!(
        span_ids(&r, &t.preorder),
        ["root", "o", "early", "kid", "late", "second-root"]
    );
    assert_eq!(span_ids(&r, &t.orphans), ["second-root", "o"]);
    assert_eq!(t.depth, vec![0, 1, 1, 1, 1, 2]);
}

#[test]
fn tree_cuts_parent_cycles_and_survives_deep_chains() {
    // 1 and 2 point at each other: no root reaches them.
    let r = run(vec![
        span("root", None, SpanKind::Agent, 0, Some(10)),
        span("a", Some(2), SpanKind::Other, 1, Some(2)),
        span("b", Some(1), SpanKind::Other, 3, Some(4)),
    ]);
    let t = Tree::build(&r);
    assert_eq!(t.preorder.len(), 3);
    assert_eq!(span_ids(&r, &t.orphans), ["a"]);
    assert_eq!(t.parent[2], Some(1));

    let n = 100_000u32;
    let chain: Vec<Span> = (0..n)
        .map(|i| {
            span(
                &i.to_string(),
                i.checked_sub(1),
                SpanKind::Other,
                i as i64,
                Some(2 * n as i64 - i as i64),
            )
        })
        .collect();
    let r = run(chain);
    let t = Tree::build(&r);
    assert_eq!(t.depth[n as usize - 1], n - 1);
    assert_eq!(t.preorder.len(), n as usize);
    let st = self_times(&r, &t);
    assert_eq!(st[0], 2 * MS);
    assert_eq!(critical_path(&r, &t).len(), n as usize);
}

#[test]
fn self_time_merges_overlapping_children_and_clips_them() {
    let r = run(vec![
        span("p", None, SpanKind::Agent, 0, Some(100)),
        span("a", Some(0), SpanKind::Tool, 10, Some(40)),
        span("b", Some(0), SpanKind::Tool, 30, Some(50)), // overlaps a
        span("c", Some(0), SpanKind::Tool, 90, Some(130)), // runs past the parent
        span("open", Some(1), SpanKind::Other, 35, None), // never ended: ends at run end (130)
    ]);
    let t = Tree::build(&r);
    let st = self_times(&r, &t);
    // p: 100 − [10,50] − [90,100] = 50
    assert_eq!(st[0], 50 * MS);
    // a: 30 − [35,40] = 25
    assert_eq!(st[1], 25 * MS);
    assert_eq!(st[4], 95 * MS);
}

#[test]
fn critical_path_follows_jaeger_definition() {
    // |-------------A (0..100)-------------|
    //    |--B 10..40--|   |--C 50..90--|
    //                         |D 60..70|
    let r = run(vec![
        span("A", None, SpanKind::Agent, 0, Some(100)),
        span("B", Some(0), SpanKind::Llm, 10, Some(40)),
        span("C", Some(0), SpanKind::Tool, 50, Some(90)),
        span("D", Some(2), SpanKind::Other, 60, Some(70)),
        span("E", Some(0), SpanKind::Other, 15, Some(35)), // hidden under B
    ]);
    let t = Tree::build(&r);
    let secs = critical_sections(&r, &t);
    let got: Vec<(String, i64, i64)> = secs
        .iter()
        .map(|s| {
            (
                r.spans[s.span as usize].id.clone(),
                s.start_ns / MS,
                s.end_ns / MS,
            )
        })
        .collect();
    let want = [
        ("A", 0, 10),
        ("B", 10, 40),
        ("A", 40, 50),
        ("C", 50, 60),
        ("D", 60, 70),
        ("C", 70, 90),
        ("A", 90, 100),
    ];
    let want: Vec<(String, i64, i64)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), *b, *c))
        .collect();
    assert_eq!(got, want);
    assert_eq!(span_ids(&r, &critical_path(&r, &t)), ["A", "B", "C", "D"]);
    // Back-to-back siblings both count (Jaeger's strict comparison would drop X).
    let r = run(vec![
        span("P", None, SpanKind::Agent, 0, Some(30)),
        span("X", Some(0), SpanKind::Other, 0, Some(10)),
        span("Y", Some(0), SpanKind::Other, 10, Some(30)),
    ]);
    assert_eq!(
        span_ids(&r, &critical_path(&r, &Tree::build(&r))),
        ["X", "Y"]
    );
}

fn agent_run() -> Run {
    let mut agent = span("agent", None, SpanKind::Agent, 0, Some(10_000));
    // An aggregate on the agent span must not be added on top of its children.
    agent.usage = Usage {
        input: Some(999),
        output: Some(999),
        ..Usage::default()
    };
    agent.reported_cost_usd = Some(9.0);
    let mut unknown = llm("m3", 0, "mystery-model-7", 4000, 4500, 100, 10);
    unknown.reported_cost_usd = Some(0.5);
    run(vec![
        agent,
        llm("m1", 0, "gpt-4o-2024-08-06", 0, 1000, 1000, 100),
        tool("t1", 0, "search", r#"{"q": "x", "n": 1}"#, 1000, 1200),
        llm("m2", 0, "openai/gpt-4o", 1200, 4000, 2000, 200),
        unknown,
        tool("t2", 0, "search", r#"{"n":1,"q":"x"}"#, 4500, 4600),
        tool("t3", 0, "search", r#"{"q":"x","n":1}"#, 4600, 9000),
    ])
}

#[test]
fn summary_counts_tokens_once_and_prices_known_models() {
    let r = agent_run();
    let a = analyze_run(&r, &AnalysisConfig::default());
    let s = &a.summary;
    assert_eq!(
        (s.spans, s.llm_calls, s.tool_calls, s.iterations),
        (7, 3, 3, 3)
    );
    assert_eq!(s.tokens.input, 3100);
    assert_eq!(s.tokens.output, 310);
    assert_eq!(s.tokens.total, 3410);
    // gpt-4o: $2.50 in, $10 out per million tokens; 3000 in and 300 out.
    let c = s.computed_cost_usd.unwrap();
    assert!((c - (3000.0 * 2.5e-6 + 300.0 * 1e-5)).abs() < 1e-12, "{c}");
    assert_eq!(s.unpriced_models, ["mystery-model-7"]);
    // Reported: only m3 reports, the agent's 9.0 sits above it.
    assert_eq!(s.reported_cost_usd, Some(0.5));
    let search = s.tools.iter().find(|t| t.name == "search").unwrap();
    assert_eq!(search.calls, 3);
    // Latencies 200, 100, 4400 ms: nearest-rank p50 = 200, p95 = 4400.
    assert_eq!(search.latency.p50_ns, 200 * MS);
    assert_eq!(search.latency.p95_ns, 4400 * MS);
    assert_eq!(s.duration_ns, 10_000 * MS);
}

#[test]
fn cost_is_none_when_no_model_has_a_price_and_user_prices_win() {
    let r = run(vec![
        span("agent", None, SpanKind::Agent, 0, Some(10)),
        llm("m", 0, "house-model", 0, 5, 1_000_000, 0),
    ]);
    let mut cfg = AnalysisConfig::default();
    assert_eq!(analyze_run(&r, &cfg).summary.computed_cost_usd, None);
    cfg.prices.set_user_price(
        "house-model",
        Price {
            input: 2e-6,
            output: 0.0,
            ..Price::default()
        },
    );
    let c = analyze_run(&r, &cfg).summary.computed_cost_usd.unwrap();
    assert!((c - 2.0).abs() < 1e-9);
}

#[test]
fn price_lookup_strips_prefixes_dates_and_falls_back_to_prefixes() {
    let t = PriceTable::bundled();
    assert!(t.len() > 30, "bundled prices load");
    let key = |m: &str| t.lookup(m).map(|(k, _)| k.to_string());
    assert_eq!(key("gpt-4o-mini").as_deref(), Some("gpt-4o-mini"));
    assert_eq!(key("openai/gpt-4o").as_deref(), Some("gpt-4o"));
    assert_eq!(
        key("gpt-4o-mini-2024-07-18").as_deref(),
        Some("gpt-4o-mini-2024-07-18")
    );
    assert_eq!(
        key("claude-3-7-sonnet@20250219").as_deref(),
        Some("claude-3-7-sonnet-20250219")
    );
    assert_eq!(
        key("gpt-4.1-mini-2099-01-01").as_deref(),
        Some("gpt-4.1-mini")
    );
    assert_eq!(key("gpt-4o-some-new-variant").as_deref(), Some("gpt-4o"));
    assert_eq!(key("mystery"), None);
    assert_eq!(
        key("gemini-2.5-flash-lite").as_deref(),
        Some("gemini-2.5-flash-lite-preview-06-17")
    );
    assert_eq!(
        key("projects/p/locations/europe-central2/publishers/google/models/gemini-2.5-flash")
            .as_deref(),
        Some("gemini-2.5-flash")
    );
    assert_eq!(
        key("models/gemini-2.0-flash-001").as_deref(),
        Some("gemini-2.0-flash-001")
    );
    assert_eq!(
        key("claude-sonnet-4-5-20250929-v1:0").as_deref(),
        Some("claude-sonnet-4-5")
    );
    assert!(t.source.contains("litellm") && t.source_commit.len() == 40);
}

#[test]
fn repeated_calls_are_a_loop_with_waste_after_the_first() {
    let r = agent_run();
    let a = analyze_run(&r, &AnalysisConfig::default());
    let l = anomalies_of(&a, AnomalyKind::Loop);
    assert_eq!(l.len(), 1);
    assert_eq!(span_ids(&r, &l[0].span_ids), ["t1", "t2", "t3"]);
    assert!(
        l[0].message.contains("search was called 3 times"),
        "{}",
        l[0].message
    );
    // From the end of t1 (1200 ms) to the end of t3 (9000 ms); m2 and m3 start in between.
    assert_eq!(l[0].cost.time_ns, 7800 * MS);
    assert_eq!(l[0].cost.tokens, 2200 + 110);
    // Three calls only: below seed 000's window of five.
    assert!(!has_anomaly(&a, AnomalyKind::PossibleLoop));
    assert!(has_anomaly(&a, AnomalyKind::SlowModel));
}

#[test]
fn possible_loop_retry_and_error_cascade() {
    let mut spans = vec![span("agent", None, SpanKind::Agent, 0, Some(100))];
    for (i, name) in ["a", "b", "a", "b", "a", "c"].iter().enumerate() {
        let t = i as i64 * 10;
        spans.push(tool(
            &format!("t{i}"),
            0,
            name,
            &format!("{{\"i\":{i}}}"),
            t,
            t + 5,
        ));
    }
    let r = run(spans);
    let a = analyze_run(&r, &AnalysisConfig::default());
    let p = anomalies_of(&a, AnomalyKind::PossibleLoop);
    assert_eq!(p.len(), 1);
    assert_eq!(span_ids(&r, &p[0].span_ids), ["t0", "t1", "t2", "t3", "t4"]);
    assert!(!has_anomaly(&a, AnomalyKind::Loop));

    // Implicit retry: a failed call repeated with the same arguments, then success.
    let mut f1 = tool("f1", 1, "fetch", "{\"u\":1}", 10, 30);
    f1.status = Status::Error;
    f1.error_type = Some("timeout".into());
    let mut act = span("act", Some(0), SpanKind::Chain, 5, Some(60));
    act.status = Status::Error;
    let mut root = span("root", None, SpanKind::Agent, 0, Some(100));
    root.status = Status::Error;
    let mut boom = tool("boom", 1, "write", "{}", 50, 55);
    boom.status = Status::Error;
    let r = run(vec![
        root,
        act,
        f1,
        tool("f2", 1, "fetch", "{ \"u\": 1 }", 31, 40),
        boom,
    ]);
    let a = analyze_run(&r, &AnalysisConfig::default());
    let rt = anomalies_of(&a, AnomalyKind::Retry);
    assert_eq!(rt.len(), 1);
    assert_eq!(span_ids(&r, &rt[0].span_ids), ["f1", "f2"]);
    assert_eq!(rt[0].cost.time_ns, 20 * MS);
    assert!(
        rt[0]
            .message
            .contains("fetch was retried 1 time after timeout"),
        "{}",
        rt[0].message
    );
    let ec = anomalies_of(&a, AnomalyKind::ErrorCascade);
    assert_eq!(ec.len(), 1);
    assert_eq!(span_ids(&r, &ec[0].span_ids), ["f1", "boom", "act", "root"]);
    assert!(
        ec[0]
            .message
            .starts_with("fetch and write failed and the failure spread to act, then root"),
        "{}",
        ec[0].message
    );
    assert!(has_anomaly(&a, AnomalyKind::ToolFailureRate));

    // Explicit retry_of links (seed 001).
    let mut s1 = tool("1", 0, "billing_api", "", 0, 30_000);
    s1.status = Status::Error;
    let mut s2 = tool("2", 0, "billing_api", "", 30_000, 31_000);
    s2.retry_of = Some("1".into());
    let r = run(vec![
        span("0", None, SpanKind::Agent, 0, Some(40_000)),
        s1,
        s2,
    ]);
    let a = analyze_run(&r, &AnalysisConfig::default());
    let rt = anomalies_of(&a, AnomalyKind::Retry);
    assert_eq!(rt.len(), 1);
    assert_eq!(rt[0].cost.time_ns, 30_000 * MS);
    assert!(has_anomaly(&a, AnomalyKind::SlowTool));
}

#[test]
fn thresholds_match_the_seeds() {
    let t = Thresholds::default();
    assert_eq!(
        (
            t.loop_min_calls,
            t.possible_loop_window,
            t.possible_loop_max_distinct
        ),
        (3, 5, 2)
    );
    assert_eq!((t.max_iterations, t.max_errors), (10, 3));
    assert_eq!(
        (t.slow_model_mean_ms, t.long_run_s, t.max_cost_usd),
        (2000.0, 60.0, 0.30)
    );
    for k in AnomalyKind::ALL {
        assert_eq!(AnomalyKind::parse(k.as_str()), Some(k));
    }
}

#[test]
fn alignment_names_the_first_divergence() {
    let mk = |second: &str| {
        run(vec![
            span("agent", None, SpanKind::Agent, 0, Some(100)),
            llm("m1", 0, "gpt-4o", 0, 10, 10, 1),
            tool("t1", 0, "plan", "{}", 10, 20),
            llm("m2", 0, "gpt-4o", 20, 30, 10, 1),
            tool("t2", 0, second, "{}", 30, 40),
            llm("m3", 0, "gpt-4o", 40, 50, 10, 1),
        ])
    };
    let (a, b) = (mk("search_docs"), mk("cache_lookup"));
    let al = align_with(&a, &b, &PriceTable::bundled());
    assert_eq!((al.matched, al.added, al.removed), (5, 1, 1));
    assert_eq!(
        al.first_divergence.as_deref(),
        Some("step 4: run A called search_docs, run B called cache_lookup")
    );
    assert_eq!(al.rows[4].kind, RowKind::Removed);
    let same = align_with(&a, &a, &PriceTable::bundled());
    assert_eq!(same.first_divergence, None);
    assert_eq!(same.totals_delta.tokens, 0);
}

#[test]
fn groups_by_version_and_shift() {
    let mut runs = Vec::new();
    for (v, dur) in [("v1", 100), ("v1", 300), ("v2", 50)] {
        let mut r = run(vec![span("a", None, SpanKind::Agent, 0, Some(dur))]);
        r.agent_version = Some(v.into());
        runs.push(r);
    }
    let cfg = AnalysisConfig::default();
    let an: Vec<_> = runs.iter().map(|r| analyze_run(r, &cfg)).collect();
    let pairs: Vec<_> = runs.iter().zip(an.iter()).collect();
    let g = group(&pairs, &GroupKey::AgentVersion);
    assert_eq!(g.len(), 2);
    assert_eq!((g[0].value.as_str(), g[0].runs), ("v1", 2));
    assert_eq!(g[0].duration_ms.mean, 200.0);
    assert_eq!(g[0].duration_ms.p95, 300.0);
    let s = shift(&g[0], &g[1]);
    assert_eq!(s.duration_ms.mean_delta, -150.0);
}

#[test]
fn alignment_of_ten_thousand_steps_stays_fast() {
    let mk = |n: usize, every: usize, name: &str| {
        let mut spans = vec![span(
            "root",
            None,
            SpanKind::Agent,
            0,
            Some(n as i64 * 10 + 10),
        )];
        for i in 0..n {
            let tool_name = if every > 0 && i % every == 0 {
                name
            } else {
                "search"
            };
            spans.push(tool(
                &format!("t{i}"),
                0,
                tool_name,
                "{}",
                i as i64 * 10,
                i as i64 * 10 + 5,
            ));
        }
        run(spans)
    };
    let prices = PriceTable::bundled();
    // Speed is measured in `cargo bench --bench analysis`, not asserted here.
    // A few differences: exact alignment.
    let al = align_with(&mk(10_000, 0, ""), &mk(10_000, 2_500, "fetch"), &prices);
    assert!(!al.approximate);
    assert_eq!((al.added, al.removed), (4, 4));
    // Everything different: the positional fallback, still a full table.
    let al = align_with(&mk(10_000, 1, "a"), &mk(10_000, 1, "b"), &prices);
    assert!(al.approximate);
    assert_eq!((al.added, al.removed, al.matched), (10_000, 10_000, 1));
    // Lengths further apart than the edit budget (2,000) cannot align exactly: the positional
    // fallback at once, with every step of the longer run in the table.
    let al = align_with(&mk(100, 0, ""), &mk(2_200, 0, ""), &prices);
    assert!(al.approximate);
    assert_eq!((al.matched, al.added, al.removed), (100, 2_100, 0));
    assert_eq!(al.rows.len(), 2_201);
    // Within the budget, exact as before.
    let al = align_with(&mk(100, 0, ""), &mk(1_900, 0, ""), &prices);
    assert!(!al.approximate);
    assert_eq!((al.matched, al.added, al.removed), (100, 1_800, 0));
}
