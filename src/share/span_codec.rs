//! Spans in the share format. A span writes a presence mask first, so the fields most spans
//! leave empty (error text, tool call, retry link, …) cost nothing; its parent as a distance
//! back in the span list; its id in place (ids are unique, a table entry would only add an
//! index); and its start as a small difference from whichever earlier time predicts it best.

use super::attr_codec::{get_attrs, put_attrs, usage_fields, usage_from_fields};
use super::codec::Clock;
use super::reader::{unzigzag, Reader};
use super::wire::{zigzag, Stream, Writer};
use super::ShareError;
use crate::fasthash::FastMap;
use crate::model::{Origin, Span, SpanEvent, SpanKind, SpanLink, Status, ToolCall};

const PARENT: u32 = 1;
const PARENT_ID_SAME: u32 = 1 << 1;
const PARENT_ID_TEXT: u32 = 1 << 2;
const END: u32 = 1 << 3;
const STATUS_TEXT: u32 = 1 << 4;
const ERROR_TYPE: u32 = 1 << 5;
const ERROR_MESSAGE: u32 = 1 << 6;
const MODEL: u32 = 1 << 7;
const PROVIDER: u32 = 1 << 8;
const USAGE: u32 = 1 << 9;
const COST: u32 = 1 << 10;
const TOOL: u32 = 1 << 11;
const SEQ: u32 = 1 << 12;
const RETRY_OF: u32 = 1 << 13;
const ATTRS: u32 = 1 << 14;
const EVENTS: u32 = 1 << 15;
const LINKS: u32 = 1 << 16;
const ORIGIN: u32 = 1 << 17;
const FLAGS: u32 = 1 << 18;
/// Two bits: which earlier time the start is written relative to (see [`Predictors`]).
const PREDICTOR_SHIFT: u32 = 19;

const STATUSES: [Status; 3] = [Status::Ok, Status::Error, Status::Unset];

/// Times (in units) a span's start is likely close to: agent steps run one after another, so a
/// start is usually right after the previous sibling's end or the parent's start; the previous
/// span's start always exists. Both sides compute the same candidates from spans already seen.
#[derive(Default)]
struct Predictors {
    starts: Vec<i64>,
    prev_end: Option<i64>,
    sibling_end: FastMap<Option<u32>, i64>,
}

impl Predictors {
    fn candidates(&self, i: usize, parent: Option<u32>) -> [Option<i64>; 4] {
        let parent_start = parent.filter(|&p| (p as usize) < i);
        [
            Some(self.starts.last().copied().unwrap_or(0)),
            self.prev_end,
            parent_start.and_then(|p| self.starts.get(p as usize).copied()),
            self.sibling_end.get(&parent).copied(),
        ]
    }
    fn record(&mut self, parent: Option<u32>, start: i64, end: Option<i64>) {
        self.starts.push(start);
        self.prev_end = end;
        if let Some(e) = end {
            self.sibling_end.insert(parent, e);
        }
    }
}

/// Writes all spans.
pub async fn put_spans<'a>(
    w: &mut Writer<'a>,
    spans: &'a [Span],
    clock: &Clock,
    pace: &mut crate::pace::Pace<'_>,
) {
    w.count(spans.len());
    let mut pred = Predictors::default();
    for (i, s) in spans.iter().enumerate() {
        let parent_span = s.parent.and_then(|p| spans.get(p as usize));
        let same_id = parent_span.is_some_and(|p| Some(&p.id) == s.parent_id.as_ref());
        let start = clock.units(s.start_ns);
        let end = s.end_ns.map(|e| clock.units(e));
        let cands = pred.candidates(i, s.parent);
        let (choice, delta) = (0..4u32)
            .filter_map(|k| cands[k as usize].map(|c| (k, start.wrapping_sub(c))))
            .min_by_key(|(_, d)| d.unsigned_abs())
            .unwrap_or((0, start));
        pred.record(s.parent, start, end);
        let flag = |on: bool, bit: u32| if on { bit } else { 0 };
        let mask = flag(s.parent.is_some(), PARENT)
            | flag(same_id, PARENT_ID_SAME)
            | flag(s.parent_id.is_some() && !same_id, PARENT_ID_TEXT)
            | flag(s.end_ns.is_some(), END)
            | flag(s.status_text.is_some(), STATUS_TEXT)
            | flag(s.error_type.is_some(), ERROR_TYPE)
            | flag(s.error_message.is_some(), ERROR_MESSAGE)
            | flag(s.model.is_some(), MODEL)
            | flag(s.provider.is_some(), PROVIDER)
            | flag(!s.usage.is_empty(), USAGE)
            | flag(s.reported_cost_usd.is_some(), COST)
            | flag(s.tool.is_some(), TOOL)
            | flag(s.seq.is_some(), SEQ)
            | flag(s.retry_of.is_some(), RETRY_OF)
            | flag(!s.attrs.is_empty(), ATTRS)
            | flag(!s.events.is_empty(), EVENTS)
            | flag(!s.links.is_empty(), LINKS)
            | flag(s.origin != Origin::default(), ORIGIN)
            | flag(s.flags != 0, FLAGS)
            | choice << PREDICTOR_SHIFT;
        w.switch(Stream::Shape);
        w.uint(u64::from(mask));
        let kind = SpanKind::ALL.iter().position(|k| *k == s.kind).unwrap_or(0);
        let status = STATUSES.iter().position(|x| *x == s.status).unwrap_or(0);
        w.byte((kind * 3 + status) as u8);
        w.switch(Stream::Tree);
        if let Some(p) = s.parent {
            // Siblings are usually listed together: 0 means "the previous span's parent".
            if i > 0 && spans[i - 1].parent == Some(p) {
                w.uint(0);
            } else {
                w.uint(zigzag((i as i64).wrapping_sub(i64::from(p))) + 1);
            }
        }
        w.switch(Stream::Times);
        w.int(delta);
        if let Some(e) = end {
            w.int(e.wrapping_sub(start));
        }
        w.switch(Stream::Ids);
        w.unique_str(&s.id);
        if let (false, Some(p)) = (same_id, &s.parent_id) {
            w.str(p);
        }
        if let Some(r) = &s.retry_of {
            w.str(r);
        }
        if let Some(q) = s.seq {
            w.uint(u64::from(q));
        }
        w.switch(Stream::Names);
        w.str(&s.name);
        let texts = [
            &s.status_text,
            &s.error_type,
            &s.error_message,
            &s.model,
            &s.provider,
        ];
        texts.into_iter().flatten().for_each(|t| w.str(t));
        if let Some(t) = &s.tool {
            w.str(&t.name);
            w.opt_str(t.call_id.as_deref());
            w.opt_str(t.arguments.as_deref());
            w.opt_str(t.result.as_deref());
        }
        w.switch(Stream::Numbers);
        if !s.usage.is_empty() {
            let all = usage_fields(&s.usage);
            let bits = all.iter().enumerate().filter(|(_, v)| v.is_some());
            w.byte(bits.fold(0u8, |m, (k, _)| m | 1 << k));
            all.into_iter().flatten().for_each(|v| w.uint(v));
        }
        if let Some(c) = s.reported_cost_usd {
            w.float(c);
        }
        if !s.attrs.is_empty() {
            put_attrs(w, &s.attrs, Some(&s.usage));
        }
        w.switch(Stream::Extra);
        if !s.events.is_empty() {
            w.count(s.events.len());
            for e in &s.events {
                w.int(clock.units(e.time_ns).wrapping_sub(start));
                w.str(&e.name);
                put_attrs(w, &e.attrs, None);
            }
        }
        if !s.links.is_empty() {
            w.count(s.links.len());
            for l in &s.links {
                w.str(&l.trace_id);
                w.str(&l.span_id);
                put_attrs(w, &l.attrs, None);
            }
        }
        if s.origin != Origin::default() {
            put_origin(w, s.origin);
        }
        if s.flags != 0 {
            w.byte(s.flags);
        }
        pace.tick().await;
    }
    w.switch(Stream::Meta);
}

/// Reads what [`put_spans`] wrote, resting as `pace` says; parent loops are checked by the
/// caller once all are read.
pub async fn get_spans(
    r: &mut Reader<'_>,
    clock: &Clock,
    pace: &mut crate::pace::Pace<'_>,
) -> Result<Vec<Span>, ShareError> {
    let n = r.count()?;
    let invalid = |i: usize, what: &str| ShareError::Invalid(format!("span {i} {what}"));
    let mut spans: Vec<Span> = Vec::with_capacity(r.room(n, 4096));
    let mut same_id = Vec::new();
    let mut pred = Predictors::default();
    for i in 0..n {
        r.switch(Stream::Shape);
        let mask = r.u32()?;
        let has = |bit: u32| mask & bit != 0;
        let ks = usize::from(r.byte()?);
        let mut s = Span {
            kind: *SpanKind::ALL
                .get(ks / 3)
                .ok_or_else(|| invalid(i, "has an unknown kind"))?,
            status: STATUSES[ks % 3],
            ..Span::default()
        };
        r.switch(Stream::Tree);
        if has(PARENT) {
            let p = match r.uint()? {
                0 => spans.last().and_then(|prev| prev.parent),
                d => u32::try_from((i as i64).wrapping_sub(unzigzag(d - 1))).ok(),
            };
            let p = p.filter(|&p| (p as usize) < n && p as usize != i);
            s.parent = Some(p.ok_or_else(|| invalid(i, "names a parent not in the run"))?);
        }
        r.switch(Stream::Times);
        let choice = (mask >> PREDICTOR_SHIFT) as usize;
        let cands = pred.candidates(i, s.parent);
        let base = cands.get(choice).copied().flatten();
        let start = base.ok_or_else(|| invalid(i, "has a start time with no reference"))?;
        let start = start.wrapping_add(r.int()?);
        let end = if has(END) {
            Some(start.wrapping_add(r.int()?))
        } else {
            None
        };
        pred.record(s.parent, start, end);
        s.start_ns = clock.ns(start);
        s.end_ns = end.map(|e| clock.ns(e));
        r.switch(Stream::Ids);
        s.id = r.unique_str()?;
        if has(PARENT_ID_SAME) {
            same_id.push(i);
        }
        if has(PARENT_ID_TEXT) {
            s.parent_id = Some(r.str()?);
        }
        if has(RETRY_OF) {
            s.retry_of = Some(r.str()?);
        }
        if has(SEQ) {
            s.seq = Some(r.u32()?);
        }
        r.switch(Stream::Names);
        s.name = r.str()?;
        let mut text = |bit: u32| {
            if has(bit) {
                r.str().map(Some)
            } else {
                Ok(None)
            }
        };
        s.status_text = text(STATUS_TEXT)?;
        s.error_type = text(ERROR_TYPE)?;
        s.error_message = text(ERROR_MESSAGE)?;
        s.model = text(MODEL)?;
        s.provider = text(PROVIDER)?;
        if has(TOOL) {
            s.tool = Some(Box::new(ToolCall {
                name: r.str()?,
                call_id: r.opt_str()?,
                arguments: r.opt_str()?,
                result: r.opt_str()?,
            }));
        }
        r.switch(Stream::Numbers);
        if has(USAGE) {
            let bits = r.byte()?;
            let mut v = [None; 6];
            for (k, slot) in v.iter_mut().enumerate() {
                if bits & (1 << k) != 0 {
                    *slot = Some(r.uint()?);
                }
            }
            s.usage = usage_from_fields(v);
        }
        if has(COST) {
            s.reported_cost_usd = Some(r.float()?);
        }
        if has(ATTRS) {
            s.attrs = get_attrs(r, Some(&s.usage), 0)?;
        }
        r.switch(Stream::Extra);
        if has(EVENTS) {
            for _ in 0..r.count()? {
                let time_ns = clock.ns(start.wrapping_add(r.int()?));
                let (name, attrs) = (r.str()?, get_attrs(r, None, 0)?);
                s.events.push(SpanEvent {
                    time_ns,
                    name,
                    attrs,
                });
            }
        }
        if has(LINKS) {
            for _ in 0..r.count()? {
                let (trace_id, span_id) = (r.str()?, r.str()?);
                let attrs = get_attrs(r, None, 0)?;
                s.links.push(SpanLink {
                    trace_id,
                    span_id,
                    attrs,
                });
            }
        }
        if has(ORIGIN) {
            s.origin = get_origin(r)?;
        }
        if has(FLAGS) {
            s.flags = r.byte()?;
        }
        spans.push(s);
        pace.tick().await;
    }
    r.switch(Stream::Meta);
    // Parent ids equal to the parent's own id were not written; restore them.
    for i in same_id {
        let parent = spans[i].parent.and_then(|p| spans.get(p as usize));
        let id = parent.map(|p| p.id.clone());
        spans[i].parent_id = Some(id.ok_or_else(|| invalid(i, "copies a missing parent's id"))?);
    }
    Ok(spans)
}

pub fn put_origin(w: &mut Writer, o: Origin) {
    w.uint(u64::from(o.file));
    w.opt_uint(o.line.map(u64::from));
}

pub fn get_origin(r: &mut Reader) -> Result<Origin, ShareError> {
    Ok(Origin {
        file: r.u32()?,
        line: r.opt_u32()?,
    })
}
