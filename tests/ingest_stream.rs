//! The page reads big OTLP files chunk by chunk (`ingest::FileStream`). That path must give
//! exactly what the whole-file reader gives, whatever the chunk size, or hand the file back to
//! it: checked here on every fixture file, on generated traces, and on broken variants.

mod common;

use common::{load_one, FIXTURES};
use spoor::ingest::synth::{otlp_json, Synth};
use spoor::ingest::{add_streamed, add_streamed_paced, FileStream};
use spoor::model::{Severity, Workspace};
use spoor::pace::{block_on, Pace};
use std::cell::{Cell, RefCell};
use std::path::Path;

/// Loads `bytes` as the page does: streamed in `chunk`-byte pieces when the stream takes the
/// file (judged on its first 64 KB; the page reads 4 MB first), whole otherwise. Says which way
/// it went.
fn load_streamed(name: &str, bytes: &[u8], chunk: usize) -> (Workspace, Option<Streamed>) {
    let mut ws = Workspace::default();
    let head = &bytes[..bytes.len().min(1 << 16)];
    let Some(mut stream) = FileStream::start(name, bytes.len() as u64, head) else {
        return (load_one(name, bytes), None);
    };
    for piece in bytes.chunks(chunk) {
        stream.push(piece);
    }
    match stream.finish() {
        Some(file) => {
            add_streamed(&mut ws, file);
            (ws, Some(Streamed::Loaded))
        }
        None => (load_one(name, bytes), Some(Streamed::ReadWhole)),
    }
}

/// Which way a file went.
#[derive(Debug, PartialEq)]
enum Streamed {
    Loaded,
    ReadWhole,
}

fn same(a: &Workspace, b: &Workspace) -> bool {
    serde_json::to_value(a).unwrap() == serde_json::to_value(b).unwrap()
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "json" || e == "jsonl")
        {
            out.push(path);
        }
    }
}

#[test]
fn every_fixture_loads_the_same_streamed_or_whole() {
    let mut paths = Vec::new();
    files_under(Path::new(FIXTURES), &mut paths);
    paths.sort();
    assert!(paths.len() > 40, "fixtures missing: {}", paths.len());
    let mut streamed = Vec::new();
    for path in &paths {
        let name = path.to_string_lossy();
        let bytes = std::fs::read(path).unwrap();
        let whole = load_one(&name, &bytes);
        for chunk in [5, 4096, 1 << 20] {
            let (ws, how) = load_streamed(&name, &bytes, chunk);
            assert!(same(&ws, &whole), "{name}, chunks of {chunk}: {how:?}");
            if chunk == 4096 && how == Some(Streamed::Loaded) {
                streamed.push(name.to_string());
            }
            if how == Some(Streamed::ReadWhole) {
                // Only JSON lines (one document per line) and files the whole-file reader has
                // something to say about go back to it.
                assert!(
                    name.ends_with(".jsonl") || !whole.problems.is_empty(),
                    "{name} fell back without a problem"
                );
            }
        }
    }
    // Every OTLP fixture streams: the single documents (python3: the .json files whose text,
    // BOM and blanks aside, starts with `{"resource`) and the one OTLP JSON-lines file (the
    // only .jsonl whose first line starts so; the other .jsonl files are seed 003's).
    let otlp = |f: &str| format!("{FIXTURES}/otlp/{f}");
    assert_eq!(
        streamed,
        [
            otlp("jaeger-ui-otlp2jaeger-in-error.json"),
            otlp("jaeger-ui-otlp2jaeger-in.json"),
            otlp("jaeger-ui-otlp2jaeger-multi-in-combined.json"),
            otlp("jaeger-ui-otlp2jaeger-multi-in.jsonl"),
            otlp("otel-proto-example-trace.json"),
        ]
    );
}

#[test]
fn a_generated_agent_trace_streams_in_any_chunking() {
    let doc = otlp_json(Synth {
        spans: 20_000,
        traces: 3,
        seed: 11,
    });
    let whole = load_one("big.json", doc.as_bytes());
    for chunk in [1000, 65_536, 4 << 20] {
        let (ws, how) = load_streamed("big.json", doc.as_bytes(), chunk);
        assert_eq!(how, Some(Streamed::Loaded), "chunks of {chunk}");
        assert!(same(&ws, &whole), "chunks of {chunk}");
        let spans: usize = ws.runs.iter().map(|r| r.spans.len()).sum();
        assert_eq!((ws.runs.len(), spans), (3, 20_000));
        // No run keeps room it does not use.
        assert!(ws.runs.iter().all(|r| r.spans.capacity() == r.spans.len()));
    }
}

/// A generated trace written as OTLP JSON lines, `per_line` spans a line, as the Collector's file
/// exporter batches them.
fn as_json_lines(doc: &str, per_line: usize) -> String {
    let v: serde_json::Value = serde_json::from_str(doc).unwrap();
    let rs = &v["resourceSpans"][0];
    let spans = rs["scopeSpans"][0]["spans"].as_array().unwrap();
    let mut out = String::new();
    for batch in spans.chunks(per_line) {
        let mut line = serde_json::json!({"resourceSpans": [rs.clone()]});
        line["resourceSpans"][0]["scopeSpans"][0]["spans"] =
            serde_json::Value::from(batch.to_vec());
        out.push_str(&line.to_string());
        out.push_str("\r\n");
    }
    out
}

#[test]
fn otlp_json_lines_stream_line_by_line_with_their_line_numbers() {
    let doc = otlp_json(Synth {
        spans: 5_000,
        traces: 4,
        seed: 9,
    });
    let lines = format!("\n{}", as_json_lines(&doc, 37));
    let whole = load_one("lines.jsonl", lines.as_bytes());
    for chunk in [7, 10_000, 1 << 20] {
        let (ws, how) = load_streamed("lines.jsonl", lines.as_bytes(), chunk);
        assert_eq!(how, Some(Streamed::Loaded), "chunks of {chunk}");
        assert!(same(&ws, &whole), "chunks of {chunk}");
    }
    let spans: usize = whole.runs.iter().map(|r| r.spans.len()).sum();
    assert_eq!((whole.runs.len(), spans), (4, 5_000));
    // Line numbers count the blank first line: the first batch is on line 2.
    assert_eq!(whole.runs[0].spans[0].origin.line, Some(2));
    // One bad line: the whole-file reader loads the rest and names the line.
    let bad = lines.replacen("\"spanId\"", "\"spanId\":1,\"x\"", 1);
    let (ws, how) = load_streamed("lines.jsonl", bad.as_bytes(), 4096);
    assert_eq!(how, Some(Streamed::ReadWhole));
    assert!(
        ws.problems.iter().any(|p| p
            .place
            .as_deref()
            .is_some_and(|pl| pl.starts_with("line 2,"))),
        "{:?}",
        ws.problems
    );
    // A single line is one document to the whole-file reader (no line numbers), and so it is
    // here: streamed as a document when its line is long, read whole when it is short.
    let one = as_json_lines(&doc, 5_000);
    let (ws, how) = load_streamed("one.jsonl", one.as_bytes(), 4096);
    assert_eq!(how, Some(Streamed::Loaded));
    assert!(same(&ws, &load_one("one.jsonl", one.as_bytes())));
    assert_eq!(ws.runs[0].spans[0].origin.line, None);
    let short = as_json_lines(
        &otlp_json(Synth {
            spans: 3,
            traces: 1,
            seed: 2,
        }),
        3,
    );
    let (ws, how) = load_streamed("short.jsonl", short.as_bytes(), 4096);
    assert_eq!(how, Some(Streamed::ReadWhole));
    assert!(same(&ws, &load_one("short.jsonl", short.as_bytes())));
}

#[test]
fn broken_or_unusual_documents_go_back_to_the_whole_file_reader() {
    let good = otlp_json(Synth {
        spans: 50,
        traces: 1,
        seed: 3,
    });
    let cases = [
        ("truncated", good[..good.len() - 40].to_string()),
        ("bad span", good.replacen("\"spanId\"", "\"spanId\":1,\"x\"", 1)),
        ("no trace id", good.replacen("\"traceId\"", "\"tId\"", 1)),
        ("trailing text", format!("{good} x")),
        (
            "resource after spans",
            r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"01","spanId":"02","name":"a","startTimeUnixNano":"5"}]}],"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"late"}}]}}]}"#.to_string(),
        ),
    ];
    for (what, text) in cases {
        let (ws, how) = load_streamed("f.json", text.as_bytes(), 64);
        assert_eq!(how, Some(Streamed::ReadWhole), "{what}");
        assert!(same(&ws, &load_one("f.json", text.as_bytes())), "{what}");
    }
    // The late resource is still the run's, as the whole-file reader has it.
    let (ws, _) = load_streamed("f.json", cases_late().as_bytes(), 64);
    assert_eq!(
        ws.runs[0].attributes[0].value.as_str(),
        Some("late"),
        "{:?}",
        ws.runs[0].attributes
    );
}

fn cases_late() -> String {
    r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"01","spanId":"02","name":"a","startTimeUnixNano":"5"}]}],"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"late"}}]}}]}"#.to_string()
}

#[test]
fn not_otlp_empty_or_too_big_is_never_streamed() {
    for head in [
        &b""[..],
        b"[{\"resourceSpans\":[]}]",
        b"{\"data\":[]}",
        b"  \n",
    ] {
        assert!(FileStream::start("f.json", 10, head).is_none());
    }
    assert!(FileStream::start("f.json", 0, b"{\"resourceSpans\"").is_none());
    assert!(FileStream::start("f.json", u64::MAX, b"{\"resourceSpans\"").is_none());
    let bom = b"\xEF\xBB\xBF {\"resourceSpans\":[]}";
    assert!(FileStream::start("f.json", bom.len() as u64, bom).is_some());
}

#[test]
fn a_streamed_file_dropped_twice_is_loaded_once() {
    let doc = otlp_json(Synth {
        spans: 30,
        traces: 1,
        seed: 5,
    });
    let mut ws = Workspace::default();
    for _ in 0..2 {
        let mut s = FileStream::start("a.json", doc.len() as u64, doc.as_bytes()).unwrap();
        for piece in doc.as_bytes().chunks(100) {
            s.push(piece);
        }
        let file = s.finish().expect("a clean document streams");
        assert_eq!(file.spans(), 30);
        add_streamed(&mut ws, file);
    }
    assert_eq!(ws.files.len(), 1);
    assert_eq!(ws.runs[0].spans.len(), 30);
    let warning = ws.problems.iter().find(|p| p.severity == Severity::Warning);
    assert_eq!(
        warning.map(|p| p.message.as_str()),
        Some("already loaded: this file was opened before, so nothing was added again")
    );
}

/// The page adds a streamed file resting whenever its time slice is used up, painting in
/// between. Resting at every look, a file with repairs to make (an orphan, a duplicate id, an end
/// before its start) in two traces gives what the whole-file reader gives, problems included, and
/// so does a generated 20,000-span file in three traces.
#[test]
fn a_streamed_file_added_with_rests_equals_the_whole_file_reader() {
    let span = |trace: &str, id: &str, parent: &str, start: u64, end: u64| {
        format!(
            r#"{{"traceId":"{trace}","spanId":"{id}","parentSpanId":"{parent}","name":"s{id}","startTimeUnixNano":"{start}","endTimeUnixNano":"{end}"}}"#
        )
    };
    let spans = [
        span("0a", "01", "", 10, 90),
        span("0a", "02", "01", 20, 30),
        span("0a", "02", "01", 40, 50), // duplicate id
        span("0a", "03", "ff", 50, 60), // parent no span has
        span("0b", "04", "", 5, 80),
        span("0b", "05", "04", 70, 60), // ends before it starts
    ];
    let doc = format!(
        r#"{{"resourceSpans":[{{"resource":{{"attributes":[]}},"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
        spans.join(",")
    );
    let mut stream = FileStream::start("r.json", doc.len() as u64, doc.as_bytes()).unwrap();
    stream.push(doc.as_bytes());
    let file = stream
        .finish()
        .expect("repairs are assembly's job: the file streams");
    let mut ws = Workspace::default();
    let (rests, stages) = (Cell::new(0), RefCell::new(Vec::new()));
    let mut check = common::rest_at_every_look(&rests, &stages);
    block_on(add_streamed_paced(
        &mut ws,
        file,
        &mut Pace::with(&mut check),
    ));
    assert!(rests.get() >= 2 * 2, "two runs, rests: {}", rests.get());
    let whole = load_one("r.json", doc.as_bytes());
    assert!(same(&ws, &whole));
    let spans: usize = ws.runs.iter().map(|r| r.spans.len()).sum();
    assert_eq!(spans, 6);
    let problems: Vec<&str> = ws.problems.iter().map(|p| p.message.as_str()).collect();
    for words in [
        "1 span of run 0a share an id with another span (\"s02\" id 02)",
        "(\"s03\" id 03 → missing parent ff)",
        "1 span of run 0b end before they start (\"s05\" id 05: ends 10 ns before it starts)",
    ] {
        assert!(
            problems.iter().any(|m| m.contains(words)),
            "{words}: {problems:?}"
        );
    }
    let doc = otlp_json(Synth {
        spans: 20_000,
        traces: 3,
        seed: 5,
    });
    let mut stream = FileStream::start("big.json", doc.len() as u64, doc.as_bytes()).unwrap();
    stream.push(doc.as_bytes());
    let mut ws = Workspace::default();
    let (rests, stages) = (Cell::new(0), RefCell::new(Vec::new()));
    let mut check = common::rest_at_every_look(&rests, &stages);
    let file = stream.finish().expect("a generated trace streams");
    block_on(add_streamed_paced(
        &mut ws,
        file,
        &mut Pace::with(&mut check),
    ));
    // A look every 1,024 spans of several passes over them, not only between the passes.
    assert!(rests.get() > 3 * 20_000 / 1024, "rests: {}", rests.get());
    assert!(same(&ws, &load_one("big.json", doc.as_bytes())));
}
