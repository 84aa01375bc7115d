//! Export formats built without the DOM: the analysis as JSON, spans as CSV (RFC 4180 quoting)
//! and the waterfall as a standalone SVG (text escaped, so trace text can never become markup).

use crate::analysis::anomaly::Anomaly;
use crate::analysis::bounds::RunBounds;
use crate::analysis::summary::RunSummary;
use crate::analysis::RunAnalysis;
use crate::model::{Run, Status};
use crate::num::{Fixed, Plain};
use crate::pace::{Pace, Paced};
use serde::Serialize;
use std::fmt::Write;

/// The analysis JSON: the run's names, its summary, anomalies and critical path (span ids).
/// Serialized straight from the analysis: building a `serde_json::Value` of it first took most
/// of a 1M-span export's 1.6 s.
#[derive(Serialize)]
struct AnalysisDoc<'a> {
    run: RunHead<'a>,
    summary: &'a RunSummary,
    anomalies: &'a [Anomaly],
    critical_path: Vec<&'a str>,
}

#[derive(Serialize)]
struct RunHead<'a> {
    id: &'a str,
    name: &'a str,
    agent_id: Option<&'a str>,
    agent_version: Option<&'a str>,
}

impl<'a> AnalysisDoc<'a> {
    fn of(run: &'a Run, a: &'a RunAnalysis) -> Self {
        AnalysisDoc {
            run: RunHead {
                id: &run.id,
                name: &run.name,
                agent_id: run.agent_id.as_deref(),
                agent_version: run.agent_version.as_deref(),
            },
            summary: &a.summary,
            anomalies: &a.anomalies,
            critical_path: (a.critical_path.iter())
                .filter_map(|&i| run.spans.get(i as usize).map(|s| s.id.as_str()))
                .collect(),
        }
    }
}

/// The analysis of `run` as pretty-printed JSON, for the page's "JSON" export.
pub fn analysis_json(run: &Run, a: &RunAnalysis) -> String {
    crate::pace::block_on(analysis_json_paced(run, a, &mut Pace::never())).concat()
}

/// [`analysis_json`] in parts of about [`PART`] bytes, resting as `pace` says once per anomaly
/// and per 64 critical-path ids: at a million spans the file is 65 MB and took 0.4 s of frozen
/// page in one piece. The text is exactly serde_json's pretty printing of the whole document
/// (two spaces a level): each element is printed on its own and indented to its depth.
pub fn analysis_json_paced<'a, 'p: 'a>(
    run: &'a Run,
    a: &'a RunAnalysis,
    pace: &'a mut Pace<'p>,
) -> Paced<'a, Vec<String>> {
    Box::pin(json_in_parts(AnalysisDoc::of(run, a), pace))
}

/// Pretty JSON of `value`, its lines indented for a place `depth` levels deep.
fn pretty_at<T: Serialize + ?Sized>(value: &T, depth: usize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.replace('\n', &format!("\n{}", "  ".repeat(depth)))
}

/// Parts of text, cut after an item once [`PART`] bytes have been written.
struct Parts {
    done: Vec<String>,
    out: String,
}

impl Parts {
    fn push(&mut self, s: &str) {
        self.out.push_str(s);
        if self.out.len() >= PART {
            self.done.push(std::mem::take(&mut self.out));
        }
    }
}

async fn json_in_parts(doc: AnalysisDoc<'_>, pace: &mut Pace<'_>) -> Vec<String> {
    let mut p = Parts {
        done: Vec::new(),
        out: String::new(),
    };
    p.push("{\n  \"run\": ");
    p.push(&pretty_at(&doc.run, 1));
    p.push(",\n  \"summary\": ");
    p.push(&pretty_at(doc.summary, 1));
    p.push(",\n  \"anomalies\": ");
    if doc.anomalies.is_empty() {
        p.push("[]");
    } else {
        p.push("[");
        for (k, x) in doc.anomalies.iter().enumerate() {
            p.push(if k == 0 { "\n    " } else { ",\n    " });
            p.push(&pretty_at(x, 2));
            pace.tick().await;
        }
        p.push("\n  ]");
    }
    p.push(",\n  \"critical_path\": ");
    if doc.critical_path.is_empty() {
        p.push("[]");
    } else {
        p.push("[");
        for (k, id) in doc.critical_path.iter().enumerate() {
            p.push(if k == 0 { "\n    " } else { ",\n    " });
            p.push(&serde_json::to_string(id).unwrap_or_default());
            if k % 64 == 63 {
                pace.tick().await;
            }
        }
        p.push("\n  ]");
    }
    p.push("\n}");
    p.done.push(p.out);
    p.done
}

/// Bytes of an export per part: the page copies each part out of WASM on its own, resting
/// between.
const PART: usize = 4 << 20;

const CSV_HEADER: &str = "span_id,parent_id,depth,name,kind,status,start_offset_ms,duration_ms,self_time_ms,model,input_tokens,output_tokens,reported_cost_usd,computed_cost_usd,tool\n";

/// Appends one field, quoted as RFC 4180 says when it holds a comma, quote or line break.
fn push_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        for c in s.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Appends nanoseconds as milliseconds with three decimals, rounded to the microsecond, in
/// integer arithmetic (float formatting was a third of the export's time).
fn push_ms(out: &mut String, ns: i64) {
    let us = (ns.unsigned_abs() + 500) / 1000;
    let sign = if ns < 0 && us > 0 { "-" } else { "" };
    let _ = write!(out, "{sign}{}.{:03}", us / 1000, us % 1000);
}

/// Appends a number, or nothing when there is none.
fn push_opt(out: &mut String, v: Option<impl std::fmt::Display>) {
    if let Some(v) = v {
        let _ = write!(out, "{v}");
    }
}

/// One line per span in tree order, with timing, tokens and cost. Written straight into one
/// string: a string per field made a 1M-span run's export take seconds of frozen page.
pub fn spans_csv(run: &Run, a: &RunAnalysis) -> String {
    crate::pace::block_on(spans_csv_paced(run, a, &mut Pace::never())).concat()
}

/// [`spans_csv`] in parts of about [`PART`] bytes, resting as `pace` says once per span: at
/// a million spans the file is 117 MB and took 1.9 s of frozen page in one piece.
pub fn spans_csv_paced<'a, 'p: 'a>(
    run: &'a Run,
    a: &'a RunAnalysis,
    pace: &'a mut Pace<'p>,
) -> Paced<'a, Vec<String>> {
    Box::pin(csv_in_parts(run, a, pace))
}

async fn csv_in_parts(run: &Run, a: &RunAnalysis, pace: &mut Pace<'_>) -> Vec<String> {
    let b = RunBounds::of(run);
    let mut parts = Vec::new();
    let capacity = (CSV_HEADER.len() + a.tree.preorder.len() * 128).min(PART + 4096);
    let mut out = String::with_capacity(capacity);
    out.push_str(CSV_HEADER);
    for &i in &a.tree.preorder {
        if out.len() >= PART {
            parts.push(std::mem::replace(&mut out, String::with_capacity(capacity)));
        }
        pace.tick().await;
        let s = &run.spans[i as usize];
        let end = s.end_ns.unwrap_or(b.end_ns).max(s.start_ns);
        push_field(&mut out, &s.id);
        out.push(',');
        push_field(&mut out, s.parent_id.as_deref().unwrap_or(""));
        let _ = write!(out, ",{},", a.tree.depth[i as usize]);
        push_field(&mut out, &s.name);
        let status = match s.status {
            Status::Ok => "ok",
            Status::Error => "error",
            Status::Unset => "unset",
        };
        let _ = write!(out, ",{},{status},", s.kind.as_str());
        push_ms(&mut out, s.start_ns - b.start_ns);
        out.push(',');
        push_ms(&mut out, end - s.start_ns);
        out.push(',');
        push_ms(&mut out, a.self_times[i as usize]);
        out.push(',');
        push_field(&mut out, s.model.as_deref().unwrap_or(""));
        out.push(',');
        push_opt(&mut out, s.usage.input);
        out.push(',');
        push_opt(&mut out, s.usage.output);
        out.push(',');
        push_opt(&mut out, s.reported_cost_usd.map(Plain));
        out.push(',');
        push_opt(
            &mut out,
            a.summary
                .per_span
                .computed_usd
                .get(i as usize)
                .copied()
                .flatten()
                .map(Plain),
        );
        out.push(',');
        push_field(&mut out, s.tool.as_ref().map_or("", |t| t.name.as_str()));
        out.push('\n');
    }
    parts.push(out);
    parts
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The whole waterfall (up to 5,000 rows) as an SVG document.
pub fn waterfall_svg(run: &Run, a: &RunAnalysis, b: RunBounds) -> String {
    let rows: Vec<u32> = a.tree.preorder.iter().copied().take(5000).collect();
    let (w, name_w, rh) = (1200.0, 380.0, 18.0);
    let h = rows.len() as f64 * rh + 30.0;
    let len = b.duration_ns().max(1) as f64;
    let mut out = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"11\">\n<title>{}</title>\n", xml_escape(&run.name), w = Plain(w), h = Plain(h));
    for (row, &i) in rows.iter().enumerate() {
        let s = &run.spans[i as usize];
        let y = 20.0 + row as f64 * rh;
        let end = s.end_ns.unwrap_or(b.end_ns).max(s.start_ns);
        let x = name_w + (s.start_ns - b.start_ns) as f64 / len * (w - name_w - 10.0);
        let bw = ((end - s.start_ns) as f64 / len * (w - name_w - 10.0)).max(1.0);
        let color = if s.status == Status::Error {
            "#e5534b"
        } else {
            crate::view::palette::kind_color(s.kind)
        };
        let indent = 4.0 + a.tree.depth[i as usize].min(30) as f64 * 10.0;
        out.push_str(&format!(
            "<text x=\"{indent}\" y=\"{}\">{}</text><rect x=\"{x}\" y=\"{}\" width=\"{bw}\" height=\"{}\" fill=\"{color}\"/>\n",
            Plain(y + 12.0),
            xml_escape(&crate::view::format::clip(&s.name, 50)),
            Plain(y + 3.0),
            Plain(rh - 6.0),
            indent = Plain(indent),
            x = Fixed(x, 2),
            bw = Fixed(bw, 2),
        ));
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON made in parts, element by element, is serde_json's pretty printing of the whole
    /// document, byte for byte, on generated runs with anomalies and a critical path, and with
    /// none (an empty run's lists print as `[]`).
    #[test]
    fn the_json_in_parts_is_the_pretty_print_of_the_whole() {
        use crate::analysis::{analyze_run, AnalysisConfig};
        use crate::ingest::synth::{otlp_json, Synth};
        use crate::ingest::{load, InputFile};
        let cfg = AnalysisConfig::default();
        for spans in [1, 300, 40_000] {
            let text = otlp_json(Synth {
                spans,
                traces: 1,
                seed: 9,
            });
            let ws = load(&[InputFile {
                name: "g.json",
                bytes: text.as_bytes(),
            }]);
            let run = &ws.runs[0];
            let a = analyze_run(run, &cfg);
            let whole = serde_json::to_string_pretty(&AnalysisDoc::of(run, &a)).unwrap();
            let parts = crate::pace::block_on(analysis_json_paced(run, &a, &mut Pace::never()));
            assert_eq!(parts.concat(), whole, "{spans} spans");
            if spans == 40_000 {
                assert!(!a.anomalies.is_empty() && !a.critical_path.is_empty());
            }
        }
        let empty = Run::default();
        let a = analyze_run(&empty, &cfg);
        let whole = serde_json::to_string_pretty(&AnalysisDoc::of(&empty, &a)).unwrap();
        assert_eq!(analysis_json(&empty, &a), whole);
        assert!(whole.contains("\"anomalies\": []"));
    }

    #[test]
    fn csv_quotes_and_svg_escapes() {
        let field = |s: &str| {
            let mut out = String::new();
            push_field(&mut out, s);
            out
        };
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("plain"), "plain");
        let ms = |ns: i64| {
            let mut out = String::new();
            push_ms(&mut out, ns);
            out
        };
        assert_eq!(ms(0), "0.000");
        assert_eq!(ms(1_234_567), "1.235");
        assert_eq!(ms(999), "0.001");
        assert_eq!(ms(499), "0.000");
        assert_eq!(ms(12_000_000_000), "12000.000");
        assert_eq!(ms(-1_500), "-0.002");
        for ns in [0i64, 7, 1_234_567, 86_400_000_000_123, 3_999_999] {
            assert_eq!(ms(ns), format!("{:.3}", ns as f64 / 1e6), "{ns}");
        }
        assert_eq!(
            xml_escape("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
    }
}
