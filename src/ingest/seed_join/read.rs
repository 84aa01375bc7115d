//! Reading loosely typed seed JSON without panicking: every wrong type or missing key becomes a
//! [`Problem`] naming the file and the JSON path, so the seed importers stay short and a bad
//! document degrades into warnings instead of a crash.

use super::clock::iso_to_ns;
use crate::model::{Attr, AttrValue, Metric, MetricValue, Origin, Problem, Severity};
use serde_json::{Map, Value};

/// Problems collected while reading one document; flushed into the import context at the end
/// (a local sink keeps the borrow of the context free for pushing runs).
pub(crate) struct Probs {
    file: String,
    pub(crate) list: Vec<Problem>,
}

impl Probs {
    pub(crate) fn new(file: &str) -> Probs {
        Probs {
            file: file.to_string(),
            list: Vec::new(),
        }
    }

    pub(crate) fn warn(&mut self, place: &str, message: impl Into<String>) {
        self.push(Severity::Warning, place, message.into());
    }

    pub(crate) fn error(&mut self, place: &str, message: impl Into<String>) {
        self.push(Severity::Error, place, message.into());
    }

    fn push(&mut self, severity: Severity, place: &str, message: String) {
        self.list.push(Problem {
            severity,
            file: self.file.clone(),
            place: if place.is_empty() {
                None
            } else {
                Some(place.to_string())
            },
            message,
        });
    }
}

/// The root path of a document: `$` for a whole file, `line N, $` for one JSON-lines record.
pub(crate) fn root_path(line: Option<u32>) -> String {
    match line {
        Some(n) => format!("line {n}, $"),
        None => "$".to_string(),
    }
}

/// What a JSON value is, in words for messages.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A JSON object plus its path, with typed getters that report wrong types.
/// Getters return `None` for absent or null keys silently (optional data is normal in the
/// seeds); `req_*` variants also report absence.
#[derive(Clone, Copy)]
pub(crate) struct Obj<'v> {
    pub(crate) map: &'v Map<String, Value>,
    pub(crate) path: &'v str,
}

impl<'v> Obj<'v> {
    /// Views `v` as an object, or reports what it is instead.
    pub(crate) fn of(v: &'v Value, path: &'v str, what: &str, p: &mut Probs) -> Option<Obj<'v>> {
        match v {
            Value::Object(map) => Some(Obj { map, path }),
            other => {
                p.error(
                    path,
                    format!(
                        "expected {what} (an object) but found {}; skipped",
                        kind_of(other)
                    ),
                );
                None
            }
        }
    }

    pub(crate) fn at(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    pub(crate) fn raw(&self, key: &str) -> Option<&'v Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn wrong(&self, key: &str, want: &str, got: &Value, p: &mut Probs) {
        p.warn(
            &self.at(key),
            format!("`{key}` should be {want} but is {}; ignored", kind_of(got)),
        );
    }

    pub(crate) fn str(&self, key: &str, p: &mut Probs) -> Option<&'v str> {
        match self.raw(key)? {
            Value::String(s) => Some(s),
            other => {
                self.wrong(key, "text", other, p);
                None
            }
        }
    }

    pub(crate) fn req_str(&self, key: &str, p: &mut Probs) -> Option<&'v str> {
        if self.raw(key).is_none() {
            p.warn(&self.at(key), format!("`{key}` is missing"));
        }
        self.str(key, p)
    }

    /// An ISO 8601 date and time in ns since the epoch; reports absence and text that is not one.
    pub(crate) fn req_time(&self, key: &str, p: &mut Probs) -> Option<i64> {
        let s = self.req_str(key, p)?;
        let t = iso_to_ns(s);
        if t.is_none() {
            p.warn(&self.at(key), format!("`{s}` is not a date and time"));
        }
        t
    }

    /// A number; numeric strings are accepted too (exporters write both).
    pub(crate) fn f64(&self, key: &str, p: &mut Probs) -> Option<f64> {
        let v = self.raw(key)?;
        let n = match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => crate::num::parse_f64(s.trim()),
            _ => None,
        };
        match n {
            Some(x) if x.is_finite() => Some(x),
            _ => {
                self.wrong(key, "a number", v, p);
                None
            }
        }
    }

    pub(crate) fn req_f64(&self, key: &str, p: &mut Probs) -> Option<f64> {
        if self.raw(key).is_none() {
            p.warn(&self.at(key), format!("`{key}` is missing"));
        }
        self.f64(key, p)
    }

    /// A count: a non-negative whole number.
    pub(crate) fn u64(&self, key: &str, p: &mut Probs) -> Option<u64> {
        let v = self.raw(key)?;
        let n = match v {
            Value::Number(n) => n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1e18)
                    .map(|f| f as u64)
            }),
            Value::String(s) => s.trim().parse::<u64>().ok(),
            _ => None,
        };
        if n.is_none() {
            self.wrong(key, "a whole number of at least 0", v, p);
        }
        n
    }

    pub(crate) fn obj(&self, key: &str, p: &mut Probs) -> Option<&'v Map<String, Value>> {
        match self.raw(key)? {
            Value::Object(m) => Some(m),
            other => {
                self.wrong(key, "an object", other, p);
                None
            }
        }
    }

    pub(crate) fn arr(&self, key: &str, p: &mut Probs) -> Option<&'v Vec<Value>> {
        match self.raw(key)? {
            Value::Array(a) => Some(a),
            other => {
                self.wrong(key, "a list", other, p);
                None
            }
        }
    }

    pub(crate) fn req_arr(&self, key: &str, p: &mut Probs) -> Option<&'v Vec<Value>> {
        if self.raw(key).is_none() {
            p.warn(&self.at(key), format!("`{key}` is missing"));
        }
        self.arr(key, p)
    }
}

/// Every key of an object as typed attributes, in source order, except the listed ones.
pub(crate) fn attrs_of(map: &Map<String, Value>, except: &[&str]) -> Vec<Attr> {
    map.iter()
        .filter(|(k, _)| !except.contains(&k.as_str()))
        .map(|(k, v)| Attr::new(k.clone(), AttrValue::from_json(v)))
        .collect()
}

/// A percentage written as text (`"56%"`, `"75.0%"`) as a number; `None` for `"N/A"`.
pub(crate) fn percent(s: &str) -> Option<f64> {
    crate::num::parse_f64(s.trim().strip_suffix('%')?.trim())
}

/// Flattens a metrics object into dotted [`Metric`]s: numbers stay numbers, lists of numbers
/// become samples, lists of text are joined, nested objects and lists of objects get dotted and
/// indexed names. Why: users need every figure the source reported, under a name they can find.
pub(crate) fn flatten_metrics(
    prefix: &str,
    v: &Value,
    origin: Origin,
    unit_of: &dyn Fn(&str) -> Option<&'static str>,
    out: &mut Vec<Metric>,
) {
    let mut push = |name: String, value: MetricValue| {
        let unit = unit_of(&name).map(str::to_string);
        out.push(Metric {
            name,
            value,
            unit,
            time_ns: None,
            origin,
        });
    };
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten_metrics(&name, child, origin, unit_of, out);
            }
        }
        Value::Number(n) => push(
            prefix.to_string(),
            MetricValue::Number(n.as_f64().unwrap_or(f64::NAN)),
        ),
        Value::String(s) => match percent(s) {
            Some(x) => {
                out.push(Metric {
                    name: prefix.to_string(),
                    value: MetricValue::Number(x),
                    unit: Some("%".to_string()),
                    time_ns: None,
                    origin,
                });
            }
            None => push(prefix.to_string(), MetricValue::Text(s.clone())),
        },
        Value::Bool(b) => push(prefix.to_string(), MetricValue::Text(b.to_string())),
        Value::Null => push(prefix.to_string(), MetricValue::Text("null".to_string())),
        Value::Array(a) => {
            if a.iter().all(Value::is_number) {
                let xs = a.iter().filter_map(Value::as_f64).collect();
                push(prefix.to_string(), MetricValue::Samples(xs));
            } else if a.iter().all(Value::is_string) {
                let xs: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
                push(prefix.to_string(), MetricValue::Text(xs.join(", ")));
            } else {
                for (i, child) in a.iter().enumerate() {
                    flatten_metrics(&format!("{prefix}[{i}]"), child, origin, unit_of, out);
                }
            }
        }
    }
}

/// A number metric, the common case.
pub(crate) fn metric(name: &str, x: f64, unit: Option<&str>, origin: Origin) -> Metric {
    Metric {
        name: name.to_string(),
        value: MetricValue::Number(x),
        unit: unit.map(str::to_string),
        time_ns: None,
        origin,
    }
}

/// Looks up a number metric by name (join keys are kept as metrics on the runs).
pub(crate) fn metric_number(metrics: &[Metric], name: &str) -> Option<f64> {
    metrics
        .iter()
        .find(|m| m.name == name)
        .and_then(|m| match m.value {
            MetricValue::Number(x) => Some(x),
            _ => None,
        })
}

/// A JSON value as argument text: strings as-is (seed 003 passes bare query strings), anything
/// else as compact JSON (object keys sorted, so identical calls give identical text).
pub(crate) fn args_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}
