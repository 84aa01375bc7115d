//! The Jaeger importer against the real Jaeger UI file `../shared/fixtures/jaeger/genai-test-trace.json`
//! (57 spans with OTel GenAI attributes), plus the shapes that file does not show: the
//! `{data: [...]}` wrapper, FOLLOWS_FROM, stringly-typed tags, logs, `otel.status_*` tags and
//! broken input.

use serde_json::{json, Value};
use spoor::ingest::jaeger;
use spoor::model::{find_attr, AttrValue, Format, Problem, Run, Severity, SpanKind, Status};

mod common;
use common::{count_kind, fixture, fixture_json, import_doc, load_one, span_by_id};

const GENAI_TRACE: &str = "jaeger/genai-test-trace.json";

/// The Jaeger importer alone on `doc`, as file 3 named `trace.json`.
fn import(doc: &Value) -> (Vec<Run>, Vec<Problem>) {
    import_doc(jaeger::import, 3, "trace.json", doc)
}

/// From `../shared/fixtures`:
/// `python3 -c "import json;d=json.load(open('jaeger/genai-test-trace.json'));S=d['spans'];t=lambda s:{x['key']:x['value'] for x in s['tags']};op=lambda s:t(s).get('gen_ai.operation.name');L=[s for s in S if op(s)=='chat'];print(len({s['traceID'] for s in S}),len(S),len(L),sum(op(s)=='execute_tool' for s in S),sum(t(s).get('error') is True for s in S),sum(t(s)['gen_ai.usage.input_tokens'] for s in L),sum(t(s)['gen_ai.usage.output_tokens'] for s in L),sum(t(s)['gen_ai.usage.cache_read.input_tokens'] for s in L),[s['operationName'] for s in S if not s['references']],sorted({t(s)['gen_ai.response.model'] for s in L}),sum(op(s)=='invoke_agent' for s in S),sum(op(s)=='retrieval' for s in S),[s['spanID'] for s in S if t(s).get('error')])"`
/// → `1 57 5 7 1 8280 1180 4140 ['POST /api/graphql'] ['model-a', 'model-b'] 2 3 ['0000000000000011']`
#[test]
fn genai_test_trace_figures() {
    let (runs, problems) = import(&fixture_json(GENAI_TRACE));
    assert_eq!(problems, vec![]);
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run.id, "4a1b2c3d4e5f60718293a4b5c6d7e8f9");
    assert_eq!(run.name, "POST /api/graphql");
    assert_eq!(run.spans.len(), 57);
    assert_eq!(count_kind(run, SpanKind::Llm), 5);
    assert_eq!(count_kind(run, SpanKind::Tool), 7);
    assert_eq!(count_kind(run, SpanKind::Agent), 2);
    assert_eq!(count_kind(run, SpanKind::Retrieval), 3);
    let errors: Vec<&str> = run
        .spans
        .iter()
        .filter(|s| s.status == Status::Error)
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(errors, vec!["0000000000000011"]);
    let llm: Vec<_> = run
        .spans
        .iter()
        .filter(|s| s.kind == SpanKind::Llm)
        .collect();
    let sum = |f: fn(&spoor::model::Usage) -> Option<u64>| -> u64 {
        llm.iter().map(|s| f(&s.usage).unwrap_or(0)).sum()
    };
    assert_eq!(sum(|u| u.input), 8280);
    assert_eq!(sum(|u| u.output), 1180);
    assert_eq!(sum(|u| u.cache_read), 4140);
    let mut models: Vec<&str> = llm.iter().filter_map(|s| s.model.as_deref()).collect();
    models.sort_unstable();
    models.dedup();
    assert_eq!(models, vec!["model-a", "model-b"]);
    assert!(llm
        .iter()
        .all(|s| s.provider.as_deref() == Some("example-ai")));
    // This file reports no cost anywhere: none is invented.
    assert!(run.spans.iter().all(|s| s.reported_cost_usd.is_none()));
    let roots: Vec<&str> = run
        .spans
        .iter()
        .filter(|s| s.parent_id.is_none())
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(roots, vec!["POST /api/graphql"]);
    assert_eq!(run.agent_id.as_deref(), Some("triage-agent"));
    // The root's process (p1) names the run's service; all ten services are listed:
    // `python3 -c "import json;d=json.load(open('jaeger/genai-test-trace.json'));print(d['processes']['p1']['serviceName'],len({p['serviceName'] for p in d['processes'].values()}))"`
    // → `api-edge 10`
    assert_eq!(
        find_attr(&run.attributes, "service.name"),
        Some(&AttrValue::Str("api-edge".into()))
    );
    let services = find_attr(&run.attributes, "jaeger.services");
    assert!(matches!(services, Some(AttrValue::Array(s)) if s.len() == 10));
}

/// `python3 -c "import json;d=json.load(open('jaeger/genai-test-trace.json'));s=[s for s in d['spans'] if s['spanID']=='0000000000000007'][0];print(s['startTime'],s['duration'],{x['key']:x['value'] for x in s['tags']})"`
/// → `1770000000007000 900000 {'span.kind': 'internal', 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'list_dashboards', 'gen_ai.tool.call.id': 'call_list_dashboards', 'gen_ai.tool.call.arguments': '{"window":"1h"}', 'gen_ai.tool.call.result': '{"status":"ok","rows":12}'}`
/// Its process p3 is `coding-agent`; its parent is span 4.
#[test]
fn genai_test_trace_tool_span() {
    let (runs, _) = import(&fixture_json(GENAI_TRACE));
    let s = span_by_id(&runs[0], "0000000000000007");
    assert_eq!(s.name, "execute_tool list_dashboards");
    assert_eq!(s.kind, SpanKind::Tool);
    assert_eq!(s.start_ns, 1_770_000_000_007_000_000);
    assert_eq!(s.end_ns, Some(1_770_000_000_907_000_000));
    assert_eq!(s.parent_id.as_deref(), Some("0000000000000004"));
    let tool = s.tool.as_ref().expect("tool call");
    assert_eq!(tool.name, "list_dashboards");
    assert_eq!(tool.call_id.as_deref(), Some("call_list_dashboards"));
    assert_eq!(tool.arguments.as_deref(), Some(r#"{"window":"1h"}"#));
    assert_eq!(tool.result.as_deref(), Some(r#"{"status":"ok","rows":12}"#));
    assert_eq!(
        find_attr(&s.attrs, "service.name"),
        Some(&AttrValue::Str("coding-agent".into()))
    );
    assert_eq!(
        find_attr(&s.attrs, "span.kind"),
        Some(&AttrValue::Str("internal".into()))
    );
    // Span 0x32 `execute_tool summarize_findings` has no gen_ai.tool.name: its name says it.
    let s = span_by_id(&runs[0], "0000000000000032");
    assert_eq!(
        s.tool.as_ref().map(|t| t.name.as_str()),
        Some("summarize_findings")
    );
    // An int64 tag stays an integer.
    let root = &runs[0].spans[0];
    assert_eq!(
        find_attr(&root.attrs, "http.response.status_code"),
        Some(&AttrValue::Int(200))
    );
}

/// The file through `ingest::load`: detected as Jaeger, every parent resolved, one root.
#[test]
fn genai_test_trace_loads_end_to_end() {
    let ws = load_one("genai-test-trace.json", &fixture(GENAI_TRACE));
    assert_eq!(ws.problems, vec![]);
    assert_eq!(ws.files[0].formats, vec![Format::Jaeger]);
    assert_eq!(ws.runs.len(), 1);
    assert_eq!(ws.span_count(), 57);
    let run = &ws.runs[0];
    assert_eq!(run.format, Some(Format::Jaeger));
    let roots: Vec<&str> = run
        .spans
        .iter()
        .filter(|s| s.parent.is_none())
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(roots, vec!["POST /api/graphql"]);
    assert!(run.spans.iter().all(|s| s.flags == 0));
}

/// The API's `{data: [...]}` wrapper, with a trace split over two entries: one run per traceID.
#[test]
fn data_wrapper_merges_by_trace_id() {
    let doc = json!({"data": [
        {"traceID": "abc", "spans": [
            {"traceID": "abc", "spanID": "1", "operationName": "root", "references": [],
             "startTime": 1000, "duration": 50, "tags": [], "logs": [], "processID": "p1"}],
         "processes": {"p1": {"serviceName": "svc", "tags": [{"key": "host", "type": "string", "value": "h1"}]}}},
        {"traceID": "abc", "spans": [
            {"traceID": "abc", "spanID": "2", "operationName": "child",
             "references": [{"refType": "CHILD_OF", "traceID": "abc", "spanID": "1"}],
             "startTime": 1010, "duration": 10, "processID": "p1"}],
         "processes": {"p1": {"serviceName": "svc"}}},
        {"traceID": "def", "spans": [], "processes": {}}
    ], "total": 0, "limit": 0, "offset": 0, "errors": null});
    let (runs, problems) = import(&doc);
    assert_eq!(problems, vec![]);
    // A trace with no spans still makes no run: there is nothing to show.
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    // Jaeger drops leading zeros; ids are padded back so OTLP copies of the trace merge.
    assert_eq!(run.id, "0000000000000abc");
    assert_eq!(run.name, "root");
    assert_eq!(run.spans.len(), 2);
    assert_eq!(run.spans[1].parent_id.as_deref(), Some("0000000000000001"));
    assert_eq!(run.spans[0].start_ns, 1_000_000);
    assert_eq!(run.spans[0].end_ns, Some(1_050_000));
    assert_eq!(
        find_attr(&run.spans[0].attrs, "process.host"),
        Some(&AttrValue::Str("h1".into()))
    );
    assert_eq!(run.files, vec![3]);
    assert_eq!(
        find_attr(&run.attributes, "host"),
        Some(&AttrValue::Str("h1".into()))
    );
}

/// FOLLOWS_FROM is a link, and the parent only when there is no CHILD_OF.
#[test]
fn follows_from_is_a_link_and_a_fallback_parent() {
    let doc = json!({"traceID": "t1", "processes": {}, "spans": [
        {"spanID": "a", "operationName": "a", "startTime": 1, "duration": 1, "references": []},
        {"spanID": "b", "operationName": "b", "startTime": 2, "duration": 1,
         "references": [{"refType": "FOLLOWS_FROM", "traceID": "t1", "spanID": "a"}]},
        {"spanID": "c", "operationName": "c", "startTime": 3, "duration": 1,
         "references": [{"refType": "FOLLOWS_FROM", "traceID": "t1", "spanID": "b"},
                        {"refType": "CHILD_OF", "traceID": "t1", "spanID": "a"}]}
    ]});
    let (runs, problems) = import(&doc);
    assert_eq!(problems, vec![]);
    let spans = &runs[0].spans;
    assert_eq!(spans[1].parent_id.as_deref(), Some("000000000000000a"));
    assert_eq!(spans[1].links.len(), 1);
    assert_eq!(spans[2].parent_id.as_deref(), Some("000000000000000a"));
    assert_eq!(spans[2].links.len(), 1);
    assert_eq!(spans[2].links[0].span_id, "000000000000000b");
}

/// Stringly-typed tags, `otel.status_*`, the `error` tag written as a string, and logs.
#[test]
fn typed_tags_status_and_logs() {
    let doc = json!({"traceID": "t", "processes": {"p": {"serviceName": "agent", "tags": []}}, "spans": [
        {"spanID": "1", "operationName": "chat gpt-4o", "startTime": "1700000000000000", "duration": "2000",
         "processID": "p", "references": [],
         "tags": [
            {"key": "gen_ai.operation.name", "type": "string", "value": "chat"},
            {"key": "gen_ai.system", "type": "string", "value": "openai"},
            {"key": "gen_ai.request.model", "type": "string", "value": "gpt-4o"},
            {"key": "gen_ai.usage.prompt_tokens", "type": "int64", "value": "120"},
            {"key": "gen_ai.usage.completion_tokens", "type": "int64", "value": 30},
            {"key": "llm.cost.total", "type": "float64", "value": "0.0042"},
            {"key": "retry", "type": "bool", "value": "true"},
            {"key": "otel.status_code", "type": "string", "value": "ERROR"},
            {"key": "otel.status_description", "type": "string", "value": "rate limited"}],
         "logs": [{"timestamp": 1_700_000_000_001_000_i64, "fields": [
            {"key": "event", "type": "string", "value": "retry"},
            {"key": "attempt", "type": "int64", "value": 2}]}]},
        {"spanID": "2", "operationName": "call", "startTime": 1_700_000_000_000_500_i64, "duration": 10,
         "references": [{"refType": "CHILD_OF", "spanID": "1"}],
         "tags": [{"key": "error", "type": "bool", "value": "true"}],
         "logs": [{"timestamp": 1_700_000_000_000_505_i64, "fields": [
            {"key": "event", "type": "string", "value": "error"},
            {"key": "message", "type": "string", "value": "connection reset"}]}]}
    ]});
    let (runs, problems) = import(&doc);
    assert_eq!(problems, vec![]);
    let s = &runs[0].spans[0];
    assert_eq!(s.start_ns, 1_700_000_000_000_000_000);
    assert_eq!(s.end_ns, Some(1_700_000_000_002_000_000));
    assert_eq!(s.kind, SpanKind::Llm);
    assert_eq!(s.provider.as_deref(), Some("openai"));
    assert_eq!((s.usage.input, s.usage.output), (Some(120), Some(30)));
    assert_eq!(s.reported_cost_usd, Some(0.0042));
    assert_eq!(find_attr(&s.attrs, "retry"), Some(&AttrValue::Bool(true)));
    assert_eq!(s.status, Status::Error);
    assert_eq!(s.status_text.as_deref(), Some("ERROR"));
    assert_eq!(s.error_message.as_deref(), Some("rate limited"));
    assert_eq!(s.events.len(), 1);
    assert_eq!(s.events[0].name, "retry");
    assert_eq!(s.events[0].time_ns, 1_700_000_000_001_000_000);
    assert_eq!(
        find_attr(&s.events[0].attrs, "attempt"),
        Some(&AttrValue::Int(2))
    );
    let c = &runs[0].spans[1];
    assert_eq!(c.status, Status::Error);
    assert_eq!(c.error_message.as_deref(), Some("connection reset"));
    assert_eq!(c.parent_id.as_deref(), Some("0000000000000001"));
}

/// Broken input never panics and never vanishes silently: each skip or repair is a problem
/// that names the place.
#[test]
fn broken_spans_are_reported_by_place() {
    let doc = json!({"data": [
        {"traceID": "t", "spans": [
            "not a span",
            {"operationName": "no id", "startTime": 10, "duration": 5},
            {"spanID": "2", "operationName": "no times"},
            {"spanID": "3", "operationName": "bad tags", "startTime": 12, "duration": 1,
             "tags": [{"type": "string", "value": "keyless"}]}
        ]},
        42
    ]});
    let (runs, problems) = import(&doc);
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].spans.len(), 3);
    let places: Vec<(&str, Severity)> = problems
        .iter()
        .map(|p| (p.place.as_deref().unwrap_or(""), p.severity))
        .collect();
    assert_eq!(
        places,
        vec![
            ("$.data[0].spans[0]", Severity::Error),
            ("$.data[0].spans[1]", Severity::Warning),
            ("$.data[0].spans[2]", Severity::Warning),
            ("$.data[0].spans[2]", Severity::Warning),
            ("$.data[0].spans[3].tags[0]", Severity::Warning),
            ("$.data[1]", Severity::Error),
        ]
    );
    assert!(problems.iter().all(|p| p.file == "trace.json"));
    // The span without a start sits at the trace's earliest start; without a duration it runs.
    let no_times = &runs[0].spans[1];
    assert_eq!(no_times.start_ns, 10_000);
    assert_eq!(no_times.end_ns, None);
    let (_, problems) = import(&json!("nope"));
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].severity, Severity::Error);
}
