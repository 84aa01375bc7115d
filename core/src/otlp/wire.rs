//! The OTLP/JSON wire shape, as typed serde structs read straight from the text.
//!
//! Every field accepts the spec's camelCase and protobuf's snake_case, and the legacy
//! `instrumentationLibrary*` names. Spans are kept as raw JSON slices here and read one by one
//! (see `super::import`), so one malformed span costs that span, not the file.

use super::value::AttrList;
use crate::model::Status;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// Reads one span. These parse functions are concrete (not one generic `parse<T>`) so the
/// serde code for the wire types is compiled here, in the crate built for speed, rather than
/// in each caller.
pub fn span(text: &str) -> Result<Span<'_>, serde_json::Error> {
    serde_json::from_str(text)
}

/// Why [`span_at_start`] read no span.
pub enum NotRead {
    /// The text ends inside the span: more of the document is needed.
    Cut,
    /// Not a span, or not JSON.
    Invalid,
}

/// Reads the span that starts `text`, which goes on past the span (the rest of a streamed
/// document), and how many bytes it took: the parser says where the span ends, so nobody has to
/// look for its closing brace first. Same parser as [`span`], so one compiled copy serves both.
pub fn span_at_start(text: &str) -> Result<(Span<'_>, usize), NotRead> {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<Span>();
    match values.next() {
        Some(Ok(span)) => Ok((span, values.byte_offset())),
        Some(Err(e)) if e.is_eof() => Err(NotRead::Cut),
        _ => Err(NotRead::Invalid),
    }
}

/// Reads one document (its spans left as raw slices).
pub fn document(text: &str) -> Result<Document<'_>, serde_json::Error> {
    serde_json::from_str(text)
}

/// Reads one resource (a streamed document's `resource` piece).
pub fn resource(text: &str) -> Result<Resource, serde_json::Error> {
    serde_json::from_str(text)
}

/// Reads one instrumentation scope (a streamed document's `scope` piece).
pub fn scope(text: &str) -> Result<Scope, serde_json::Error> {
    serde_json::from_str(text)
}

/// Reads `null` as the type's default (exporters write `"attributes": null`).
fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// One `TracesData` / `ExportTraceServiceRequest` document.
#[derive(Deserialize)]
pub struct Document<'a> {
    #[serde(
        borrow,
        rename = "resourceSpans",
        alias = "resource_spans",
        default,
        deserialize_with = "nullable"
    )]
    pub resource_spans: Vec<ResourceSpans<'a>>,
}

#[derive(Deserialize)]
pub struct ResourceSpans<'a> {
    #[serde(default)]
    pub resource: Option<Resource>,
    #[serde(
        borrow,
        rename = "scopeSpans",
        alias = "scope_spans",
        alias = "instrumentationLibrarySpans",
        alias = "instrumentation_library_spans",
        default,
        deserialize_with = "nullable"
    )]
    pub scope_spans: Vec<ScopeSpans<'a>>,
}

#[derive(Deserialize, Default)]
pub struct Resource {
    #[serde(default)]
    pub attributes: AttrList,
}

#[derive(Deserialize)]
pub struct ScopeSpans<'a> {
    #[serde(
        default,
        alias = "instrumentationLibrary",
        alias = "instrumentation_library"
    )]
    pub scope: Option<Scope>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    pub spans: Vec<&'a RawValue>,
}

#[derive(Deserialize, Default)]
pub struct Scope {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub attributes: AttrList,
}

/// A string borrowed from the text when it has no escapes (ids are converted anyway).
#[derive(Default)]
pub struct Text<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_unit<E>(self) -> Result<Text<'de>, E> {
                Ok(Text::default())
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
pub struct Span<'a> {
    #[serde(borrow, default, rename = "traceId", alias = "trace_id")]
    pub trace_id: Option<Text<'a>>,
    #[serde(borrow, default, rename = "spanId", alias = "span_id")]
    pub span_id: Option<Text<'a>>,
    #[serde(borrow, default, rename = "parentSpanId", alias = "parent_span_id")]
    pub parent_span_id: Option<Text<'a>>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub kind: Option<Kind>,
    #[serde(default, rename = "startTimeUnixNano", alias = "start_time_unix_nano")]
    pub start: Option<Nanos>,
    #[serde(default, rename = "endTimeUnixNano", alias = "end_time_unix_nano")]
    pub end: Option<Nanos>,
    #[serde(default)]
    pub attributes: AttrList,
    #[serde(default, deserialize_with = "nullable")]
    pub events: Vec<Event>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    pub links: Vec<Link<'a>>,
    #[serde(default)]
    pub status: Option<WireStatus>,
}

#[derive(Deserialize)]
pub struct Event {
    #[serde(default, rename = "timeUnixNano", alias = "time_unix_nano")]
    pub time: Option<Nanos>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub attributes: AttrList,
}

#[derive(Deserialize)]
pub struct Link<'a> {
    #[serde(borrow, default, rename = "traceId", alias = "trace_id")]
    pub trace_id: Option<Text<'a>>,
    #[serde(borrow, default, rename = "spanId", alias = "span_id")]
    pub span_id: Option<Text<'a>>,
    #[serde(default)]
    pub attributes: AttrList,
}

#[derive(Deserialize, Default)]
pub struct WireStatus {
    #[serde(default)]
    pub code: Option<StatusCode>,
    #[serde(default)]
    pub message: Option<String>,
}

/// `*UnixNano` as the spec's decimal string, or a number (integer or float) as exporters write.
pub struct Nanos(pub i64);

impl<'de> Deserialize<'de> for Nanos {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Nanos;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("nanoseconds since the Unix epoch, as a number or decimal string")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Nanos, E> {
                i64::try_from(v)
                    .map(Nanos)
                    .map_err(|_| E::custom(format!("time {v} is past the year 2262")))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Nanos, E> {
                Ok(Nanos(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Nanos, E> {
                if v.is_finite() && v.abs() < 9.2e18 {
                    Ok(Nanos(v as i64))
                } else {
                    Err(E::custom(format!(
                        "time {} is not a usable nanosecond count",
                        crate::num::Plain(v)
                    )))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Nanos, E> {
                let t = v.trim();
                if t.is_empty() {
                    return Ok(Nanos(0));
                }
                match t.parse::<i64>() {
                    Ok(i) => Ok(Nanos(i)),
                    Err(_) => match crate::num::parse_f64(t) {
                        Some(f) => self.visit_f64(f),
                        None => Err(E::custom(format!("time \"{v}\" is not a number"))),
                    },
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// Span kind as the spec's integer or an enum name (`SPAN_KIND_SERVER`, `server`).
pub struct Kind(pub u8);

impl Kind {
    /// The lower-case name Jaeger and the OTel spec use; `None` for internal/unspecified,
    /// which is the default and not worth a tag on every span.
    pub fn notable_name(&self) -> Option<&'static str> {
        match self.0 {
            2 => Some("server"),
            3 => Some("client"),
            4 => Some("producer"),
            5 => Some("consumer"),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Kind;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a span kind")
            }
            fn visit_u64<E>(self, v: u64) -> Result<Kind, E> {
                Ok(Kind(u8::try_from(v).unwrap_or(0)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Kind, E> {
                Ok(Kind(u8::try_from(v).unwrap_or(0)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Kind, E> {
                let name = v.trim().to_ascii_uppercase();
                let name = name.strip_prefix("SPAN_KIND_").unwrap_or(&name);
                Ok(Kind(match name {
                    "INTERNAL" => 1,
                    "SERVER" => 2,
                    "CLIENT" => 3,
                    "PRODUCER" => 4,
                    "CONSUMER" => 5,
                    _ => 0,
                }))
            }
            fn visit_unit<E>(self) -> Result<Kind, E> {
                Ok(Kind(0))
            }
        }
        d.deserialize_any(V)
    }
}

/// Status code as the spec's integer or an enum name (`STATUS_CODE_ERROR`, `ERROR`, `Error`).
pub struct StatusCode(pub Status);

impl<'de> Deserialize<'de> for StatusCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = StatusCode;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a status code")
            }
            fn visit_u64<E>(self, v: u64) -> Result<StatusCode, E> {
                Ok(StatusCode(match v {
                    1 => Status::Ok,
                    2 => Status::Error,
                    _ => Status::Unset,
                }))
            }
            fn visit_i64<E>(self, v: i64) -> Result<StatusCode, E> {
                Ok(StatusCode(match v {
                    1 => Status::Ok,
                    2 => Status::Error,
                    _ => Status::Unset,
                }))
            }
            fn visit_str<E>(self, v: &str) -> Result<StatusCode, E> {
                let name = v.trim().to_ascii_uppercase();
                let name = name.strip_prefix("STATUS_CODE_").unwrap_or(&name);
                Ok(StatusCode(match name {
                    "OK" => Status::Ok,
                    "ERROR" => Status::Error,
                    _ => Status::Unset,
                }))
            }
            fn visit_unit<E>(self) -> Result<StatusCode, E> {
                Ok(StatusCode(Status::Unset))
            }
        }
        d.deserialize_any(V)
    }
}
