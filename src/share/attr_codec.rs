//! Attributes in the share format: keys and value types go to the `Keys` stream, values to the
//! `Values` stream, so the same key sequence on hundreds of spans compresses to almost nothing.
//! A redaction marker is stored as its character count, not as text: markers differ by length
//! and would otherwise fill the string table. An integer attribute that repeats one of the
//! span's token counts (`gen_ai.usage.input_tokens` next to `usage.input`, as every GenAI and
//! OpenInference exporter writes) is stored as a reference to that count.

use super::reader::Reader;
use super::redact::marker_of_len;
use super::wire::{Stream, Writer};
use super::ShareError;
use crate::model::{Attr, AttrValue, Usage};

/// Attribute values nest (JSON metadata); serde_json stops at 128 levels, so nothing it parsed
/// is deeper, and a crafted link cannot recurse the page's stack away.
const MAX_DEPTH: usize = 128;

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const INT: u8 = 3;
const FLOAT: u8 = 4;
const STR: u8 = 5;
const ARRAY: u8 = 6;
const MAP: u8 = 7;
const MARKER: u8 = 8;
/// `USAGE + k`: the integer equals the span's k-th usage field (see [`usage_fields`]).
const USAGE: u8 = 9;

/// A span's usage fields in their wire order. Span records and attribute back-references both
/// number the fields this way, so the order is kept in this one place.
pub(super) fn usage_fields(u: &Usage) -> [Option<u64>; 6] {
    [
        u.input,
        u.output,
        u.cache_read,
        u.cache_write,
        u.reasoning,
        u.total,
    ]
}

/// The usage whose fields, in wire order, are `v`: the inverse of [`usage_fields`].
pub(super) fn usage_from_fields(v: [Option<u64>; 6]) -> Usage {
    let [input, output, cache_read, cache_write, reasoning, total] = v;
    Usage {
        input,
        output,
        cache_read,
        cache_write,
        reasoning,
        total,
    }
}

/// The character count of a string that is exactly a redaction marker.
fn marker_len(s: &str) -> Option<u64> {
    let n: u64 = s
        .strip_prefix("‹redacted ")?
        .strip_suffix(" chars›")?
        .parse()
        .ok()?;
    (marker_of_len(n) == s).then_some(n)
}

/// Writes attributes; `usage` is the owning span's, for integers that repeat a token count.
pub fn put_attrs<'a>(w: &mut Writer<'a>, attrs: &'a [Attr], usage: Option<&Usage>) {
    let back = w.switch(Stream::Keys);
    w.count(attrs.len());
    let fields = usage.map(usage_fields).unwrap_or_default();
    for a in attrs {
        w.str(&a.key);
        let same = match a.value {
            AttrValue::Int(i) => fields
                .iter()
                .position(|f| f.is_some() && *f == u64::try_from(i).ok()),
            _ => None,
        };
        match same {
            Some(k) => w.byte(USAGE + k as u8),
            None => put_value(w, &a.value),
        }
    }
    w.switch(back);
}

/// Writes the type to `Keys` and the payload to `Values`; the writer is on `Keys` on return.
fn put_value<'a>(w: &mut Writer<'a>, v: &'a AttrValue) {
    match v {
        AttrValue::Null => w.byte(NULL),
        AttrValue::Bool(b) => w.byte(if *b { TRUE } else { FALSE }),
        AttrValue::Int(i) => {
            w.byte(INT);
            w.switch(Stream::Values);
            w.int(*i);
        }
        AttrValue::Float(f) => {
            w.byte(FLOAT);
            w.switch(Stream::Values);
            w.float(*f);
        }
        AttrValue::Str(s) => match marker_len(s) {
            Some(n) => {
                w.byte(MARKER);
                w.switch(Stream::Values);
                w.uint(n);
            }
            None => {
                w.byte(STR);
                w.switch(Stream::Values);
                w.str(s);
            }
        },
        AttrValue::Array(items) => {
            w.byte(ARRAY);
            w.count(items.len());
            items.iter().for_each(|v| put_value(w, v));
        }
        AttrValue::Map(attrs) => {
            w.byte(MAP);
            put_attrs(w, attrs, None);
        }
    }
    w.switch(Stream::Keys);
}

/// Reads what [`put_attrs`] wrote, with the same `usage`.
pub fn get_attrs(
    r: &mut Reader,
    usage: Option<&Usage>,
    depth: usize,
) -> Result<Vec<Attr>, ShareError> {
    let back = r.switch(Stream::Keys);
    let n = r.count()?;
    let mut out = Vec::with_capacity(n.min(1024));
    let fields = usage.map(usage_fields).unwrap_or_default();
    for _ in 0..n {
        let key = r.str()?;
        let value = match r.peek()? {
            tag @ USAGE..=14 => {
                r.byte()?;
                let v = fields[usize::from(tag - USAGE)].and_then(|v| i64::try_from(v).ok());
                AttrValue::Int(v.ok_or_else(|| {
                    ShareError::Invalid("an attribute repeats a token count that is missing".into())
                })?)
            }
            _ => get_value(r, depth)?,
        };
        out.push(Attr::new(key, value));
    }
    r.switch(back);
    Ok(out)
}

fn get_value(r: &mut Reader, depth: usize) -> Result<AttrValue, ShareError> {
    if depth > MAX_DEPTH {
        return Err(ShareError::Invalid(
            "an attribute is nested too deeply".into(),
        ));
    }
    let tag = r.byte()?;
    r.switch(Stream::Values);
    let v = match tag {
        NULL => AttrValue::Null,
        FALSE => AttrValue::Bool(false),
        TRUE => AttrValue::Bool(true),
        INT => AttrValue::Int(r.int()?),
        FLOAT => AttrValue::Float(r.float()?),
        STR => AttrValue::Str(crate::model::Text::from(r.str()?)),
        MARKER => AttrValue::Str(crate::model::Text::from(marker_of_len(r.uint()?))),
        ARRAY => {
            r.switch(Stream::Keys);
            let n = r.count()?;
            let mut items = Vec::with_capacity(n.min(1024));
            for _ in 0..n {
                items.push(get_value(r, depth + 1)?);
            }
            AttrValue::Array(items)
        }
        MAP => AttrValue::Map(get_attrs(r, None, depth + 1)?),
        _ => {
            return Err(ShareError::Invalid(
                "an attribute has an unknown type".into(),
            ))
        }
    };
    r.switch(Stream::Keys);
    Ok(v)
}
