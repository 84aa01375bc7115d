//! Jaeger's typed key/value tags (span tags, process tags, log fields), in both JSON shapes:
//! the UI's `{key, type, value}` and the API v2 protobuf JSON `{key, vType, vStr, vInt64, …}`.

use crate::model::{Attr, AttrValue};
use serde_json::Value;

/// A whole number from JSON written as a number or a numeric string.
pub(super) fn json_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && f.abs() < i64::MAX as f64)
                .map(|f| f.round() as i64)
        }),
        Value::String(s) => {
            let s = s.trim();
            s.parse().ok().or_else(|| {
                crate::num::parse_f64(s)
                    .filter(|f| f.is_finite() && f.abs() < i64::MAX as f64)
                    .map(|f| f.round() as i64)
            })
        }
        _ => None,
    }
}

/// Reads a list of tags, skipping entries without a key (callers that must report them use
/// [`tag_attr`] one by one).
pub(super) fn attr_list(v: &Value) -> Vec<Attr> {
    v.as_array()
        .map(|l| l.iter().filter_map(tag_attr).collect())
        .unwrap_or_default()
}

/// One tag as a typed attribute; `None` when it has no key.
pub(super) fn tag_attr(t: &Value) -> Option<Attr> {
    let t = t.as_object()?;
    let key = t.get("key").and_then(Value::as_str)?;
    let value = if let Some(ty) = t.get("vType").and_then(Value::as_str) {
        proto_value(ty, t)
    } else {
        let v = t.get("value").unwrap_or(&Value::Null);
        typed(t.get("type").and_then(Value::as_str).unwrap_or(""), v)
    };
    Some(Attr::new(key, value))
}

/// Converts by the declared type, accepting the stringly-typed values real files hold
/// (`"123"` for int64, `"true"` for bool); a value that does not fit is kept as written.
fn typed(ty: &str, v: &Value) -> AttrValue {
    let is = |name: &str| ty.eq_ignore_ascii_case(name);
    let parsed = if is("string") || is("binary") {
        Some(AttrValue::Str(match v {
            Value::String(s) => crate::model::Text::from(s),
            other => crate::model::Text::from(other.to_string()),
        }))
    } else if is("bool") {
        match v {
            Value::Bool(b) => Some(AttrValue::Bool(*b)),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(AttrValue::Bool(true)),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(AttrValue::Bool(false)),
            _ => None,
        }
    } else if is("int64") {
        match v {
            Value::Number(n) => n.as_i64().map(AttrValue::Int),
            Value::String(s) => s.trim().parse().ok().map(AttrValue::Int),
            _ => None,
        }
    } else if is("float64") {
        match v {
            Value::Number(n) => n.as_f64().map(AttrValue::Float),
            Value::String(s) => crate::num::parse_f64(s.trim()).map(AttrValue::Float),
            _ => None,
        }
    } else {
        None
    };
    parsed.unwrap_or_else(|| AttrValue::from_json(v))
}

fn proto_value(ty: &str, t: &serde_json::Map<String, Value>) -> AttrValue {
    let field = match ty.to_ascii_uppercase().as_str() {
        "BOOL" => ("vBool", "bool"),
        "INT64" => ("vInt64", "int64"),
        "FLOAT64" => ("vFloat64", "float64"),
        "BINARY" => ("vBinary", "binary"),
        _ => ("vStr", "string"),
    };
    typed(field.1, t.get(field.0).unwrap_or(&Value::Null))
}
