//! Langfuse shapes the 20 real fixtures do not show (errors, running and EVENT observations,
//! boolean and categorical scores, odd usage keys, metadata that is not JSON) and broken input.

use super::import;
use crate::ingest::{Fragment, ImportCtx};
use crate::model::{find_attr, flags, AttrValue, Problem, Run, Severity, SpanKind, Status};
use serde_json::{json, Value};

fn run(doc: &Value) -> (Vec<Run>, Vec<Problem>) {
    let mut ctx = ImportCtx {
        file: 1,
        file_name: "export.json",
        out: Fragment::default(),
        problems: Vec::new(),
    };
    import(doc, &mut ctx);
    (ctx.out.runs, ctx.problems)
}

fn obs(id: &str, ty: &str, extra: Value) -> Value {
    let mut o = json!({"id": id, "type": ty, "name": format!("{ty} {id}"),
        "startTime": "2025-01-01T00:00:00.000Z", "endTime": "2025-01-01T00:00:01.500Z",
        "parentObservationId": null, "level": "DEFAULT", "statusMessage": null});
    if let (Some(o), Value::Object(extra)) = (o.as_object_mut(), extra) {
        o.extend(extra);
    }
    o
}

#[test]
fn levels_events_and_running_spans() {
    let doc = json!({"trace": {"id": "t1", "name": "demo"}, "observations": [
        obs("a", "SPAN", json!({})),
        obs("b", "GENERATION", json!({"parentObservationId": "a", "level": "ERROR",
            "statusMessage": "context length exceeded", "endTime": null})),
        obs("c", "EVENT", json!({"parentObservationId": "a", "endTime": null})),
        obs("d", "SPAN", json!({"parentObservationId": "a", "level": "WARNING",
            "statusMessage": "slow"})),
    ]});
    let (runs, problems) = run(&doc);
    assert_eq!(problems, vec![]);
    let spans = &runs[0].spans;
    assert_eq!(spans.len(), 4, "an EVENT is a span too");
    assert_eq!(spans[0].end_ns, Some(spans[0].start_ns + 1_500_000_000));
    assert_eq!(spans[1].status, Status::Error);
    assert_eq!(
        spans[1].error_message.as_deref(),
        Some("context length exceeded")
    );
    assert_eq!(spans[1].end_ns, None, "no endTime: still running");
    assert_eq!(
        spans[2].end_ns,
        Some(spans[2].start_ns),
        "an EVENT is a point"
    );
    assert_eq!(spans[3].status, Status::Unset);
    assert_eq!(spans[3].status_text.as_deref(), Some("WARNING"));
    assert_eq!(
        find_attr(&spans[3].attrs, "langfuse.status_message"),
        Some(&AttrValue::Str("slow".into()))
    );
    assert_eq!(runs[0].name, "demo");
    assert_eq!(runs[0].files, vec![1]);
}

/// Langfuse's typed fields win over the OTel attributes in `metadata`; attributes fill the rest.
#[test]
fn typed_fields_win_over_metadata() {
    let meta = json!({"attributes": {
        "gen_ai.request.model": "gpt-4o", "gen_ai.system": "openai",
        "gen_ai.usage.input_tokens": "999", "gen_ai.usage.output_tokens": "20",
        "gen_ai.usage.cache_read.input_tokens": "64", "custom": "kept"},
        "resourceAttributes": {"service.name": "svc", "host.name": "h"},
        "scope": {"name": "pydantic-ai", "version": "1.0"},
        "langgraph_node": "agent"});
    let doc = json!({"trace": {"id": "t", "name": "n", "userId": "u1", "sessionId": "s1",
            "tags": ["a"], "environment": "prod", "release": "r7"},
        "observations": [obs("g", "GENERATION", json!({"model": "gpt-4o-2024-08-06",
            "usageDetails": {"input": 100, "output": 20, "total": 120,
                "output_reasoning_tokens": 5, "cache_creation_input_tokens": 7},
            "costDetails": {"total": 0.002}, "input": {"messages": []}, "output": "hi",
            "metadata": meta.to_string()}))]});
    let (runs, problems) = run(&doc);
    assert_eq!(problems, vec![]);
    let s = &runs[0].spans[0];
    assert_eq!(s.kind, SpanKind::Llm);
    assert_eq!(s.model.as_deref(), Some("gpt-4o-2024-08-06"));
    assert_eq!(s.provider.as_deref(), Some("openai"));
    assert_eq!(s.usage.input, Some(100));
    assert_eq!(s.usage.output, Some(20));
    assert_eq!(s.usage.cache_read, Some(64), "filled from metadata");
    assert_eq!(s.usage.cache_write, Some(7));
    assert_eq!(s.usage.reasoning, Some(5));
    assert_eq!(s.reported_cost_usd, Some(0.002));
    let attr = |k: &str| find_attr(&s.attrs, k).cloned();
    assert_eq!(attr("custom"), Some(AttrValue::Str("kept".into())));
    assert_eq!(attr("service.name"), Some(AttrValue::Str("svc".into())));
    assert_eq!(
        attr("otel.scope.name"),
        Some(AttrValue::Str("pydantic-ai".into()))
    );
    assert_eq!(
        attr("metadata.langgraph_node"),
        Some(AttrValue::Str("agent".into()))
    );
    assert_eq!(
        attr("input"),
        Some(AttrValue::Str(r#"{"messages":[]}"#.into()))
    );
    assert_eq!(attr("output"), Some(AttrValue::Str("hi".into())));
    let r = &runs[0];
    assert_eq!(r.environment.as_deref(), Some("prod"));
    assert_eq!(r.agent_version.as_deref(), Some("r7"));
    let rattr = |k: &str| find_attr(&r.attributes, k).cloned();
    assert_eq!(rattr("user.id"), Some(AttrValue::Str("u1".into())));
    assert_eq!(rattr("session.id"), Some(AttrValue::Str("s1".into())));
    assert_eq!(rattr("host.name"), Some(AttrValue::Str("h".into())));
    assert_eq!(
        rattr("tags"),
        Some(AttrValue::Array(vec![AttrValue::Str("a".into())]))
    );
}

#[test]
fn tool_observations_carry_arguments_and_result() {
    let doc = json!({"trace": {"id": "t"}, "observations": [
        obs("t1", "TOOL", json!({"name": "get_weather", "input": "{\"city\":\"Berlin\"}",
            "output": {"temp": 15},
            "metadata": "{\"attributes\":{\"gen_ai.tool.call.id\":\"call_9\"}}"})),
        obs("t2", "SPAN", json!({"name": "search", "input": "q",
            "metadata": "{\"attributes\":{\"openinference.span.kind\":\"TOOL\"}}"})),
    ]});
    let (runs, _) = run(&doc);
    let t = runs[0].spans[0].tool.as_ref().expect("tool");
    assert_eq!(t.name, "get_weather");
    assert_eq!(t.call_id.as_deref(), Some("call_9"));
    assert_eq!(t.arguments.as_deref(), Some("{\"city\":\"Berlin\"}"));
    assert_eq!(t.result.as_deref(), Some("{\"temp\":15}"));
    let s = &runs[0].spans[1];
    assert_eq!(
        s.kind,
        SpanKind::Tool,
        "the OTel attributes decide for a SPAN"
    );
    let t = s.tool.as_ref().expect("tool");
    assert_eq!(
        (t.name.as_str(), t.arguments.as_deref()),
        ("search", Some("q"))
    );
    // Without a trace name, the run is named after the root observation.
    assert_eq!(runs[0].name, "get_weather");
}

#[test]
fn scores_become_metrics_and_signals() {
    let doc = json!({"trace": {"id": "t", "scores": [
        {"name": "hallucination", "value": 0.2, "dataType": "NUMERIC", "comment": "mostly fine",
         "timestamp": "2025-01-01T00:00:02Z"},
        {"name": "helpful", "value": 1, "dataType": "BOOLEAN", "stringValue": "True",
         "observationId": "g", "comment": null},
        {"name": "tone", "value": 0, "dataType": "CATEGORICAL", "stringValue": "formal",
         "comment": "by reviewer"},
        {"name": "broken", "value": null, "dataType": "NUMERIC"}
    ]}, "observations": [obs("g", "GENERATION", json!({}))]});
    let (runs, problems) = run(&doc);
    let r = &runs[0];
    let names: Vec<&str> = r.metrics.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        vec!["score.hallucination", "score.hallucination.comment"]
    );
    assert_eq!(r.metrics[0].time_ns, Some(1_735_689_602_000_000_000));
    assert_eq!(r.signals.len(), 2);
    assert_eq!(
        (r.signals[0].code.as_str(), r.signals[0].value),
        ("helpful", true)
    );
    assert_eq!(r.signals[0].span, Some(0));
    assert_eq!(r.signals[1].code, "tone: formal");
    assert_eq!(r.signals[1].comment.as_deref(), Some("by reviewer"));
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].place.as_deref(), Some("$.trace.scores[3]"));
}

#[test]
fn odd_input_is_reported_not_dropped() {
    let doc = json!({"trace": {"id": "t"}, "observations": [
        42,
        {"type": "GENERATION", "name": "no id or start", "usageDetails": {"input": -3}},
        obs("m", "SPAN", json!({"metadata": "not json {"})),
    ]});
    let (runs, problems) = run(&doc);
    assert_eq!(runs[0].spans.len(), 2);
    let places: Vec<(&str, Severity)> = problems
        .iter()
        .map(|p| (p.place.as_deref().unwrap_or(""), p.severity))
        .collect();
    assert_eq!(
        places,
        vec![
            ("$.observations[0]", Severity::Error),
            ("$.observations[1]", Severity::Warning),
            ("$.observations[1]", Severity::Warning),
        ]
    );
    let g = &runs[0].spans[0];
    assert_eq!(g.usage.input, None);
    assert!(g.has_flag(flags::BAD_NUMBER));
    assert_eq!(
        g.start_ns, runs[0].spans[1].start_ns,
        "placed at the trace's start"
    );
    assert_eq!(
        find_attr(&runs[0].spans[1].attrs, "metadata"),
        Some(&AttrValue::Str("not json {".into()))
    );
    let (runs, problems) = run(&json!([1, 2]));
    assert!(runs.is_empty());
    assert_eq!(problems[0].severity, Severity::Error);
    let (runs, problems) = run(&json!({"trace": {"id": "x", "name": "empty"}}));
    assert_eq!((runs.len(), runs[0].spans.len()), (1, 0));
    assert_eq!(problems[0].severity, Severity::Warning);
}
