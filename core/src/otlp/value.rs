//! OTLP `AnyValue` and `KeyValue` lists, deserialized straight into the model's typed
//! [`Attr`]/[`AttrValue`] (no `serde_json::Value` in between: this is the hot path).
//!
//! Accepts the spec's camelCase and protobuf snake_case, `intValue` as string or number,
//! `doubleValue` as number, string, `"NaN"` or an out-of-range exponent (read via the raw text so
//! one absurd number cannot fail a whole file), and plain JSON scalars where an exporter wrote
//! them instead of an `AnyValue` object.

use crate::model::{Attr, AttrValue, Text};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// An OTLP `AnyValue`.
pub struct AnyValue(pub AttrValue);

/// An OTLP attribute list (`repeated KeyValue`), `null` read as empty.
#[derive(Default)]
pub struct AttrList(pub Vec<Attr>);

impl<'de> Deserialize<'de> for AnyValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AnyValueVisitor).map(AnyValue)
    }
}

struct AnyValueVisitor;

impl<'de> Visitor<'de> for AnyValueVisitor {
    type Value = AttrValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an OTLP AnyValue")
    }
    fn visit_bool<E>(self, v: bool) -> Result<AttrValue, E> {
        Ok(AttrValue::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<AttrValue, E> {
        Ok(AttrValue::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<AttrValue, E> {
        Ok(i64::try_from(v).map_or(AttrValue::Float(v as f64), AttrValue::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<AttrValue, E> {
        Ok(AttrValue::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<AttrValue, E> {
        Ok(AttrValue::Str(Text::intern(v)))
    }
    fn visit_string<E>(self, v: String) -> Result<AttrValue, E> {
        Ok(AttrValue::Str(Text::intern(&v)))
    }
    fn visit_unit<E>(self) -> Result<AttrValue, E> {
        Ok(AttrValue::Null)
    }
    fn visit_none<E>(self) -> Result<AttrValue, E> {
        Ok(AttrValue::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AttrValue, A::Error> {
        let mut out = Vec::new();
        while let Some(AnyValue(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(AttrValue::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AttrValue, A::Error> {
        let mut out = AttrValue::Null;
        while let Some(field) = map.next_key::<Field>()? {
            out = match field {
                Field::Str => map
                    .next_value::<Option<super::wire::Text>>()?
                    .map_or(AttrValue::Null, |t| AttrValue::Str(Text::intern(&t.0))),
                Field::Bool => map
                    .next_value::<Option<BoolLike>>()?
                    .map_or(AttrValue::Null, |b| AttrValue::Bool(b.0)),
                Field::Int => int_from_raw(map.next_value::<&RawValue>()?.get()),
                Field::Double => double_from_raw(map.next_value::<&RawValue>()?.get()),
                Field::Array => AttrValue::Array(
                    map.next_value::<Option<ArrayValue>>()?
                        .map(Vec::from)
                        .unwrap_or_default(),
                ),
                Field::Kv => AttrValue::Map(
                    map.next_value::<Option<KvList>>()?
                        .map(|l| l.values.0)
                        .unwrap_or_default(),
                ),
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
        }
        Ok(out)
    }
}

/// The keys of an `AnyValue` object, matched without allocating.
enum Field {
    Str,
    Bool,
    Int,
    Double,
    Array,
    Kv,
    Other,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an AnyValue key")
            }
            fn visit_str<E>(self, v: &str) -> Result<Field, E> {
                Ok(match v {
                    // bytes are kept as the base64 text the exporter wrote
                    "stringValue" | "string_value" | "bytesValue" | "bytes_value" => Field::Str,
                    "boolValue" | "bool_value" => Field::Bool,
                    "intValue" | "int_value" => Field::Int,
                    "doubleValue" | "double_value" => Field::Double,
                    "arrayValue" | "array_value" => Field::Array,
                    "kvlistValue" | "kvlist_value" => Field::Kv,
                    _ => Field::Other,
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

/// `true`/`false`, also written as a string by some exporters.
struct BoolLike(bool);

impl<'de> Deserialize<'de> for BoolLike {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = BoolLike;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("true or false")
            }
            fn visit_bool<E>(self, v: bool) -> Result<BoolLike, E> {
                Ok(BoolLike(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<BoolLike, E> {
                match v.trim().to_ascii_lowercase().as_str() {
                    "true" => Ok(BoolLike(true)),
                    "false" => Ok(BoolLike(false)),
                    _ => Err(E::custom(format!("boolValue `{v}` is not true or false"))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// Unquotes a raw JSON string, or returns the raw text of a number.
fn raw_text(raw: &str) -> Option<String> {
    if raw.starts_with('"') {
        serde_json::from_str::<String>(raw).ok()
    } else if raw == "null" {
        None
    } else {
        Some(raw.to_string())
    }
}

/// int64 as the spec's decimal string or a JSON number; anything else is kept, not lost.
fn int_from_raw(raw: &str) -> AttrValue {
    let Some(text) = raw_text(raw) else {
        return AttrValue::Null;
    };
    let t = text.trim();
    if let Ok(i) = t.parse::<i64>() {
        AttrValue::Int(i)
    } else if let Some(f) = crate::num::parse_f64(t) {
        AttrValue::Float(f)
    } else {
        AttrValue::Str(Text::intern(&text))
    }
}

/// double as a JSON number, a string, `"NaN"`/`"Infinity"` (proto3 JSON) or an exponent too big
/// for serde_json (Rust's parser gives infinity, which assembly then flags).
fn double_from_raw(raw: &str) -> AttrValue {
    let Some(text) = raw_text(raw) else {
        return AttrValue::Null;
    };
    match crate::num::parse_f64(text.trim()) {
        Some(f) => AttrValue::Float(f),
        None => AttrValue::Str(Text::intern(&text)),
    }
}

#[derive(Deserialize)]
struct ArrayValue {
    #[serde(default)]
    values: Vec<AnyValue>,
}

impl From<ArrayValue> for Vec<AttrValue> {
    fn from(a: ArrayValue) -> Self {
        a.values.into_iter().map(|v| v.0).collect()
    }
}

#[derive(Deserialize)]
struct KvList {
    #[serde(default)]
    values: AttrList,
}

impl<'de> Deserialize<'de> for AttrList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AttrList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of key/value attributes")
            }
            fn visit_unit<E>(self) -> Result<AttrList, E> {
                Ok(AttrList::default())
            }
            fn visit_none<E>(self) -> Result<AttrList, E> {
                Ok(AttrList::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AttrList, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(kv) = seq.next_element::<KeyValue<'de>>()? {
                    out.push(Attr::new(kv.key, kv.value.map_or(AttrValue::Null, |v| v.0)));
                }
                Ok(AttrList(out))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
struct KeyValue<'a> {
    /// Borrowed where the text has no escapes: keys are interned, so no copy is kept anyway.
    #[serde(borrow, default)]
    key: Cow<'a, str>,
    #[serde(default)]
    value: Option<AnyValue>,
}
