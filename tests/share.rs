//! Share links through real fixtures: exact round trips, what redaction removes and keeps, and
//! damaged links that must fail with a message instead of a panic. Expected figures were read out
//! of the fixture files independently with python3 (see each test).

use proptest::prelude::*;
use spoor::model::{
    Attr, AttrValue, Decision, Failure, LogEvent, Metric, MetricValue, Origin, QualitySignal, Run,
    Span, SpanEvent, SpanKind, SpanLink, Status, ToolCall, Usage,
};
use spoor::share::{
    data_from_fragment, decode_run, encode_run, fragment_with_data, redact, LinkReport,
    RedactOptions, ShareError, CHAT_LIMIT_CHARS,
};
use spoor::view::state::ViewState;

mod common;
use common::{load_fixture, FIXTURES};

const OPENAI_AGENTS: &str = "langfuse/openai-agents-2025-09-30.trace.json";
const RAG: &str = "otlp/agent-prism/rag_earnings_agent.json";
const AGENTTRACER: &str = "seed-formats/seed001-agenttracer/runs_version_comparison.json";

const TEXT: RedactOptions = RedactOptions { include_text: true };
const REDACTED: RedactOptions = RedactOptions {
    include_text: false,
};

fn runs(path: &str) -> Vec<Run> {
    let ws = load_fixture(path);
    assert!(!ws.runs.is_empty(), "{path} loads");
    ws.runs
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::to_value(run).expect("a run serializes")
}

/// Every string in the run (keys and values), found through its JSON form so no field is missed.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.iter().for_each(|(k, x)| {
            out.push(k.clone());
            strings(x, out)
        }),
        _ => {}
    }
}

fn mentions(run: &Run, needle: &str) -> bool {
    let mut all = Vec::new();
    strings(&json(run), &mut all);
    all.iter().any(|s| s.contains(needle))
}

fn totals(runs: &[Run]) -> (u64, u64, f64) {
    let spans = runs.iter().flat_map(|r| &r.spans);
    let (mut input, mut output, mut cost) = (0, 0, 0.0);
    for s in spans {
        input += s.usage.input.unwrap_or(0);
        output += s.usage.output.unwrap_or(0);
        cost += s.reported_cost_usd.unwrap_or(0.0);
    }
    (input, output, cost)
}

#[test]
fn every_fixture_run_round_trips_exactly_with_text() {
    let mut files = 0;
    for dir in ["langfuse", "otlp", "otlp/agent-prism", "jaeger"]
        .into_iter()
        .chain(
            [
                "seed001-agenttracer",
                "seed002-sre-agent",
                "seed003-ts-four-pillars",
            ]
            .map(|d| Box::leak(format!("seed-formats/{d}").into_boxed_str()) as &str),
        )
    {
        for entry in std::fs::read_dir(format!("{FIXTURES}/{dir}")).expect("fixture dir") {
            let path = entry.expect("dir entry").path();
            if !path.is_file() || path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let rel = path.strip_prefix(FIXTURES).expect("under fixtures");
            for run in runs(&rel.to_string_lossy()) {
                let link = encode_run(&redact(&run, &TEXT));
                let back = decode_run(&link).expect("own link decodes");
                assert_eq!(json(&back), json(&run), "{}", rel.display());
            }
            files += 1;
        }
    }
    assert!(files >= 45, "walked {files} fixture files");
}

#[test]
fn a_redacted_link_leaves_the_prompts_behind() {
    // python3: observations[2].input[0].content == "What's the weather in Tokyo?"
    let run = &runs(OPENAI_AGENTS)[0];
    assert!(mentions(run, "What's the weather in Tokyo?"));
    let fragment = fragment_with_data(&ViewState::default(), run, &REDACTED);
    let back = data_from_fragment(&fragment)
        .expect("has data")
        .expect("decodes");
    assert!(!mentions(&back, "weather in Tokyo"));
    // The score's comment (free text on the trace) goes too.
    assert!(!mentions(&back, "aggressive and dismissive"));
    // The link itself is compressed binary, so the text cannot appear in it either way.
    assert!(!fragment.contains("Tokyo"));

    // python3: span 1's input.value is "what was meta's revenue in Q4 2023"; retrieved
    // documents quote "Meta Platforms Inc. Q4 2023 Earnings Report".
    let run = &runs(RAG)[0];
    assert!(mentions(run, "what was meta's revenue in Q4 2023"));
    let back = decode_run(&encode_run(&redact(run, &REDACTED))).expect("decodes");
    assert!(!mentions(&back, "meta's revenue"));
    assert!(!mentions(&back, "Earnings Report"));
    // The key stays, with a marker saying how much was there.
    let input = back.spans[0].attrs.iter().find(|a| a.key == "input.value");
    let marker = input
        .and_then(|a| a.value.as_str())
        .expect("input.value kept as a marker");
    assert_eq!(marker, "‹redacted 34 chars›");
}

#[test]
fn redaction_keeps_structure_tokens_costs_and_statuses() {
    // python3 over observations: usageDetails input 85+55, output 29+15; costDetails total
    // 0.000402+0.00023; 5 observations.
    let original = runs(OPENAI_AGENTS);
    let red: Vec<Run> = original.iter().map(|r| redact(r, &REDACTED)).collect();
    let (input, output, cost) = totals(&red);
    assert_eq!((input, output), (140, 44));
    assert!((cost - 0.000632).abs() < 1e-12, "{cost}");
    assert_eq!(red[0].spans.len(), 5);

    // python3 over all spans: 18 spans; llm.token_count.prompt 629, completion 19;
    // 15 with STATUS_CODE_OK, 3 with no status.
    let red = redact(&runs(RAG)[0], &REDACTED);
    let back = decode_run(&encode_run(&red)).expect("decodes");
    assert_eq!(back.spans.len(), 18);
    assert_eq!(totals(std::slice::from_ref(&back)).0, 629);
    assert_eq!(totals(std::slice::from_ref(&back)).1, 19);
    let ok = back.spans.iter().filter(|s| s.status == Status::Ok).count();
    assert_eq!(ok, 15);
    assert_eq!(back.spans[10].name, "ChatOpenAI");
    // python3: span 10 (ChatOpenAI) has llm.model_name "gpt-3.5-turbo", the only model.
    let model = back.spans.iter().find_map(|s| s.model.clone());
    assert_eq!(model.as_deref(), Some("gpt-3.5-turbo"));
    let kind = back.spans[10]
        .attrs
        .iter()
        .find(|a| a.key == "openinference.span.kind");
    assert_eq!(kind.and_then(|a| a.value.as_str()), Some("LLM"));

    // python3: 10 runs, 41 steps (+1 root each), input 23178, output 3085 tokens, 4 failed
    // steps, 3 failures, 20 decisions, 29 signals.
    let original = runs(AGENTTRACER);
    let red: Vec<Run> = original.iter().map(|r| redact(r, &REDACTED)).collect();
    let back: Vec<Run> = red
        .iter()
        .map(|r| decode_run(&encode_run(r)).expect("decodes"))
        .collect();
    assert_eq!(back.iter().map(|r| r.spans.len()).sum::<usize>(), 51);
    assert_eq!(totals(&back).0, 23178);
    assert_eq!(totals(&back).1, 3085);
    let failed = back.iter().flat_map(|r| &r.spans);
    let failed = failed.filter(|s| s.seq.is_some() && s.status == Status::Error);
    assert_eq!(failed.count(), 4);
    assert_eq!(back.iter().map(|r| r.decisions.len()).sum::<usize>(), 20);
    assert_eq!(back.iter().map(|r| r.signals.len()).sum::<usize>(), 29);
    let failures: Vec<_> = back.iter().flat_map(|r| &r.failures).collect();
    assert_eq!(failures.len(), 3);
    assert_eq!(failures[0].code, "rate_limited");
    assert_eq!(failures[0].message, "‹redacted 44 chars›");
    for (a, b) in original.iter().zip(&back) {
        let names = |r: &Run| r.spans.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(a), names(b));
        assert_eq!((a.status, &a.agent_version), (b.status, &b.agent_version));
    }
}

#[test]
fn the_fragment_carries_the_view_and_the_run() {
    let run = &runs(RAG)[0];
    let view = ViewState::from_fragment("#run=abc&span=x1&panel=cost&q=meta%20x");
    let fragment = fragment_with_data(&view, run, &TEXT);
    assert_eq!(ViewState::from_fragment(&fragment), view);
    let data = fragment.split("&data=").nth(1).expect("data key last");
    assert!(!data.contains(['&', '=', '#', '%']));
    let back = data_from_fragment(&format!("#{fragment}")).expect("has data");
    assert_eq!(json(&back.expect("decodes")), json(run));
    assert!(data_from_fragment("#run=abc&span=x1").is_none());
    let report = LinkReport::of(&fragment);
    assert_eq!(report.chars, fragment.len());
    assert_eq!(report.fits_chat, fragment.len() <= CHAT_LIMIT_CHARS);
    let small = fragment_with_data(&ViewState::default(), &runs(OPENAI_AGENTS)[0], &REDACTED);
    assert!(small.starts_with("data=") && LinkReport::of(&small).fits_chat);
}

#[test]
fn damaged_links_fail_with_a_message() {
    let link = encode_run(&redact(&runs(OPENAI_AGENTS)[0], &REDACTED));
    for cut in [0, 1, 3, 6, 7, link.len() / 2, link.len() - 1] {
        let err = decode_run(&link[..cut]).expect_err("a cut link fails");
        assert!(
            err.to_string().starts_with("the link's data is damaged ("),
            "{err}"
        );
    }
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for i in 0..link.len() {
        let mut bytes = link.clone().into_bytes();
        let c = alphabet
            .iter()
            .find(|&&c| c != bytes[i])
            .copied()
            .unwrap_or(b'A');
        bytes[i] = alphabet[(alphabet.iter().position(|&x| x == c).unwrap_or(0) + i) % 64];
        if bytes[i] == link.as_bytes()[i] {
            continue;
        }
        let flipped = String::from_utf8(bytes).expect("ascii");
        assert!(
            decode_run(&flipped).is_err(),
            "change at {i} went unnoticed"
        );
    }
    let mut newer = link.clone();
    newer.replace_range(0..2, "Ag"); // first byte 2
    assert_eq!(
        decode_run(&newer).unwrap_err(),
        ShareError::UnknownVersion(2)
    );
    assert!(decode_run("notbase64!")
        .unwrap_err()
        .to_string()
        .contains("'!' at position 9"));
    assert_eq!(decode_run("").unwrap_err(), ShareError::Empty);
}

/// Values no fixture has: extreme times and counts, special floats, every id shape, deep
/// nesting, every record type, repair flags.
fn odd_run() -> Run {
    let mut deep = AttrValue::Str("leaf".into());
    // 120 levels: serde_json, and so every importer, stops at 128.
    for _ in 0..60 {
        deep = AttrValue::Map(vec![Attr::new("k", AttrValue::Array(vec![deep]))]);
    }
    let attrs = vec![
        Attr::new("f", AttrValue::Float(f64::NAN)),
        Attr::new("inf", AttrValue::Float(f64::NEG_INFINITY)),
        Attr::new("neg0", AttrValue::Float(-0.0)),
        Attr::new("tiny", AttrValue::Float(5e-324)),
        Attr::new("big", AttrValue::Float(f64::MAX)),
        Attr::new("i", AttrValue::Int(i64::MIN)),
        Attr::new("tokens", AttrValue::Int(7)),
        Attr::new("null", AttrValue::Null),
        Attr::new("b", AttrValue::Bool(true)),
        Attr::new("deep", deep),
        Attr::new("fake marker", AttrValue::Str("‹redacted 007 chars›".into())),
        Attr::new("marker", AttrValue::Str("‹redacted 7 chars›".into())),
    ];
    let span = |id: &str, parent: Option<u32>, start: i64| Span {
        id: id.into(),
        parent_id: parent.map(|_| "not-the-parent's-id".into()),
        parent,
        name: "é 名前".into(),
        kind: SpanKind::Guardrail,
        start_ns: start,
        end_ns: Some(start.wrapping_sub(5)),
        status: Status::Error,
        usage: Usage {
            input: Some(u64::MAX),
            total: Some(7),
            ..Usage::default()
        },
        reported_cost_usd: Some(1e-9),
        tool: Some(Box::new(ToolCall {
            name: "t".into(),
            call_id: Some(String::new()),
            arguments: Some("{}".into()),
            result: None,
        })),
        seq: Some(u32::MAX),
        retry_of: Some("0A1B".into()),
        attrs: attrs.clone(),
        events: vec![SpanEvent {
            time_ns: i64::MAX,
            name: "exception".into(),
            attrs: attrs.clone(),
        }],
        links: vec![SpanLink {
            trace_id: "ABCDEF0123456789".into(),
            span_id: "0123456789abcdef".into(),
            attrs: vec![],
        }],
        origin: Origin {
            file: 3,
            line: Some(u32::MAX),
        },
        flags: 31,
        ..Span::default()
    };
    let origin = Origin {
        file: 1,
        line: None,
    };
    Run {
        id: "3f2a8c1e-0b4d-4e6f-9a7b-1c2d3e4f5a6b".into(),
        start_ns: Some(i64::MIN),
        end_ns: None,
        spans: vec![
            span("3f2a8c1e-0b4d-4e6f-9a7b-1c2d3e4f5a6b", Some(2), i64::MAX),
            span("", None, i64::MIN),
            span("ABCDEF", Some(1), 1_700_000_000_123_456_789),
        ],
        decisions: vec![Decision {
            decision_type: "route".into(),
            candidates: vec!["a".into(), "b".into()],
            confidence: Some(0.1 + 0.2),
            span: Some(2),
            time_ns: Some(-1),
            attrs: attrs.clone(),
            origin,
            ..Decision::default()
        }],
        signals: vec![QualitySignal {
            value: true,
            weight: Some(-0.5),
            span: Some(0),
            ..QualitySignal::default()
        }],
        failures: vec![Failure {
            message: "x".into(),
            time_ns: Some(0),
            ..Failure::default()
        }],
        logs: vec![LogEvent {
            time_ns: None,
            message: "\u{0}\n".into(),
            metadata: attrs,
            ..LogEvent::default()
        }],
        metrics: vec![
            Metric {
                name: "a".into(),
                value: MetricValue::Samples(vec![1.5, f64::INFINITY]),
                unit: Some("ms".into()),
                time_ns: Some(5),
                origin,
            },
            Metric {
                name: "b".into(),
                value: MetricValue::Text("ok".into()),
                unit: None,
                time_ns: None,
                origin,
            },
        ],
        reported_input_tokens: Some(0),
        reported_cost_usd: Some(f64::MIN_POSITIVE),
        files: vec![0, u32::MAX],
        ..Run::default()
    }
}

#[test]
fn a_hand_built_run_with_extreme_values_round_trips() {
    let run = odd_run();
    let back = decode_run(&encode_run(&run)).expect("decodes");
    // JSON turns NaN and infinities into null, so compare those bits separately.
    assert_eq!(json(&back), json(&run));
    let f = |r: &Run, k: usize| match &r.spans[0].attrs[k].value {
        AttrValue::Float(x) => x.to_bits(),
        _ => 0,
    };
    for k in 0..5 {
        assert!(f(&back, k) == f(&run, k) || f64::from_bits(f(&run, k)).is_nan());
    }
    assert_eq!(back.spans[0].usage.input, Some(u64::MAX));
    assert_eq!(back.spans[1].end_ns, Some(i64::MIN.wrapping_sub(5)));

    // A parent loop (0 → 2 → 1 → 0) is refused, not handed to the tree code.
    let mut looped = run;
    looped.spans[1].parent = Some(0);
    let err = decode_run(&encode_run(&looped)).expect_err("loop refused");
    assert!(err.to_string().contains("parent chain loops"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn any_text_is_an_error_not_a_panic(s in ".{0,300}") {
        prop_assert!(decode_run(&s).is_err());
    }

    #[test]
    fn any_base64_after_the_version_is_an_error_not_a_panic(s in "[A-Za-z0-9_-]{0,600}") {
        let link = format!("AQ{s}");
        prop_assert!(decode_run(&link).is_err());
        let _ = data_from_fragment(&format!("run=1&data={s}"));
    }
}

/// The page packs a big run in slices (`share::payload_paced`), resting whenever its time slice
/// is used up; resting at every look must give the link of the one call. A generated 30,000-span
/// run and a fixture, redacted and with text. (Both compression levels, and compressing in pieces
/// against one call, are checked in `share::pack`'s own test.)
#[test]
fn a_run_packed_with_a_rest_at_every_look_gives_the_link_of_the_one_call() {
    use spoor::ingest::synth::{otlp_json, Synth};
    use spoor::pace::{block_on, Pace};
    use spoor::share::{payload, payload_paced, Miniz};
    use std::cell::{Cell, RefCell};
    let big = otlp_json(Synth {
        spans: 30_000,
        traces: 1,
        seed: 5,
    });
    let mut all = common::load_files(&[("big.json", big.as_bytes())]).runs;
    all.extend(runs(OPENAI_AGENTS));
    for run in &all {
        for opts in [REDACTED, TEXT] {
            let (rests, stages) = (Cell::new(0), RefCell::new(Vec::new()));
            let mut check = common::rest_at_every_look(&rests, &stages);
            let paced = block_on(payload_paced(
                run,
                &opts,
                &mut Pace::with(&mut check),
                &Miniz,
            ))
            .expect("miniz never fails");
            assert_eq!(paced, payload(run, &opts), "{}", run.id);
            assert_eq!(*stages.borrow(), ["redact", "encode", "compress"]);
            if run.spans.len() == 30_000 {
                // Rests inside the stages: a look every 1,024 spans of two passes, and one per
                // 64 KB compressed.
                assert!(rests.get() > 2 * 30_000 / 1024, "rests: {}", rests.get());
            }
            let back = decode_run(&paced).expect("decodes");
            assert_eq!(back.spans.len(), run.spans.len());
        }
    }
}

/// The page compresses links with the browser's own deflate (`CompressionStream`), not miniz:
/// a link packed by another compressor (here miniz at its fastest level, whose bytes differ)
/// opens as the same run, and a compressor that fails gives its reason, not a link.
#[test]
fn a_link_compressed_by_another_deflate_opens_as_the_same_run() {
    use spoor::pace::{block_on, Pace, Paced};
    use spoor::share::{payload, payload_paced, Deflate};
    struct Fastest;
    impl Deflate for Fastest {
        fn deflate<'a, 'p: 'a>(
            &'a self,
            body: Vec<u8>,
            _: &'a mut Pace<'p>,
        ) -> Paced<'a, Result<Vec<u8>, String>> {
            Box::pin(async move { Ok(miniz_oxide::deflate::compress_to_vec(&body, 1)) })
        }
    }
    struct Missing;
    impl Deflate for Missing {
        fn deflate<'a, 'p: 'a>(
            &'a self,
            _: Vec<u8>,
            _: &'a mut Pace<'p>,
        ) -> Paced<'a, Result<Vec<u8>, String>> {
            Box::pin(async { Err("no CompressionStream".to_string()) })
        }
    }
    for run in runs(OPENAI_AGENTS) {
        for opts in [REDACTED, TEXT] {
            let ours = payload(&run, &opts);
            let other = block_on(payload_paced(&run, &opts, &mut Pace::never(), &Fastest))
                .expect("compressed");
            assert_ne!(other, ours, "another compressor writes other bytes");
            let (a, b) = (decode_run(&ours).unwrap(), decode_run(&other).unwrap());
            assert_eq!(json(&a), json(&b));
            let failed = block_on(payload_paced(&run, &opts, &mut Pace::never(), &Missing));
            assert_eq!(failed, Err("no CompressionStream".to_string()));
        }
    }
}
