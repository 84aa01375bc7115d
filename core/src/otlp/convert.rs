//! One wire span to one model span: ids to lower-case hex, kind and scope kept as attributes,
//! events, links, status and exception details.

use super::ids;
use super::wire;
use crate::model::{Attr, AttrValue, Origin, Span, SpanEvent, SpanLink, Status, Text};

/// The instrumentation scope a span was recorded by, shared by the spans of one `scopeSpans`:
/// its name and version are made once and shared by every span's attributes.
#[derive(Default)]
pub struct Scope {
    pub name: Option<Text>,
    pub version: Option<Text>,
    pub attrs: Vec<Attr>,
}

impl Scope {
    pub fn new(name: Option<&str>, version: Option<&str>, attrs: Vec<Attr>) -> Self {
        Scope {
            name: name.map(Text::unshared),
            version: version.map(Text::unshared),
            attrs,
        }
    }
}

/// What the caller must know besides the span: it lacked an id or a start time.
#[derive(Default)]
pub struct Gaps {
    pub no_id: bool,
    pub no_start: bool,
}

/// Converts a wire span (its trace id is handled by the caller, which groups spans into runs).
pub fn span(w: wire::Span, scope: &Scope, origin: Origin, fallback_id: usize) -> (Span, Gaps) {
    let mut gaps = Gaps::default();
    let id = match w.span_id.as_ref().map(|t| ids::normalize(&t.0)) {
        Some(id) if !id.is_empty() => id,
        _ => {
            gaps.no_id = true;
            format!("(no id {fallback_id})")
        }
    };
    let parent_id = w
        .parent_span_id
        .as_ref()
        .map(|t| ids::normalize(&t.0))
        .filter(|p| !p.is_empty() && p.bytes().any(|b| b != b'0'));

    let mut attrs = w.attributes.0;
    if let Some(kind) = w.kind.as_ref().and_then(wire::Kind::notable_name) {
        attrs.push(Attr::new("span.kind", AttrValue::Str(kind.into())));
    }
    if let Some(name) = &scope.name {
        attrs.push(Attr::new("otel.scope.name", AttrValue::Str(name.clone())));
    }
    if let Some(version) = &scope.version {
        attrs.push(Attr::new(
            "otel.scope.version",
            AttrValue::Str(version.clone()),
        ));
    }
    for a in &scope.attrs {
        attrs.push(Attr::new(format!("otel.scope.{}", a.key), a.value.clone()));
    }

    let end_ns = w.end.map(|n| n.0).filter(|&e| e != 0);
    let start_ns = match w.start.map(|n| n.0).filter(|&s| s != 0) {
        Some(s) => s,
        None => {
            gaps.no_start = true;
            end_ns.unwrap_or(0)
        }
    };

    let status = w.status.unwrap_or_default();
    let code = status.code.map_or(Status::Unset, |c| c.0);
    let message = status.message.filter(|m| !m.is_empty());

    let events: Vec<SpanEvent> = w
        .events
        .into_iter()
        .map(|e| SpanEvent {
            time_ns: e.time.map_or(start_ns, |t| t.0),
            name: e.name.unwrap_or_default(),
            attrs: e.attributes.0,
        })
        .collect();
    let links = w
        .links
        .into_iter()
        .map(|l| SpanLink {
            trace_id: l.trace_id.map(|t| ids::normalize(&t.0)).unwrap_or_default(),
            span_id: l.span_id.map(|t| ids::normalize(&t.0)).unwrap_or_default(),
            attrs: l.attributes.0,
        })
        .collect();

    let (exception_type, exception_message) = exception(&events);
    let error_message = match code {
        Status::Error => message.clone().or(exception_message),
        _ => exception_message,
    };
    let span = Span {
        id,
        parent_id,
        name: w.name.unwrap_or_default(),
        start_ns,
        end_ns,
        status: code,
        status_text: message,
        error_type: exception_type,
        error_message,
        attrs,
        events,
        links,
        origin,
        ..Span::default()
    };
    (span, gaps)
}

/// `exception.type` and `exception.message` of the last `exception` event (the one that ended
/// the span, when several were recorded).
fn exception(events: &[SpanEvent]) -> (Option<String>, Option<String>) {
    let Some(e) = events.iter().rev().find(|e| e.name == "exception") else {
        return (None, None);
    };
    let get = |key: &str| {
        crate::model::find_attr(&e.attrs, key)
            .map(AttrValue::to_text)
            .filter(|s| !s.is_empty())
    };
    (get("exception.type"), get("exception.message"))
}
