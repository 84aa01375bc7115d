//! Typed attribute values, kept as the source typed them: nothing is dropped or stringified, so
//! the details view can show exactly what the exporter wrote.

use super::{Key, Text};
use serde::{Deserialize, Serialize};

/// One key/value pair. A `Vec<Attr>` (not a map) keeps source order and is compact; the key is
/// interned, so a million spans with the same keys hold each key once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attr {
    pub key: Key,
    pub value: AttrValue,
}

impl Attr {
    pub fn new(key: impl Into<Key>, value: AttrValue) -> Self {
        Attr {
            key: key.into(),
            value,
        }
    }
}

/// An attribute value: OTLP's AnyValue, Jaeger's typed tags and JSON metadata all fit here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttrValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Shared where the importer knows the value repeats (see [`Text`]).
    Str(Text),
    Array(Vec<AttrValue>),
    Map(Vec<Attr>),
}

impl AttrValue {
    /// The value as text for display and search; strings are returned unquoted.
    pub fn to_text(&self) -> String {
        match self {
            AttrValue::Str(s) => s.to_string(),
            other => serde_json::to_string(other).unwrap_or_default(),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            AttrValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Numbers written as numbers or as numeric strings (real exporters do both).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            AttrValue::Int(i) => Some(*i as f64),
            AttrValue::Float(f) => Some(*f),
            AttrValue::Str(s) => crate::num::parse_f64(s.trim()),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            AttrValue::Int(i) => Some(*i),
            AttrValue::Float(f) if f.fract() == 0.0 && f.is_finite() => Some(*f as i64),
            AttrValue::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// Converts parsed JSON into a typed value, keeping integers apart from floats.
    pub fn from_json(v: &serde_json::Value) -> AttrValue {
        use serde_json::Value;
        match v {
            Value::Null => AttrValue::Null,
            Value::Bool(b) => AttrValue::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => AttrValue::Int(i),
                None => AttrValue::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => AttrValue::Str(Text::from(s)),
            Value::Array(a) => AttrValue::Array(a.iter().map(AttrValue::from_json).collect()),
            Value::Object(o) => AttrValue::Map(
                o.iter()
                    .map(|(k, v)| Attr::new(k.as_str(), AttrValue::from_json(v)))
                    .collect(),
            ),
        }
    }
}

/// Finds an attribute by key; spans carry few enough attributes that a scan beats a map.
pub fn find<'a>(attrs: &'a [Attr], key: &str) -> Option<&'a AttrValue> {
    attrs.iter().find(|a| a.key == key).map(|a| &a.value)
}
