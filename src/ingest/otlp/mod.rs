//! OTLP JSON (the OpenTelemetry protocol's JSON encoding): the importer that must scale toward a
//! million spans in a browser tab, so it reads typed structs straight from the text and never
//! builds a `serde_json::Value`.
//!
//! Accepts what real exporters write, on spec or not: a document, a top-level list of documents,
//! one document per line; hex (any case) or base64 ids; integer or named enums; camelCase or
//! snake_case keys; numbers or strings for int64; the legacy `instrumentationLibrarySpans`.
//! One run per trace id; resource attributes go on the run.

pub mod lines;
pub mod stream;

use spoor_core::otlp::{convert, ids, wire};

use super::json_error::{self, line_col, offset_in};
use super::{semconv, ImportCtx};
use crate::fasthash::FastMap;
use crate::model::{find_attr, Attr, AttrValue, Format, Origin, Run, Severity, Span};
use serde_json::value::RawValue;

/// Spans that could not be read are reported one by one up to this many per document; then one
/// summary says how many more.
const MAX_SPAN_PROBLEMS: usize = 20;

/// Imports one OTLP text: a document, or a list of documents. `line` is set for one line of a
/// JSON-lines file, so places name the file's line.
pub fn import(text: &str, line: Option<u32>, ctx: &mut ImportCtx) {
    let first_run = ctx.out.runs.len();
    let mut imp = Importer {
        text,
        line,
        ctx,
        runs: FastMap::default(),
        bad_spans: 0,
        first_bad: None,
        fallback_ids: 0,
    };
    if text.trim_start().starts_with('[') {
        match serde_json::from_str::<Vec<&RawValue>>(text) {
            Ok(docs) => {
                for (i, doc) in docs.iter().enumerate() {
                    imp.document(doc.get(), &format!("$[{i}]"));
                }
            }
            Err(e) => imp.unreadable(text, &e, "$", "the list of OTLP documents"),
        }
    } else {
        imp.document(text, "$");
    }
    imp.summarize_bad_spans();
    for run in ctx.out.runs.iter_mut().skip(first_run) {
        fill_agent(run);
    }
}

struct Importer<'t, 'c, 'f> {
    text: &'t str,
    line: Option<u32>,
    ctx: &'c mut ImportCtx<'f>,
    /// Trace id → index in `ctx.out.runs`, for runs this call created.
    runs: FastMap<String, usize>,
    bad_spans: usize,
    first_bad: Option<String>,
    fallback_ids: usize,
}

impl Importer<'_, '_, '_> {
    /// "line L, column C" of a place inside `self.text`, counted in the file.
    fn place_at(&self, offset: usize) -> String {
        let (l, c) = line_col(self.text, offset);
        let l = l + self.line.map_or(0, |n| n as usize - 1);
        format!("line {l}, column {c}")
    }

    /// The place of a serde error raised while reading `sub`, a slice of `self.text`.
    fn place_of(&self, sub: &str, err: &serde_json::Error) -> String {
        let base = offset_in(self.text, sub).unwrap_or(0);
        // Convert the error's line/column within `sub` to an offset within it.
        let mut offset = 0;
        for (i, l) in sub.split('\n').enumerate() {
            if i + 1 == err.line() {
                offset += err.column().saturating_sub(1).min(l.len());
                break;
            }
            offset += l.len() + 1;
        }
        self.place_at(base + offset.min(sub.len()))
    }

    fn unreadable(&mut self, sub: &str, err: &serde_json::Error, path: &str, what: &str) {
        let place = format!("{} ({path})", self.place_of(sub, err));
        let cause = json_error::describe(err, 1).cause;
        self.ctx.problem(
            Severity::Error,
            Some(place),
            format!("{what} could not be read: {cause}; it was skipped"),
        );
    }

    fn document(&mut self, doc: &str, path: &str) {
        let parsed = match wire::document(doc) {
            Ok(d) => d,
            Err(e) => return self.unreadable(doc, &e, path, "an OTLP document"),
        };
        // The spans are counted before any is read, so they go into vectors of exactly the
        // right size: a growing vector at a million spans would hold its old and new copies at
        // once, hundreds of MB the tab never gets back.
        let total: usize = (parsed.resource_spans.iter())
            .flat_map(|rs| rs.scope_spans.iter().map(|ss| ss.spans.len()))
            .sum();
        let mut spans = Vec::with_capacity(total);
        let mut owners = Vec::with_capacity(total);
        for (ri, rs) in parsed.resource_spans.into_iter().enumerate() {
            let resource = rs.resource.unwrap_or_default().attributes.0;
            for (si, ss) in rs.scope_spans.into_iter().enumerate() {
                let scope = ss.scope.unwrap_or_default();
                let scope = convert::Scope::new(
                    scope.name.as_deref(),
                    scope.version.as_deref(),
                    scope.attributes.0,
                );
                for (pi, raw) in ss.spans.iter().enumerate() {
                    let path =
                        || format!("{path}.resourceSpans[{ri}].scopeSpans[{si}].spans[{pi}]");
                    if let Some((run, span)) = self.span(raw.get(), &resource, &scope, path) {
                        owners.push(run as u32);
                        spans.push(span);
                    }
                }
            }
        }
        distribute(&mut self.ctx.out.runs, spans, owners);
    }

    fn span(
        &mut self,
        raw: &str,
        resource: &[Attr],
        scope: &convert::Scope,
        path: impl Fn() -> String,
    ) -> Option<(usize, Span)> {
        let w = match wire::span(raw) {
            Ok(w) => w,
            Err(e) => {
                self.bad_spans += 1;
                if self.bad_spans <= MAX_SPAN_PROBLEMS {
                    self.unreadable(raw, &e, &path(), "a span");
                } else if self.first_bad.is_none() {
                    self.first_bad = Some(path());
                }
                return None;
            }
        };
        let origin = Origin {
            file: self.ctx.file,
            line: self.line,
        };
        self.fallback_ids += 1;
        let Converted {
            trace_id,
            span,
            gaps,
        } = Converted::new(w, scope, origin, self.fallback_ids);
        // Places cost a scan of the text, so they are worked out only for spans with gaps.
        let place = if gaps.no_id || gaps.no_start || trace_id.is_none() {
            let at = offset_in(self.text, raw).unwrap_or(0);
            Some(format!("{} ({})", self.place_at(at), path()))
        } else {
            None
        };
        if gaps.no_id {
            let message = format!(
                "span \"{}\" has no spanId; it was kept as \"{}\"",
                span.name, span.id
            );
            self.ctx.problem(Severity::Warning, place.clone(), message);
        }
        if gaps.no_start {
            let message = format!(
                "span \"{}\" has no start time; it was placed at its end time (or at 0)",
                span.name
            );
            self.ctx.problem(Severity::Warning, place.clone(), message);
        }
        let trace_id = trace_id.unwrap_or_else(|| {
            let message = format!(
                "span \"{}\" has no traceId; it was put in a run named \"(no trace id)\"",
                span.name
            );
            self.ctx.problem(Severity::Warning, place, message);
            "(no trace id)".to_string()
        });
        Some(attach(
            &mut self.ctx.out.runs,
            &mut self.runs,
            trace_id,
            resource,
            span,
        ))
    }

    fn summarize_bad_spans(&mut self) {
        if self.bad_spans > MAX_SPAN_PROBLEMS {
            let more = self.bad_spans - MAX_SPAN_PROBLEMS;
            let place = self.first_bad.take();
            self.ctx.problem(
                Severity::Error,
                place,
                format!(
                    "{more} more spans could not be read and were skipped ({} in all)",
                    self.bad_spans
                ),
            );
        }
    }
}

/// A wire span turned into a model span, before it joins its run.
struct Converted {
    trace_id: Option<String>,
    span: Span,
    gaps: convert::Gaps,
}

impl Converted {
    fn new(w: wire::Span, scope: &convert::Scope, origin: Origin, fallback_id: usize) -> Self {
        let trace_id = (w.trace_id.as_ref())
            .map(|t| ids::normalize(&t.0))
            .filter(|t| !t.is_empty());
        let (span, gaps) = convert::span(w, scope, origin, fallback_id);
        Converted {
            trace_id,
            span,
            gaps,
        }
    }
}

/// Puts a span in its trace's run (created on the trace's first span, with the resource as the
/// run's attributes) and reads its GenAI semantics; returns the run's index in `runs`.
fn attach(
    runs: &mut Vec<Run>,
    index: &mut FastMap<String, usize>,
    trace_id: String,
    resource: &[Attr],
    mut span: Span,
) -> (usize, Span) {
    let idx = *index.entry(trace_id).or_insert_with_key(|id| {
        runs.push(Run {
            id: id.clone(),
            format: Some(Format::Otlp),
            attributes: resource.to_vec(),
            ..Run::default()
        });
        runs.len() - 1
    });
    if runs[idx].attributes.as_slice() != resource {
        // Several services in one trace: each span keeps its own resource.
        for a in resource {
            span.attrs
                .push(Attr::new(format!("resource.{}", a.key), a.value.clone()));
        }
    }
    semconv::apply(&mut span);
    // The first span naming the agent names the run's agent. Looked for here, while the span is
    // fresh in the cache: a pass over a million spans' attributes afterwards took 55 ms.
    if runs[idx].agent_id.is_none() {
        runs[idx].agent_id = find_attr(&span.attrs, "gen_ai.agent.name").and_then(text);
    }
    // Attribute lists grew while being read; their spare room, times a million spans, is tens
    // of MB. Shrinking happens in place.
    span.attrs.shrink_to_fit();
    (idx, span)
}

/// Moves a document's spans into their runs, each vector allocated once at its final size. The
/// common case, one trace in the document, moves the whole vector without copying a span.
fn distribute(runs: &mut [Run], spans: Vec<Span>, owners: Vec<u32>) {
    if let Some(&first) = owners.first() {
        let only = owners.iter().all(|&o| o == first);
        if let Some(run) = runs
            .get_mut(first as usize)
            .filter(|r| only && r.spans.is_empty())
        {
            run.spans = spans;
            return;
        }
    }
    let mut counts = vec![0usize; runs.len()];
    for &o in &owners {
        counts[o as usize] += 1;
    }
    for (run, &n) in runs.iter_mut().zip(&counts) {
        run.spans.reserve_exact(n);
    }
    for (o, span) in owners.into_iter().zip(spans) {
        runs[o as usize].spans.push(span);
    }
}

/// A text attribute's value, when not empty.
fn text(v: &AttrValue) -> Option<String> {
    v.as_str().filter(|s| !s.is_empty()).map(str::to_string)
}

/// Agent name, version and environment from the GenAI and resource conventions.
/// The agent's name is already in `agent_id` when a span named it (see [`attach`]).
fn fill_agent(run: &mut Run) {
    let agent_name = run.agent_id.take();
    let service = find_attr(&run.attributes, "service.name")
        .and_then(text)
        .filter(|s| !s.starts_with("unknown_service"));
    run.agent_id = agent_name.or(service);
    run.agent_version = find_attr(&run.attributes, "service.version").and_then(text);
    run.environment = ["deployment.environment.name", "deployment.environment"]
        .iter()
        .find_map(|k| find_attr(&run.attributes, k).and_then(text));
}
