//! The spans CSV export, read back as a spreadsheet would: one record per span in tree order,
//! fields quoted per RFC 4180, so names with commas, quotes and line breaks survive.

mod common;
use common::load_fixture;
use spoor::analysis::{analyze_run, AnalysisConfig};
use spoor::model::Run;
use spoor::view::export::spans_csv;

/// A strict RFC 4180 reader: records of fields; a quote inside a quoted field is doubled.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && record.is_empty() && !quoted,
        "the text ends with a line break"
    );
    records
}

fn check(run: &Run) {
    let a = analyze_run(run, &AnalysisConfig::default());
    let records = read_csv(&spans_csv(run, &a));
    assert_eq!(records[0].len(), 15);
    assert_eq!(records[0][0], "span_id");
    assert_eq!(
        records.len(),
        a.tree.preorder.len() + 1,
        "{}: one record per span",
        run.name
    );
    for (rec, &i) in records[1..].iter().zip(&a.tree.preorder) {
        let s = &run.spans[i as usize];
        assert_eq!(rec.len(), 15, "{rec:?}");
        assert_eq!(rec[0], s.id);
        assert_eq!(rec[1], s.parent_id.clone().unwrap_or_default());
        assert_eq!(rec[2], a.tree.depth[i as usize].to_string());
        assert_eq!(rec[3], s.name);
        assert_eq!(rec[4], s.kind.as_str());
        assert_eq!(rec[9], s.model.clone().unwrap_or_default());
        assert_eq!(
            rec[10],
            s.usage.input.map(|v| v.to_string()).unwrap_or_default()
        );
        assert_eq!(
            rec[12],
            s.reported_cost_usd
                .map(|v| v.to_string())
                .unwrap_or_default()
        );
        assert_eq!(
            rec[14],
            s.tool.as_ref().map(|t| t.name.clone()).unwrap_or_default()
        );
        let ms: f64 = rec[7].parse().expect("a duration in ms");
        assert!(ms >= 0.0);
    }
}

#[test]
fn every_span_is_one_record_with_its_fields() {
    for path in [
        "otlp/agent-prism/rag_earnings_agent.json",
        "langfuse/openai-agents-2025-09-30.trace.json",
        "jaeger/genai-test-trace.json",
        "seed-formats/seed001-agenttracer/runs_version_comparison.json",
    ] {
        let ws = load_fixture(path);
        assert!(!ws.runs.is_empty(), "{path} loads");
        ws.runs.iter().for_each(check);
    }
}

#[test]
fn names_with_commas_quotes_and_line_breaks_survive() {
    let mut ws = load_fixture("otlp/agent-prism/rag_earnings_agent.json");
    let run = &mut ws.runs[0];
    run.spans[0].name = "say \"hi\", twice\nthen stop\r".into();
    run.spans[1].name = "\"".into();
    check(run);
}

/// The page makes a big run's CSV in parts, resting whenever its time slice is used up; the
/// parts, resting at every look, make the text of the one call, each part ending at a line.
#[test]
fn the_csv_made_in_parts_with_a_rest_at_every_look_is_the_one_call() {
    use spoor::ingest::synth::{otlp_json, Synth};
    use spoor::pace::{block_on, Pace};
    use spoor::view::export::spans_csv_paced;
    use std::cell::{Cell, RefCell};
    // About 60k spans make a CSV of several 4 MB parts.
    let big = otlp_json(Synth {
        spans: 60_000,
        traces: 1,
        seed: 3,
    });
    let run = &common::load_files(&[("big.json", big.as_bytes())]).runs[0];
    let a = analyze_run(run, &AnalysisConfig::default());
    let (rests, stages) = (Cell::new(0), RefCell::new(Vec::new()));
    let mut check = common::rest_at_every_look(&rests, &stages);
    let parts = block_on(spans_csv_paced(run, &a, &mut Pace::with(&mut check)));
    assert!(parts.len() >= 2, "{} parts", parts.len());
    assert!(parts.iter().all(|p| p.ends_with('\n')));
    assert!(rests.get() >= 60_000 / 1024, "rests: {}", rests.get());
    assert_eq!(parts.concat(), spans_csv(run, &a));
    assert_eq!(
        read_csv(&parts.concat()).len(),
        60_001,
        "a header and a line per span"
    );
    // The analysis JSON too, made in parts with a rest at every look.
    let rests = Cell::new(0);
    let mut check = common::rest_at_every_look(&rests, &stages);
    let json = block_on(spoor::view::export::analysis_json_paced(
        run,
        &a,
        &mut Pace::with(&mut check),
    ));
    assert!(rests.get() > 0, "it rested");
    assert_eq!(json.concat(), spoor::view::export::analysis_json(run, &a));
}

/// The analysis JSON, serialized straight from the analysis, holds what the page's export
/// always held: the run's names, the summary, the anomalies and the critical path's span ids.
#[test]
fn the_analysis_json_holds_the_summary_anomalies_and_critical_path() {
    use spoor::view::export::analysis_json;
    for path in [
        "langfuse/openai-agents-2025-09-30.trace.json",
        "seed-formats/seed002-sre-agent/observer_failures_loop.trace.json",
    ] {
        for run in &load_fixture(path).runs {
            let a = analyze_run(run, &AnalysisConfig::default());
            let got: serde_json::Value =
                serde_json::from_str(&analysis_json(run, &a)).expect("JSON");
            let want = serde_json::json!({
                "run": { "id": run.id, "name": run.name, "agent_id": run.agent_id, "agent_version": run.agent_version },
                "summary": a.summary,
                "anomalies": a.anomalies,
                "critical_path": a.critical_path.iter().map(|&i| run.spans[i as usize].id.clone()).collect::<Vec<_>>(),
            });
            assert_eq!(got, want, "{path}");
            assert!(!a.critical_path.is_empty(), "{path}: a path to check");
        }
    }
}
