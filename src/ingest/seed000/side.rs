//! Seed 000 side files (log.json, tokens.json, metrics.json), read into pending batches. They
//! name no run, so `seed_join::join000` attaches them once the traces are loaded.

use super::super::seed_join::clock::iso_to_ns;
use super::super::seed_join::join000::{LogEntry, LogFile, MetricsFile, TokenEntry, TokensFile};
use super::super::seed_join::read::{attrs_of, flatten_metrics, metric, Obj, Probs};
use super::super::seed_join::Pending;
use super::super::ImportCtx;
use crate::model::{Failure, LogEvent, Origin};
use serde_json::Value;

/// Reads a naive-UTC ISO time (seed 000 writes `utcnow().isoformat()`, sometimes without the
/// fraction), reporting text that is not one.
fn time_at(o: Obj, key: &str, p: &mut Probs) -> Option<i64> {
    let s = o.req_str(key, p)?;
    let t = iso_to_ns(s);
    if t.is_none() {
        p.warn(
            &o.at(key),
            format!("`{s}` is not a date and time; the record has no time"),
        );
    }
    t
}

pub(super) fn import_log(doc: &Value, path: &str, ctx: &mut ImportCtx, p: &mut Probs) {
    let Some(items) = doc.as_array() else {
        p.error(path, "expected a list of log entries; nothing loaded");
        return;
    };
    let origin = Origin {
        file: ctx.file,
        line: None,
    };
    let mut lf = LogFile {
        file: ctx.file,
        file_name: ctx.file_name.to_string(),
        agent_id: None,
        model: None,
        entries: Vec::new(),
    };
    for (i, item) in items.iter().enumerate() {
        let ipath = format!("{path}[{i}]");
        let Some(o) = Obj::of(item, &ipath, "a log entry", p) else {
            continue;
        };
        let event_type = o.req_str("event_type", p).unwrap_or("").to_string();
        let meta = o.obj("metadata", p);
        let agent_id = o.str("agent_id", p).map(str::to_string);
        if lf.agent_id.is_none() {
            lf.agent_id = agent_id.clone();
        }
        let meta_str = |k: &str| meta.and_then(|m| m.get(k)).and_then(Value::as_str);
        if event_type == "AGENT_INIT" && lf.model.is_none() {
            lf.model = meta_str("model").map(str::to_string);
        }
        let tool_call = if event_type == "TOOL_CALL" {
            let args = meta
                .and_then(|m| m.get("args"))
                .map(|a| serde_json::to_string(a).unwrap_or_default());
            match (meta_str("tool"), args) {
                (Some(t), Some(a)) => Some((t.to_string(), a)),
                _ => {
                    p.warn(
                        &ipath,
                        "TOOL_CALL entry without `metadata.tool` and `metadata.args`",
                    );
                    None
                }
            }
        } else {
            None
        };
        lf.entries.push(LogEntry {
            event: LogEvent {
                time_ns: time_at(o, "timestamp", p),
                level: o.str("level", p).unwrap_or("").to_string(),
                event_type,
                message: o.str("message", p).unwrap_or("").to_string(),
                metadata: meta.map(|m| attrs_of(m, &[])).unwrap_or_default(),
                span: None,
                origin,
            },
            agent_id,
            tool_call,
        });
    }
    ctx.out.pending.push(Pending::S000Log(lf));
}

pub(super) fn import_tokens(doc: &Value, path: &str, ctx: &mut ImportCtx, p: &mut Probs) {
    let Some(o) = Obj::of(doc, path, "a token report", p) else {
        return;
    };
    let origin = Origin {
        file: ctx.file,
        line: None,
    };
    let mut tf = TokensFile {
        file: ctx.file,
        file_name: ctx.file_name.to_string(),
        model: None,
        total_input: None,
        total_output: None,
        cost_usd: None,
        metrics: Vec::new(),
        entries: Vec::new(),
    };
    let spath = o.at("summary");
    if let Some(sm) = o.obj("summary", p) {
        let so = Obj {
            map: sm,
            path: &spath,
        };
        tf.model = so.str("model", p).map(str::to_string);
        tf.total_input = so.u64("total_input_tokens", p);
        tf.total_output = so.u64("total_output_tokens", p);
        tf.cost_usd = so.f64("estimated_cost_usd", p);
        let unit = |n: &str| -> Option<&'static str> {
            if n.ends_with("cost_usd") {
                Some("USD")
            } else if n.ends_with("tokens") {
                Some("tokens")
            } else {
                None
            }
        };
        flatten_metrics(
            "tokens",
            &Value::Object(sm.clone()),
            origin,
            &unit,
            &mut tf.metrics,
        );
    } else {
        p.warn(&spath, "no `summary`; reported totals unknown");
    }
    for (i, item) in o
        .req_arr("detailed_log", p)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let ipath = format!("{}.detailed_log[{i}]", o.path);
        let Some(e) = Obj::of(item, &ipath, "a token entry", p) else {
            continue;
        };
        tf.entries.push(TokenEntry {
            time_ns: time_at(e, "timestamp", p),
            input: e.u64("input_tokens", p),
            output: e.u64("output_tokens", p),
            cost_usd: e.f64("cost_usd", p),
            attrs: attrs_of(e.map, &["timestamp"]),
            place: ipath.clone(),
        });
    }
    ctx.out.pending.push(Pending::S000Tokens(tf));
}

/// `errors[].type` in the seed 001 failure taxonomy where it clearly fits; the source word is
/// always kept as the failure code.
fn failure_type(t: &str) -> String {
    match t {
        "TOOL_ERROR" => "tool".to_string(),
        "JSON_PARSE_ERROR" => "model".to_string(),
        "RUNTIME_ERROR" => "orchestration".to_string(),
        other => other.to_ascii_lowercase(),
    }
}

fn unit_of_metric(n: &str) -> Option<&'static str> {
    (n.contains("latenc") || n.ends_with("_ms")).then_some("ms")
}

pub(super) fn import_metrics(doc: &Value, path: &str, ctx: &mut ImportCtx, p: &mut Probs) {
    let Some(o) = Obj::of(doc, path, "a metrics report", p) else {
        return;
    };
    let origin = Origin {
        file: ctx.file,
        line: None,
    };
    let mut mf = MetricsFile {
        file: ctx.file,
        file_name: ctx.file_name.to_string(),
        metrics: Vec::new(),
        failures: Vec::new(),
        anomalies: Vec::new(),
        total_iterations: None,
        total_tool_calls: None,
        llm_latencies_ms: None,
    };
    let spath = o.at("summary");
    if let Some(sm) = o.obj("summary", p) {
        let so = Obj {
            map: sm,
            path: &spath,
        };
        mf.total_iterations = so.u64("total_iterations", p);
        mf.total_tool_calls = so.u64("total_tool_calls", p);
        flatten_metrics(
            "summary",
            &Value::Object(sm.clone()),
            origin,
            &unit_of_metric,
            &mut mf.metrics,
        );
    } else {
        p.warn(&spath, "no `summary`");
    }
    let dpath = o.at("detailed_metrics");
    if let Some(dm) = o.obj("detailed_metrics", p) {
        let d = Obj {
            map: dm,
            path: &dpath,
        };
        if let Some(lat) = d.arr("llm_latencies", p) {
            let xs: Vec<f64> = lat.iter().filter_map(Value::as_f64).collect();
            if xs.len() == lat.len() {
                mf.llm_latencies_ms = Some(xs);
            } else {
                p.warn(&d.at("llm_latencies"), "some latencies are not numbers");
            }
        }
        for (k, v) in dm.iter().filter(|(k, _)| k.as_str() != "errors") {
            flatten_metrics(k, v, origin, &unit_of_metric, &mut mf.metrics);
        }
        for (i, item) in d.arr("errors", p).into_iter().flatten().enumerate() {
            let ipath = format!("{}.errors[{i}]", d.path);
            let Some(e) = Obj::of(item, &ipath, "an error record", p) else {
                continue;
            };
            let ty = e.req_str("type", p).unwrap_or("ERROR");
            mf.failures.push(Failure {
                failure_type: failure_type(ty),
                code: ty.to_string(),
                message: e.str("details", p).unwrap_or("").to_string(),
                step: None,
                span: None,
                time_ns: time_at(e, "timestamp", p),
                origin,
            });
        }
    } else {
        p.warn(&dpath, "no `detailed_metrics`");
    }
    for (i, a) in o.arr("anomalies", p).into_iter().flatten().enumerate() {
        match a.as_str() {
            Some(text) => mf.anomalies.push(LogEvent {
                time_ns: None,
                level: "WARNING".to_string(),
                event_type: "ANOMALY".to_string(),
                message: text.to_string(),
                metadata: Vec::new(),
                span: None,
                origin,
            }),
            None => p.warn(
                &format!("{}.anomalies[{i}]", o.path),
                "an anomaly that is not text; ignored",
            ),
        }
    }
    mf.metrics.push(metric(
        "anomalies.count",
        mf.anomalies.len() as f64,
        None,
        origin,
    ));
    ctx.out.pending.push(Pending::S000Metrics(mf));
}
