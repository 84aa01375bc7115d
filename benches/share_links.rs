//! `cargo bench --bench share_links`: how long a share link gets for agent-shaped runs of 50, 500
//! and 5,000 spans, redacted and with all text, and how long packing and unpacking take. The
//! target is a 500-span run in at most 16 KB redacted, so a link to a typical failing run still
//! fits in a bug report; the bench says whether it holds. Plain `main`, std only.
//!
//! Runs come from the ingest synthesizer (`ingest::synth`, OTLP through the real importer), so
//! ids, attribute keys and times look like a real export; prompt and completion text and costs
//! are added here, since the synthesizer writes none.

use spoor::model::{Attr, AttrValue, Run, SpanKind};
use spoor::share::{decode_run, encode_run, redact, RedactOptions};

#[path = "common/mod.rs"]
mod common;
use common::{synth_workspace, Timings, XorShift};

/// Characters a 500-span redacted link may take.
const TARGET_CHARS: usize = 16 * 1024;

const WORDS: [&str; 24] = [
    "the", "build", "failed", "because", "test", "module", "parser", "returns", "error", "when",
    "input", "is", "empty", "please", "check", "config", "file", "and", "retry", "with", "a",
    "smaller", "batch", "size",
];

fn sentence(rng: &mut XorShift, words: u64) -> String {
    let n = 4 + rng.below(words);
    let v: Vec<&str> = (0..n).map(|_| WORDS[rng.below(24) as usize]).collect();
    v.join(" ")
}

/// A run of exactly `spans` spans, with prompts, completions, tool results and costs.
fn agent_run(spans: usize, seed: u64) -> Run {
    let mut run = synth_workspace(spans, seed)
        .runs
        .into_iter()
        .next()
        .expect("the synthesizer's run loads");
    let mut rng = XorShift(seed | 1);
    for s in &mut run.spans {
        match s.kind {
            SpanKind::Llm => {
                let input = s.usage.input.unwrap_or(0) as f64;
                let output = s.usage.output.unwrap_or(0) as f64;
                s.reported_cost_usd = Some((input * 2.5 + output * 10.0) / 1e6);
                let prompt = format!(
                    r#"[{{"role":"system","content":"You are a careful coding agent."}},{{"role":"user","content":"{}"}}]"#,
                    sentence(&mut rng, 60)
                );
                let completion = sentence(&mut rng, 40);
                s.attrs.push(Attr::new(
                    "gen_ai.input.messages",
                    AttrValue::Str(spoor::model::Text::from(prompt)),
                ));
                s.attrs.push(Attr::new(
                    "gen_ai.output.messages",
                    AttrValue::Str(spoor::model::Text::from(completion)),
                ));
                s.attrs.push(Attr::new(
                    "gen_ai.response.finish_reasons",
                    AttrValue::Array(vec![AttrValue::Str("stop".into())]),
                ));
            }
            SpanKind::Tool => {
                let result = sentence(&mut rng, 30);
                s.attrs.push(Attr::new(
                    "gen_ai.tool.call.result",
                    AttrValue::Str(spoor::model::Text::from(result.clone())),
                ));
                if let Some(t) = &mut s.tool {
                    t.result = Some(result);
                }
            }
            _ => {}
        }
    }
    run
}

fn median_ms(f: impl FnMut(), reps: usize) -> f64 {
    Timings::of(reps, f).median() * 1e3
}

fn main() {
    println!(
        "{:>6} {:>10} {:>12} {:>11} {:>11} {:>12} {:>12}",
        "spans", "redacted", "with text", "encode ms", "decode ms", "enc+text ms", "dec+text ms"
    );
    let mut verdict = None;
    for spans in [50, 500, 5_000] {
        let run = agent_run(spans, 42);
        assert_eq!(run.spans.len(), spans);
        let red = redact(&run, &RedactOptions::default());
        let (short, long) = (encode_run(&red), encode_run(&run));
        assert!(decode_run(&short).is_ok() && decode_run(&long).is_ok());
        let reps = if spans >= 5_000 { 5 } else { 21 };
        let enc = median_ms(|| drop(encode_run(&red)), reps);
        let dec = median_ms(|| drop(decode_run(&short)), reps);
        let enc_t = median_ms(|| drop(encode_run(&run)), reps);
        let dec_t = median_ms(|| drop(decode_run(&long)), reps);
        println!(
            "{spans:>6} {:>10} {:>12} {enc:>11.2} {dec:>11.2} {enc_t:>12.2} {dec_t:>12.2}",
            short.len(),
            long.len()
        );
        if spans == 500 {
            verdict = Some(short.len());
        }
    }
    if let Some(chars) = verdict {
        let holds = if chars <= TARGET_CHARS {
            "holds"
        } else {
            "MISSED"
        };
        println!("target: 500 spans redacted <= {TARGET_CHARS} chars: {chars} chars, {holds}");
    }
}
