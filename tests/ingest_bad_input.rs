//! Bad input: every broken file becomes a problem that names the file, the place and what is
//! wrong, the good parts of a partly bad file still load, and nothing panics (proptest).

use proptest::prelude::*;
use spoor::ingest::{add_files_with_limit, InputFile};
use spoor::model::{flags, Problem, Severity, Span, Status, Workspace};

mod common;
use common::{fixture, load_one, only_error, span_anywhere};

fn load_text(name: &str, text: &str) -> Workspace {
    load_one(name, text.as_bytes())
}

fn warning_containing<'a>(ws: &'a Workspace, text: &str) -> &'a Problem {
    ws.problems
        .iter()
        .find(|p| p.severity == Severity::Warning && p.message.contains(text))
        .unwrap_or_else(|| panic!("no warning with {text:?} in {:?}", ws.problems))
}

/// One OTLP span as JSON; `extra` is spliced in after the times (attributes, status, …).
fn span(id: &str, parent: &str, start: u64, end: Option<u64>, extra: &str) -> String {
    let end = end.map_or(String::new(), |e| format!(r#","endTimeUnixNano":"{e}""#));
    format!(
        r#"{{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"{id}","parentSpanId":"{parent}","name":"span {id}","startTimeUnixNano":"{start}"{end}{extra}}}"#
    )
}

fn doc(spans: &[String]) -> String {
    format!(
        r#"{{"resourceSpans":[{{"resource":{{"attributes":[]}},"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
        spans.join(",\n")
    )
}

const ROOT: &str = "00000000000000a1";

fn root() -> String {
    span(ROOT, "", 1_000, Some(9_000), "")
}

#[test]
fn not_json() {
    let ws = load_text("notes.txt", "hello, this is not a trace\n");
    let e = only_error(&ws);
    assert_eq!(e.file, "notes.txt");
    assert_eq!(e.place.as_deref(), Some("line 1, column 1"));
    assert!(e.message.contains("not readable as JSON"), "{}", e.message);
    assert!(e.message.contains("is this file JSON?"), "{}", e.message);
}

#[test]
fn truncated_json_says_truncated_and_where() {
    let bytes = fixture("otlp/otel-proto-example-trace.json");
    let cut = &bytes[..600]; // python: 28 lines begun in the first 600 bytes
    let ws = load_one("cut.json", cut);
    let e = only_error(&ws);
    assert_eq!(e.file, "cut.json");
    assert!(
        e.message.contains(
            "the file ends in the middle of a JSON value (truncated?) at line 28, column"
        ),
        "{}",
        e.message
    );
    assert!(e
        .place
        .as_deref()
        .is_some_and(|p| p.starts_with("line 28, column")));
}

#[test]
fn empty_and_blank_files() {
    let ws = load_one("empty.json", b"");
    let e = only_error(&ws);
    assert_eq!(e.file, "empty.json");
    assert!(e.message.contains("the file is empty (0 bytes)"));
    assert_eq!(ws.files.len(), 1);
    let ws = load_text("blank.json", " \n\t\n");
    assert!(only_error(&ws).message.contains("only blank space"));
}

#[test]
fn unknown_json() {
    let ws = load_text("package.json", r#"{"name":"x","dependencies":{}}"#);
    let e = only_error(&ws);
    assert_eq!(e.file, "package.json");
    assert!(
        e.message.contains("no trace format Spoor knows"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("not OTLP: no `resourceSpans` key"),
        "{}",
        e.message
    );
}

#[test]
fn non_utf8_names_the_byte_offset() {
    let mut bytes = br#"{"resourceSpans": ["#.to_vec();
    bytes.extend([0xFF, 0xFE]);
    bytes.extend(b"]}");
    let ws = load_one("latin1.json", &bytes);
    let e = only_error(&ws);
    assert_eq!(e.file, "latin1.json");
    assert_eq!(e.place.as_deref(), Some("byte offset 19"));
    assert!(e.message.contains("not UTF-8"), "{}", e.message);
    assert!(
        e.message.contains("byte 0xFF at byte offset 19"),
        "{}",
        e.message
    );
}

#[test]
fn too_big_files_are_refused_with_the_limit() {
    let bytes = fixture("otlp/otel-proto-example-trace.json"); // 1229 bytes
    let mut ws = Workspace::default();
    add_files_with_limit(
        &mut ws,
        &[InputFile {
            name: "big.json",
            bytes: &bytes,
        }],
        999,
    );
    let e = only_error(&ws);
    assert_eq!(e.file, "big.json");
    assert!(
        e.message.contains("too big to open: it is 1.2 KB"),
        "{}",
        e.message
    );
    assert!(e.message.contains("up to 999 bytes"), "{}", e.message);
    assert_eq!(ws.span_count(), 0);
    // the real limit is 1.5 GB
    assert_eq!(spoor::ingest::MAX_FILE_BYTES, 1_500_000_000);
}

#[test]
fn duplicate_span_ids_with_different_content_are_both_kept() {
    let text = doc(&[
        root(),
        span("00000000000000b2", ROOT, 2_000, Some(3_000), ""),
        span("00000000000000b2", ROOT, 4_000, Some(5_000), ""),
    ]);
    let ws = load_text("dups.json", &text);
    assert_eq!(ws.span_count(), 3);
    let dups: Vec<&Span> = ws.runs[0]
        .spans
        .iter()
        .filter(|s| s.has_flag(flags::DUPLICATE_ID))
        .collect();
    assert_eq!(dups.len(), 2);
    let w = warning_containing(&ws, "share an id");
    assert_eq!(w.file, "dups.json");
    assert!(w.message.contains("00000000000000b2"), "{}", w.message);
}

#[test]
fn dangling_parent_is_kept_and_flagged() {
    let text = doc(&[
        root(),
        span(
            "00000000000000b2",
            "00000000000000ff",
            2_000,
            Some(3_000),
            "",
        ),
    ]);
    let ws = load_text("orphan.json", &text);
    let s = span_anywhere(&ws, "00000000000000b2");
    assert!(s.has_flag(flags::ORPHAN));
    assert_eq!(s.parent, None);
    let w = warning_containing(&ws, "not in the loaded files");
    assert_eq!(w.file, "orphan.json");
    assert_eq!(w.place.as_deref(), Some("span 00000000000000b2"));
    assert!(
        w.message.contains("missing parent 00000000000000ff"),
        "{}",
        w.message
    );
}

#[test]
fn parent_cycle_is_cut() {
    let text = doc(&[
        root(),
        span(
            "00000000000000c1",
            "00000000000000c2",
            2_000,
            Some(3_000),
            "",
        ),
        span(
            "00000000000000c2",
            "00000000000000c1",
            2_500,
            Some(2_800),
            "",
        ),
        span(
            "00000000000000c3",
            "00000000000000c3",
            2_600,
            Some(2_700),
            "",
        ),
    ]);
    let ws = load_text("cycle.json", &text);
    assert_eq!(ws.span_count(), 4);
    let cut: Vec<&str> = ws.runs[0]
        .spans
        .iter()
        .filter(|s| s.has_flag(flags::CYCLE_CUT))
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(cut, vec!["00000000000000c2", "00000000000000c3"]);
    assert_eq!(span_anywhere(&ws, "00000000000000c1").parent, Some(2));
    let w = warning_containing(&ws, "loop");
    assert_eq!(w.file, "cycle.json");
    assert!(
        w.message
            .starts_with("2 spans of run 0af7651916cd43dd8448eb211c80319c"),
        "{}",
        w.message
    );
}

#[test]
fn end_before_start_is_set_to_start() {
    let text = doc(&[
        root(),
        span("00000000000000b2", ROOT, 5_000, Some(4_000), ""),
    ]);
    let ws = load_text("backwards.json", &text);
    let s = span_anywhere(&ws, "00000000000000b2");
    assert_eq!(s.end_ns, Some(5_000));
    assert!(s.has_flag(flags::END_BEFORE_START));
    let w = warning_containing(&ws, "end before they start");
    assert_eq!(w.file, "backwards.json");
    assert!(
        w.message.contains("ends 1000 ns before it starts"),
        "{}",
        w.message
    );
}

#[test]
fn missing_end_is_a_running_span() {
    let text = doc(&[
        span(ROOT, "", 1_000, None, ""),
        span("00000000000000b2", ROOT, 2_000, Some(3_000), ""),
    ]);
    let ws = load_text("running.json", &text);
    assert_eq!(span_anywhere(&ws, ROOT).end_ns, None);
    assert_eq!(ws.runs[0].status, spoor::model::RunStatus::Running);
    assert_eq!(ws.runs[0].end_ns, Some(3_000));
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
}

#[test]
fn negative_tokens_are_dropped_and_flagged() {
    let attrs = r#","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"-5"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":7}}]"#;
    let text = doc(&[
        root(),
        span("00000000000000b2", ROOT, 2_000, Some(3_000), attrs),
    ]);
    let ws = load_text("tokens.json", &text);
    let s = span_anywhere(&ws, "00000000000000b2");
    assert!(s.has_flag(flags::BAD_NUMBER));
    assert_eq!(s.usage.input, None);
    let w = warning_containing(&ws, "absurd numbers");
    assert_eq!(w.file, "tokens.json");
    assert!(
        w.message
            .contains("gen_ai.usage.input_tokens is a negative token count (-5)"),
        "{}",
        w.message
    );
}

#[test]
fn nan_and_infinite_costs_are_dropped_and_flagged() {
    let nan = r#","attributes":[{"key":"gen_ai.usage.cost","value":{"stringValue":"NaN"}}]"#;
    let huge = r#","attributes":[{"key":"gen_ai.usage.cost","value":{"doubleValue":1e999}}]"#;
    let text = doc(&[
        root(),
        span("00000000000000b2", ROOT, 2_000, Some(3_000), nan),
        span("00000000000000b3", ROOT, 3_000, Some(4_000), huge),
    ]);
    let ws = load_text("cost.json", &text);
    assert!(
        ws.problems.iter().all(|p| p.severity == Severity::Warning),
        "{:?}",
        ws.problems
    );
    for id in ["00000000000000b2", "00000000000000b3"] {
        let s = span_anywhere(&ws, id);
        assert!(s.has_flag(flags::BAD_NUMBER), "{id}");
        assert_eq!(s.reported_cost_usd, None, "{id}");
    }
    let w = warning_containing(&ws, "absurd numbers");
    assert!(w.message.starts_with("2 spans"), "{}", w.message);
    assert!(
        w.message.contains("gen_ai.usage.cost is NaN"),
        "{}",
        w.message
    );
    assert!(
        w.message.contains("gen_ai.usage.cost is inf"),
        "{}",
        w.message
    );
}

#[test]
fn a_ten_megabyte_attribute_is_kept_whole() {
    let big = "x".repeat(10 * 1024 * 1024);
    let attrs =
        format!(r#","attributes":[{{"key":"input.value","value":{{"stringValue":"{big}"}}}}]"#);
    let text = doc(&[
        root(),
        span("00000000000000b2", ROOT, 2_000, Some(3_000), &attrs),
    ]);
    let ws = load_text("huge.json", &text);
    let s = span_anywhere(&ws, "00000000000000b2");
    let v = spoor::model::find_attr(&s.attrs, "input.value")
        .and_then(|v| v.as_str())
        .expect("kept");
    assert_eq!(v.len(), 10 * 1024 * 1024);
}

#[test]
fn a_malformed_span_costs_only_that_span() {
    let bad = r#"{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00000000000000b9","name":["not","a","name"]}"#;
    let text = doc(&[
        root(),
        bad.to_string(),
        span("00000000000000b2", ROOT, 2_000, Some(3_000), ""),
    ]);
    let ws = load_text("partly.json", &text);
    assert_eq!(ws.span_count(), 2);
    let e = only_error(&ws);
    assert_eq!(e.file, "partly.json");
    // the bad span is the second line of the document
    let place = e.place.as_deref().unwrap_or_default();
    assert!(place.starts_with("line 2, column"), "{place}");
    assert!(
        place.ends_with("($.resourceSpans[0].scopeSpans[0].spans[1])"),
        "{place}"
    );
    assert!(
        e.message.contains("a span could not be read"),
        "{}",
        e.message
    );
    assert!(e.message.contains("wrong type"), "{}", e.message);
}

#[test]
fn a_bad_line_costs_only_that_line() {
    let lines =
        String::from_utf8(fixture("otlp/jaeger-ui-otlp2jaeger-multi-in.jsonl")).expect("utf-8");
    let mut lines: Vec<&str> = lines.lines().collect();
    lines.insert(2, r#"{"resourceSpans": [{"scopeSpans": [}"#);
    let text = lines.join("\n");
    let ws = load_text("lines.jsonl", &text);
    assert_eq!(ws.span_count(), 4);
    let e = only_error(&ws);
    assert_eq!(e.file, "lines.jsonl");
    assert!(e.message.starts_with("line 3 was skipped"), "{}", e.message);
    assert!(
        e.message.contains("the other lines were loaded"),
        "{}",
        e.message
    );
    assert!(e
        .place
        .as_deref()
        .is_some_and(|p| p.starts_with("line 3, column")));
}

#[test]
fn exception_events_and_status_messages_fill_the_error() {
    let extra = r#","status":{"code":"STATUS_CODE_ERROR","message":"boom"},"events":[{"timeUnixNano":"2500","name":"exception","attributes":[{"key":"exception.type","value":{"stringValue":"ValueError"}},{"key":"exception.message","value":{"stringValue":"bad input"}}]}]"#;
    let text = doc(&[
        root(),
        span("00000000000000b2", ROOT, 2_000, Some(3_000), extra),
    ]);
    let ws = load_text("error.json", &text);
    let s = span_anywhere(&ws, "00000000000000b2");
    assert_eq!(s.status, Status::Error);
    assert_eq!(s.error_type.as_deref(), Some("ValueError"));
    assert_eq!(s.error_message.as_deref(), Some("boom"));
    assert_eq!(s.events[0].time_ns, 2_500);
}

#[test]
fn snake_case_legacy_names_and_numbers_instead_of_strings() {
    let text = r#"{"resource_spans":[{"resource":{"attributes":[{"key":"service.name","value":{"string_value":"svc"}}]},
      "instrumentationLibrarySpans":[{"instrumentationLibrary":{"name":"old.lib","version":"0.9"},
      "spans":[{"trace_id":"AAECAwQFBgcICQoLDA0ODw==","span_id":"AAECAwQFBgc=","name":"op","kind":"SPAN_KIND_CLIENT",
        "start_time_unix_nano":1700000000000000000,"end_time_unix_nano":1700000001000000000,
        "attributes":[{"key":"n","value":{"int_value":42}},{"key":"d","value":{"double_value":"0.5"}},
          {"key":"a","value":{"array_value":{"values":[{"bool_value":true},{"string_value":"s"}]}}},
          {"key":"m","value":{"kvlist_value":{"values":[{"key":"k","value":{"int_value":"1"}}]}}},
          {"key":"b","value":{"bytes_value":"AQI="}}],
        "links":[{"trace_id":"AAECAwQFBgcICQoLDA0ODw==","span_id":"AAECAwQFBgc="}],
        "status":{"code":1}}]}]}]}"#;
    let ws = load_text("snake.json", text);
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    use spoor::model::{find_attr, Attr, AttrValue as V};
    let run = &ws.runs[0];
    assert_eq!(run.id, "000102030405060708090a0b0c0d0e0f");
    assert_eq!(run.agent_id.as_deref(), Some("svc"));
    let s = &run.spans[0];
    assert_eq!(s.id, "0001020304050607");
    assert_eq!(s.start_ns, 1_700_000_000_000_000_000);
    assert_eq!(s.status, Status::Ok);
    assert_eq!(find_attr(&s.attrs, "n"), Some(&V::Int(42)));
    assert_eq!(find_attr(&s.attrs, "d"), Some(&V::Float(0.5)));
    assert_eq!(
        find_attr(&s.attrs, "a"),
        Some(&V::Array(vec![V::Bool(true), V::Str("s".into())]))
    );
    assert_eq!(
        find_attr(&s.attrs, "m"),
        Some(&V::Map(vec![Attr::new("k", V::Int(1))]))
    );
    assert_eq!(find_attr(&s.attrs, "b"), Some(&V::Str("AQI=".into())));
    assert_eq!(
        find_attr(&s.attrs, "span.kind"),
        Some(&V::Str("client".into()))
    );
    assert_eq!(
        find_attr(&s.attrs, "otel.scope.name"),
        Some(&V::Str("old.lib".into()))
    );
    assert_eq!(s.links[0].span_id, "0001020304050607");
}

/// Small fixtures of every family, as seeds for mutation (big ones would make the test slow).
fn seeds() -> Vec<Vec<u8>> {
    [
        "otlp/otel-proto-example-trace.json",
        "otlp/jaeger-ui-otlp2jaeger-multi-in.jsonl",
        "otlp/jaeger-ui-otlp2jaeger-in.json",
        "langfuse/autogen-2025-06-06.trace.json",
        "seed-formats/seed000-code-review-agent/d_llm_exception/traces.json",
        "seed-formats/seed001-agenttracer/run_partial.json",
        "seed-formats/seed002-sre-agent/observer_demo.trace.json",
        "seed-formats/seed003-ts-four-pillars/tools.jsonl",
    ]
    .iter()
    .map(|p| fixture(p))
    .collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip {
        at: usize,
        byte: u8,
    },
    Truncate {
        at: usize,
    },
    Splice {
        at: usize,
        from: usize,
        other: usize,
        len: usize,
    },
    Delete {
        at: usize,
        len: usize,
    },
}

fn mutate(mut bytes: Vec<u8>, seeds: &[Vec<u8>], m: &Mutation) -> Vec<u8> {
    if bytes.is_empty() {
        return bytes;
    }
    let n = bytes.len();
    match *m {
        Mutation::Flip { at, byte } => bytes[at % n] = byte,
        Mutation::Truncate { at } => bytes.truncate(at % n),
        Mutation::Splice {
            at,
            from,
            other,
            len,
        } => {
            let src = &seeds[other % seeds.len()];
            let from = from % src.len().max(1);
            let piece = &src[from..(from + len).min(src.len())];
            let at = at % n;
            bytes.splice(at..at, piece.iter().copied());
        }
        Mutation::Delete { at, len } => {
            let at = at % n;
            bytes.drain(at..(at + len).min(n));
        }
    }
    bytes
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (any::<usize>(), any::<usize>(), any::<usize>(), 0usize..400).prop_map(
            |(at, from, other, len)| Mutation::Splice {
                at,
                from,
                other,
                len
            }
        ),
        (any::<usize>(), 0usize..200).prop_map(|(at, len)| Mutation::Delete { at, len }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let ws = load_one("random.bin", &bytes);
        prop_assert_eq!(ws.files.len(), 1);
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in 0usize..8,
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let seeds = seeds();
        let mut bytes = seeds[which].clone();
        for m in &mutations {
            bytes = mutate(bytes, &seeds, m);
        }
        let mut ws = load_one("mutant.json", &bytes);
        // and again into the open workspace, with the pristine file, to exercise merging
        spoor::ingest::add_files(&mut ws, &[InputFile { name: "pristine.json", bytes: &seeds[which] }]);
        for p in &ws.problems {
            prop_assert!(!p.file.is_empty());
            prop_assert!(!p.message.is_empty());
        }
    }
}
