//! Format detection from content only (never from file names: users rename files).
//!
//! A cheap shape sniff reads the top-level keys and the first element's keys with serde's
//! `IgnoredAny` for everything else, so a 1 GB OTLP file is classified without building a
//! `serde_json::Value` of it. Rules for the seed formats follow
//! `fixtures/seed-formats/FORMATS.md` §1: object rules first, then the JSON-lines rules.

use crate::model::Format;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// The JSON type of a sniffed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Object,
    Array,
    Str,
    Number,
    Bool,
    Null,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Object => "an object",
            Kind::Array => "a list",
            Kind::Str => "a string",
            Kind::Number => "a number",
            Kind::Bool => "true/false",
            Kind::Null => "null",
        }
    }
}

/// The shape of a JSON value down to a few levels: enough to tell formats apart.
#[derive(Debug, Clone)]
pub struct Shape {
    pub kind: Kind,
    /// Keys of an object with their shapes (empty below the sniff depth).
    pub fields: Vec<(String, Shape)>,
    /// For a list: its length and the shape of its first element.
    pub len: usize,
    pub first: Option<Box<Shape>>,
    /// Start of a string (enough for prefix rules such as seed 003's `agent.` events).
    pub text: Option<String>,
    pub number: Option<f64>,
}

impl Shape {
    fn new(kind: Kind) -> Shape {
        Shape {
            kind,
            fields: Vec::new(),
            len: 0,
            first: None,
            text: None,
            number: None,
        }
    }

    fn number(v: f64) -> Shape {
        let mut s = Shape::new(Kind::Number);
        s.number = Some(v);
        s
    }

    pub fn get(&self, key: &str) -> Option<&Shape> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn kind_of(&self, key: &str) -> Option<Kind> {
        self.get(key).map(|s| s.kind)
    }

    fn key_list(&self) -> String {
        let keys: Vec<String> = self
            .fields
            .iter()
            .take(8)
            .map(|(k, _)| format!("`{k}`"))
            .collect();
        let more = if self.fields.len() > 8 { ", …" } else { "" };
        format!("{}{more}", keys.join(", "))
    }
}

/// How deep the sniff records keys: top level, its fields, their first elements' keys.
pub const SNIFF_DEPTH: u8 = 3;
/// Keys recorded per object; the rest are skipped (no format needs more to be recognised).
const MAX_FIELDS: usize = 64;
const TEXT_PREFIX: usize = 32;

/// Reads the shape of a whole JSON text; fails exactly when the text is not one JSON value.
pub fn sniff(text: &str) -> Result<Shape, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let shape = ShapeSeed(SNIFF_DEPTH).deserialize(&mut de)?;
    de.end()?;
    Ok(shape)
}

/// Only the JSON type of a text, or `None` when it is not one JSON value (JSON-lines sniffing).
pub fn sniff_kind(text: &str) -> Option<Kind> {
    let mut de = serde_json::Deserializer::from_str(text);
    let shape = ShapeSeed(0).deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(shape.kind)
}

struct ShapeSeed(u8);

impl<'de> DeserializeSeed<'de> for ShapeSeed {
    type Value = Shape;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        d.deserialize_any(ShapeVisitor(self.0))
    }
}

struct ShapeVisitor(u8);

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::new(Kind::Bool))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Shape, E> {
        Ok(Shape::number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Shape, E> {
        Ok(Shape::number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Shape, E> {
        Ok(Shape::number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Shape, E> {
        let mut s = Shape::new(Kind::Str);
        s.text = Some(v.chars().take(TEXT_PREFIX).collect());
        Ok(s)
    }
    fn visit_unit<E>(self) -> Result<Shape, E> {
        Ok(Shape::new(Kind::Null))
    }
    fn visit_none<E>(self) -> Result<Shape, E> {
        Ok(Shape::new(Kind::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let mut s = Shape::new(Kind::Array);
        if self.0 > 0 {
            if let Some(first) = seq.next_element_seed(ShapeSeed(self.0 - 1))? {
                s.first = Some(Box::new(first));
                s.len = 1;
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {
            s.len += 1;
        }
        Ok(s)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut s = Shape::new(Kind::Object);
        if self.0 == 0 {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(s);
        }
        while let Some(key) = map.next_key::<String>()? {
            if s.fields.len() < MAX_FIELDS && !s.has(&key) {
                let value = map.next_value_seed(ShapeSeed(self.0 - 1))?;
                s.fields.push((key, value));
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(s)
    }
}

/// Classifies a sniffed value, or explains for each family why it did not fit (the user sees
/// this when their file is valid JSON of no known format).
pub fn classify(shape: &Shape) -> Result<Format, String> {
    match shape.kind {
        Kind::Object => classify_object(shape),
        Kind::Array => classify_array(shape),
        other => Err(format!(
            "the file holds {} rather than an object or a list, so it is no trace format Spoor knows",
            other.noun()
        )),
    }
}

/// Whether a sniffed document is OTLP, decided as [`classify`] decides it (OTLP is tried first):
/// the page's own module reads OTLP and leaves the rest, told apart and explained, to the
/// formats worker, so it needs no more of detection than this.
pub fn is_otlp(shape: &Shape) -> bool {
    match shape.kind {
        Kind::Object => otlp(shape).is_ok(),
        Kind::Array => {
            (shape.first.as_deref()).is_some_and(|f| f.kind == Kind::Object && otlp(f).is_ok())
        }
        _ => false,
    }
}

/// Formats recognised by a set of keys that must all be present.
const OBJECT_KEY_RULES: &[(Format, &[&str])] = &[
    (
        Format::Seed001AgentRun,
        &["run_id", "agent_version", "steps"],
    ),
    (
        Format::Seed002ObserverTrace,
        &["investigation_id", "events", "metrics", "start_time"],
    ),
    (
        Format::Seed002ObserverMetrics,
        &[
            "investigation_id",
            "tool_success_rate",
            "tool_latencies",
            "anomalies",
        ],
    ),
    (Format::Seed000Tokens, &["summary", "detailed_log"]),
    (
        Format::Seed000Metrics,
        &["summary", "detailed_metrics", "anomalies"],
    ),
    (
        Format::Seed002ReliabilityStats,
        &[
            "total_calls",
            "successes",
            "failures",
            "success_rate",
            "failure_log",
        ],
    ),
    (
        Format::Seed002InvestigationResult,
        &["answer", "iterations", "cost", "duration"],
    ),
    (
        Format::Seed003Tools,
        &["toolName", "latencyMs", "resultPreview"],
    ),
    (
        Format::Seed003Sessions,
        &[
            "sessionId",
            "durationMs",
            "totalInputTokens",
            "totalOutputTokens",
            "totalCostUsd",
        ],
    ),
    (
        Format::Seed003Decisions,
        &["sessionId", "step", "type", "detail"],
    ),
    (Format::Seed003Events, &["event", "payload"]),
];

const ARRAY_KEY_RULES: &[(Format, &[&str])] = &[
    (
        Format::Seed000Traces,
        &["span_id", "parent_id", "start_time", "children"],
    ),
    (
        Format::Seed000Log,
        &["timestamp", "agent_id", "level", "event_type", "message"],
    ),
    (Format::Seed002InvestigationLog, &["time", "event"]),
    (
        Format::Seed001AgentRun,
        &["run_id", "agent_version", "steps"],
    ),
];

fn classify_object(s: &Shape) -> Result<Format, String> {
    let mut why = Vec::new();
    for check in [otlp, jaeger, langfuse] {
        match check(s) {
            Ok(f) => return Ok(f),
            Err(reason) => why.push(reason),
        }
    }
    match key_rules(s, OBJECT_KEY_RULES) {
        Ok(f) => return Ok(f),
        Err(reason) => why.push(reason),
    }
    Err(format!(
        "valid JSON, but no trace format Spoor knows. Tried: {}. The object's keys are {}",
        why.join("; "),
        s.key_list()
    ))
}

fn classify_array(s: &Shape) -> Result<Format, String> {
    let Some(first) = s.first.as_deref() else {
        return Err("the file holds an empty list: nothing to load".into());
    };
    if first.kind != Kind::Object {
        return Err(format!(
            "valid JSON, but a list of {} items is no trace format Spoor knows (every format's \
             lists hold objects)",
            first.noun_plural()
        ));
    }
    let mut why = Vec::new();
    match otlp(first) {
        Ok(f) => return Ok(f),
        Err(reason) => why.push(reason),
    }
    match key_rules(first, ARRAY_KEY_RULES) {
        Ok(f) => return Ok(f),
        Err(reason) => why.push(reason),
    }
    Err(format!(
        "valid JSON, but no trace format Spoor knows. Tried: {}. The list's first item has keys {}",
        why.join("; "),
        first.key_list()
    ))
}

impl Shape {
    fn noun_plural(&self) -> &'static str {
        match self.kind {
            Kind::Object => "object",
            Kind::Array => "list",
            Kind::Str => "string",
            Kind::Number => "number",
            Kind::Bool => "true/false",
            Kind::Null => "null",
        }
    }
}

fn otlp(s: &Shape) -> Result<Format, String> {
    let key = ["resourceSpans", "resource_spans"]
        .into_iter()
        .find(|k| s.has(k));
    match key.and_then(|k| s.kind_of(k)) {
        Some(Kind::Array) => Ok(Format::Otlp),
        Some(other) => Err(format!(
            "not OTLP: `{}` is {}, not a list",
            key.unwrap_or("resourceSpans"),
            other.noun()
        )),
        None => Err("not OTLP: no `resourceSpans` key".into()),
    }
}

fn jaeger(s: &Shape) -> Result<Format, String> {
    if let Some(data) = s.get("data") {
        if data.kind != Kind::Array {
            return Err(format!(
                "not Jaeger: `data` is {}, not a list",
                data.kind.noun()
            ));
        }
        return match data.first.as_deref() {
            None => Ok(Format::Jaeger),
            Some(t) if t.has("traceID") && t.has("spans") => Ok(Format::Jaeger),
            Some(_) => Err("not Jaeger: `data[0]` has no `traceID` and `spans`".into()),
        };
    }
    match (s.has("traceID"), s.kind_of("spans")) {
        (true, Some(Kind::Array)) => Ok(Format::Jaeger),
        (true, _) => Err("not Jaeger: has `traceID` but no `spans` list".into()),
        (false, Some(_)) => Err("not Jaeger: has `spans` but no `traceID`".into()),
        (false, None) => Err("not Jaeger: no `data` list and no `traceID`/`spans`".into()),
    }
}

fn langfuse(s: &Shape) -> Result<Format, String> {
    match (s.kind_of("trace"), s.kind_of("observations")) {
        (Some(Kind::Object), Some(Kind::Array)) => Ok(Format::Langfuse),
        (Some(Kind::Object), Some(k)) => Err(format!(
            "not Langfuse: `observations` is {}, not a list",
            k.noun()
        )),
        (Some(Kind::Object), None) => {
            Err("not Langfuse: has a `trace` object but no `observations` list".into())
        }
        (Some(k), _) => Err(format!(
            "not Langfuse: `trace` is {}, not an object",
            k.noun()
        )),
        (None, Some(_)) => Err("not Langfuse: has `observations` but no `trace` object".into()),
        (None, None) => Err("not Langfuse: no `trace` and `observations`".into()),
    }
}

/// Applies key-set rules; on failure names the closest rule and what it lacks.
fn key_rules(s: &Shape, rules: &[(Format, &[&str])]) -> Result<Format, String> {
    // (keys present, format, why it did not fit)
    let mut closest: Option<(usize, Format, String)> = None;
    for &(format, keys) in rules {
        let missing: Vec<String> = keys
            .iter()
            .filter(|k| !s.has(k))
            .map(|k| format!("`{k}`"))
            .collect();
        let present = keys.len() - missing.len();
        let why = match missing.len() {
            0 => match extra_conditions(format, s) {
                Ok(()) => return Ok(format),
                Err(reason) => reason.to_string(),
            },
            1 => format!("{} is missing", missing.join("")),
            _ => format!("{} are missing", missing.join(", ")),
        };
        if present > 0 && closest.as_ref().is_none_or(|c| present > c.0) {
            closest = Some((present, format, why));
        }
    }
    Err(match closest {
        Some((_, format, why)) => format!("not {}: {why}", format.label()),
        None => "not one of the seed formats (code-review agent, AgentTracer, SRE agent, \
                 TypeScript pillars): none of their keys are present"
            .into(),
    })
}

/// Conditions beyond key presence (FORMATS.md §1 footnotes).
fn extra_conditions(format: Format, s: &Shape) -> Result<(), &'static str> {
    match format {
        Format::Seed002ObserverMetrics if s.has("events") => {
            Err("it has `events`, so it would be an observer trace, which lacks other keys")
        }
        Format::Seed002InvestigationLog if s.has("event_type") => {
            Err("it has `event_type`, which investigation logs do not")
        }
        Format::Seed003Events => {
            let agent_event = s
                .get("event")
                .and_then(|e| e.text.as_deref())
                .is_some_and(|t| t.starts_with("agent."));
            if !agent_event {
                Err("`event` is not a string starting with `agent.`")
            } else if s.kind_of("payload") != Some(Kind::Object) {
                Err("`payload` is not an object")
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}
