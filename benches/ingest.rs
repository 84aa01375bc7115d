//! Ingest throughput: `load` on synthetic agent traces (OTLP JSON) of 10k and 100k spans and on
//! the largest real fixture. Prints MB/s and spans/s, the median of 5 runs. `cargo bench --bench
//! ingest`. No criterion: the figures are for comparing builds, and a plain main stays fast.

use spoor::ingest::synth::{otlp_json, Synth};
use spoor::ingest::{add_streamed, detect, load, FileStream, InputFile};

#[path = "common/mod.rs"]
mod common;
use common::Timings;

const RUNS: usize = 5;

fn bench(label: &str, text: &str) {
    let mut spans = 0;
    let times = Timings::of_checked(
        RUNS,
        || {
            load(&[InputFile {
                name: label,
                bytes: text.as_bytes(),
            }])
        },
        |ws| {
            spans = ws.span_count();
            assert!(
                ws.problems
                    .iter()
                    .all(|p| p.severity != spoor::model::Severity::Error),
                "{label}: {:?}",
                ws.problems.first()
            );
            std::hint::black_box(ws);
        },
    );
    let t = times.median();
    let mb = text.len() as f64 / 1e6;
    println!(
        "load  {label:<34} {mb:>7.1} MB {spans:>7} spans  {:>8.1} ms  {:>6.1} MB/s  {:>9.0} spans/s",
        t * 1e3,
        mb / t,
        spans as f64 / t
    );

    // The page's way with big files: 4 MB pieces through `FileStream` (one OTLP document only).
    if FileStream::start(label, text.len() as u64, text.as_bytes()).is_some() {
        let streamed = Timings::of_checked(
            RUNS,
            || {
                let bytes = text.as_bytes();
                let mut ws = spoor::model::Workspace::default();
                if let Some(mut stream) = FileStream::start(label, bytes.len() as u64, bytes) {
                    for piece in bytes.chunks(4 << 20) {
                        stream.push(piece);
                    }
                    if let Some(file) = stream.finish() {
                        add_streamed(&mut ws, file);
                    }
                }
                ws
            },
            |ws| assert_eq!(ws.span_count(), spans, "{label}: streamed"),
        )
        .median();
        println!(
            "  streamed in 4 MB pieces {:>6.1} ms ({:.0} MB/s)",
            streamed * 1e3,
            mb / streamed
        );
    }

    let s = Timings::of(RUNS, || {
        std::hint::black_box(detect::sniff(text).is_ok());
    })
    .median();
    println!(
        "  of which format sniff {:>6.1} ms ({:.0} MB/s)",
        s * 1e3,
        mb / s
    );
}

fn main() {
    for (spans, traces) in [(10_000, 10), (100_000, 100), (100_000, 1)] {
        let text = otlp_json(Synth {
            spans,
            traces,
            seed: 42,
        });
        bench(&format!("synth {spans} spans / {traces} traces"), &text);
    }
    if let Ok(bytes) = std::fs::read("../shared/fixtures/otlp/agent-prism/quo_tav_agent.json") {
        if let Ok(text) = String::from_utf8(bytes) {
            bench("fixture quo_tav_agent.json", &text);
        }
    }
}
