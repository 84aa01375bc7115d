//! `cargo bench --bench analysis`: times `analyze_run` on generated agent-shaped runs of 100 000
//! and 1 000 000 spans (median of 5) and prints the cost per span, which stays flat when the
//! analysis grows linearly; then the same on 100k spans of ingest's synthetic OTLP trace, as the
//! importer fills them. Plain `main`, std only: no benchmark framework needed for this.

use spoor::analysis::align::align_analysed;
use spoor::analysis::{analyze_run, analyze_run_paced, AnalysisConfig, STAGES};
use spoor::model::{Run, Span, SpanKind, Status, ToolCall, Usage};
use spoor::pace::{block_on, Pace, Rest};
use std::time::Instant;

#[path = "common/mod.rs"]
mod common;
use common::{synth_workspace, Timings, XorShift};
use spoor::fasthash::FastSet;
use spoor::view::rows::{hits, visible_rows, Query, RowFilter};

const TOOLS: [&str; 6] = [
    "search_docs",
    "read_file",
    "run_tests",
    "fetch_url",
    "sql_query",
    "write_file",
];
const MODELS: [&str; 3] = [
    "gpt-4o-mini",
    "claude-sonnet-4-5-20250929",
    "gemini-2.5-flash",
];

/// An agent run: root → iterations → (model call, then 0–3 tool calls, some with nested
/// retrieval), with failures, retries and repeated calls sprinkled in.
/// Built as model spans directly rather than with `ingest::synth`: a 1M-span run through the
/// OTLP synthesizer would be ~900 MB of JSON to write and parse first.
fn agent_run(target: usize, seed: u64) -> Run {
    let mut rng = XorShift(seed | 1);
    let mut spans: Vec<Span> = Vec::with_capacity(target + 8);
    let ms = 1_000_000i64;
    spans.push(Span {
        id: "0".into(),
        name: "agent".into(),
        kind: SpanKind::Agent,
        start_ns: 0,
        ..Span::default()
    });
    let mut t = 0i64;
    let mut iter = 0usize;
    while spans.len() < target {
        iter += 1;
        let it_idx = spans.len() as u32;
        let it_start = t;
        spans.push(Span {
            id: spans.len().to_string(),
            parent: Some(0),
            name: format!("iteration {iter}"),
            kind: SpanKind::Iteration,
            start_ns: t,
            ..Span::default()
        });
        let d = (200 + rng.below(3000) as i64) * ms;
        let model = MODELS[rng.below(3) as usize];
        spans.push(Span {
            id: spans.len().to_string(),
            parent: Some(it_idx),
            name: "chat".into(),
            kind: SpanKind::Llm,
            start_ns: t,
            end_ns: Some(t + d),
            model: Some(model.into()),
            usage: Usage {
                input: Some(500 + rng.below(4000)),
                output: Some(20 + rng.below(400)),
                cache_read: Some(rng.below(300)),
                ..Usage::default()
            },
            status: Status::Ok,
            ..Span::default()
        });
        t += d;
        for _ in 0..rng.below(4) {
            let tool = TOOLS[rng.below(TOOLS.len() as u64) as usize];
            let td = (5 + rng.below(800) as i64) * ms;
            let idx = spans.len() as u32;
            let failed = rng.below(20) == 0;
            spans.push(Span {
                id: spans.len().to_string(),
                parent: Some(it_idx),
                name: format!("tool {tool}"),
                kind: SpanKind::Tool,
                start_ns: t,
                end_ns: Some(t + td),
                status: if failed { Status::Error } else { Status::Ok },
                tool: Some(Box::new(ToolCall {
                    name: tool.into(),
                    arguments: Some(format!(
                        "{{\"q\": \"term {}\", \"limit\": 10}}",
                        rng.below(50)
                    )),
                    ..ToolCall::default()
                })),
                ..Span::default()
            });
            if rng.below(3) == 0 {
                spans.push(Span {
                    id: spans.len().to_string(),
                    parent: Some(idx),
                    name: "retrieve".into(),
                    kind: SpanKind::Retrieval,
                    start_ns: t + ms,
                    end_ns: Some(t + td - ms),
                    ..Span::default()
                });
            }
            t += td;
        }
        spans[it_idx as usize].end_ns = Some(t);
        let _ = it_start;
    }
    spans[0].end_ns = Some(t);
    Run {
        id: format!("bench-{target}"),
        name: "bench".into(),
        spans,
        ..Run::default()
    }
}

fn main() {
    let cfg = AnalysisConfig::default();
    let mut per_span = Vec::new();
    for &n in &[100_000usize, 1_000_000] {
        let run = agent_run(n, 0x9e37_79b9_7f4a_7c15);
        let mut anomalies = 0;
        let times = Timings::of_checked(
            5,
            || analyze_run(&run, &cfg),
            |a| {
                anomalies = a.anomalies.len();
                std::hint::black_box(&a);
            },
        );
        let med = times.median();
        let ns_per_span = med * 1e9 / run.spans.len() as f64;
        per_span.push(ns_per_span);
        println!(
            "analyze_run {:>9} spans: median {:>8.1} ms of 5 (min {:.1} ms, max {:.1} ms), {:.0} ns/span, {} anomalies",
            run.spans.len(),
            med * 1e3,
            times.min() * 1e3,
            times.max() * 1e3,
            ns_per_span,
            anomalies
        );
    }
    println!(
        "per-span cost ratio 1M / 100k: {:.2} (1.00 = linear)",
        per_span[1] / per_span[0]
    );

    // The page rests whenever its time slice is used up: the pace is asked at every stage and
    // every 1,024 items. Per stage, the time; and the longest stretch between two looks, which is
    // how long the page can be held still at worst (native time; WASM is slower).
    let mut runs: Vec<(String, Run)> = [100_000usize, 1_000_000]
        .iter()
        .map(|&n| (format!("{n:>9} spans"), agent_run(n, 0x9e37_79b9_7f4a_7c15)))
        .collect();
    // SPOOR_BENCH_FILE=path: also the biggest run of a trace file, e.g. the browser benchmark's
    // generated files, to compare with the stages the page logs for the same file.
    if let Ok(path) = std::env::var("SPOOR_BENCH_FILE") {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let ws = spoor::ingest::load(&[spoor::ingest::InputFile {
            name: &path,
            bytes: &bytes,
        }]);
        if let Some(run) = ws.runs.into_iter().max_by_key(|r| r.spans.len()) {
            runs.push((format!("{} spans of {path}", run.spans.len()), run));
        }
    }
    for (label, run) in &runs {
        let mut per_stage: Vec<(&str, Vec<f64>)> = Vec::new();
        let mut longest = Vec::new();
        for _ in 0..5 {
            let (mut looks, mut stage_at, mut last) = (Vec::new(), "", Instant::now());
            let mut check = |stage: &'static str| -> Option<Rest> {
                looks.push((stage_at, last.elapsed().as_secs_f64()));
                stage_at = stage;
                last = Instant::now();
                None
            };
            std::hint::black_box(block_on(analyze_run_paced(
                run,
                &cfg,
                &mut Pace::with(&mut check),
            )));
            looks.push((stage_at, last.elapsed().as_secs_f64()));
            longest.push(looks.iter().map(|l| l.1).fold(0.0, f64::max));
            for (k, stage) in STAGES.iter().enumerate() {
                let secs: f64 = looks.iter().filter(|l| l.0 == *stage).map(|l| l.1).sum();
                if per_stage.len() <= k {
                    per_stage.push((stage, Vec::new()));
                }
                per_stage[k].1.push(secs);
            }
        }
        let figures: Vec<String> = per_stage
            .into_iter()
            .map(|(name, t)| format!("{name} {:.1} ms", Timings::from(t).median() * 1e3))
            .collect();
        println!(
            "stages {label} (medians of 5): {}; longest stretch between two looks {:.1} ms",
            figures.join(", "),
            Timings::from(longest).median() * 1e3
        );
    }

    // The same analysis on spans as the importer fills them: ingest's synthetic OTLP agent
    // trace (100k spans; a 1M-span document would be ~900 MB of JSON), loaded once.
    let ws = synth_workspace(100_000, 7);
    if let Some(run) = ws.runs.iter().max_by_key(|r| r.spans.len()) {
        let times = Timings::of(5, || {
            std::hint::black_box(analyze_run(run, &cfg));
        });
        println!(
            "analyze_run {:>9} spans from ingest::synth OTLP: median {:.1} ms of 5, {:.0} ns/span",
            run.spans.len(),
            times.median() * 1e3,
            times.median() * 1e9 / run.spans.len() as f64
        );
        // One search in the waterfall's search box: every span's name, tool and attributes are
        // compared with the text, then the rows are recomputed with the flags found.
        let a = analyze_run(run, &cfg);
        let t = &a.tree;
        for q in ["Gpt-4O", "gen_ai.usage.output_tokens=57", "no such text"] {
            let filter = RowFilter {
                query: Query::parse(q),
                ..RowFilter::default()
            };
            let mut matches = 0;
            let times = Timings::of(5, || {
                let found = hits(&run.spans, &filter.query);
                let rows = visible_rows(
                    &run.spans,
                    &t.preorder,
                    &t.depth,
                    &t.parent,
                    &FastSet::default(),
                    &filter,
                    Some(&found),
                );
                matches = rows.matches.len();
            });
            println!(
                "search {q:?} over {} spans: median {:.1} ms of 5, {matches} matches",
                run.spans.len(),
                times.median() * 1e3
            );
        }
    }

    // Comparing two runs (the compare page): alignment over the analyses the page already has.
    let pairs = [(100_000usize, 20_000usize), (100_000, 100_000)];
    for (na, nb) in pairs {
        let (ra, rb) = (
            agent_run(na, 0x9e37_79b9_7f4a_7c15),
            agent_run(nb, 0x2545_f491_4f6c_dd1d),
        );
        let (aa, ab) = (analyze_run(&ra, &cfg), analyze_run(&rb, &cfg));
        let mut rows = 0;
        let times = Timings::of(5, || {
            let al = align_analysed((&ra, &aa.tree, &aa.summary), (&rb, &ab.tree, &ab.summary));
            rows = al.rows.len();
            std::hint::black_box(&al);
        });
        println!(
            "align {na} with {nb} spans: median {:.1} ms of 5, {rows} aligned steps",
            times.median() * 1e3
        );
    }
}
