//! The byte level of the share format: LEB128 varints, zig-zag signed numbers, floats as their
//! shortest exact text, and one table of interned strings. Names, models, attribute keys and
//! markers repeat hundreds of times in a run; writing each once and referring to it by a small
//! index is what keeps a 500-span link short. Ids made of lower- or upper-case hex (trace and span
//! ids) and lower-case UUIDs are stored as raw bytes, half their text size.
//!
//! Reading is in `reader.rs`.

use crate::fasthash::FastMap;

/// The column a value is written to; the order here is the order in the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Run header and side records.
    Meta,
    /// Per span: presence mask, kind and status.
    Shape,
    /// Per span: distance back to the parent.
    Tree,
    /// Span ids, parent and retry ids, step numbers.
    Ids,
    /// Names, models, providers, status words, tool calls.
    Names,
    /// Start and end times, event times.
    Times,
    /// Token counts and costs.
    Numbers,
    /// Attribute counts, keys and value types.
    Keys,
    /// Attribute values.
    Values,
    /// Events, links, origins, repair flags.
    Extra,
}

pub(super) const STREAMS: usize = 10;

/// Builds the payload body; [`Writer::finish`] puts the string table in front of it.
pub struct Writer<'a> {
    streams: [Vec<u8>; STREAMS],
    cur: Stream,
    index: FastMap<&'a str, u32>,
    table: Vec<&'a str>,
}

impl Default for Writer<'_> {
    fn default() -> Self {
        Writer {
            streams: Default::default(),
            cur: Stream::Meta,
            index: FastMap::default(),
            table: Vec::new(),
        }
    }
}

/// How a table entry's text is stored (low two bits of its header).
pub(super) const TEXT: u64 = 0;
pub(super) const HEX_LOWER: u64 = 1;
pub(super) const HEX_UPPER: u64 = 2;
pub(super) const UUID: u64 = 3;

fn hex_case(s: &str) -> Option<u64> {
    if s.is_empty() || !s.len().is_multiple_of(2) {
        return None;
    }
    let b = s.as_bytes();
    if b.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')) {
        Some(HEX_LOWER)
    } else if b.iter().all(|c| matches!(c, b'0'..=b'9' | b'A'..=b'F')) {
        Some(HEX_UPPER)
    } else {
        None
    }
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => matches!(c, b'0'..=b'9' | b'a'..=b'f'),
        })
}

fn push_leb(out: &mut Vec<u8>, mut v: u128) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn push_hex(out: &mut Vec<u8>, hex: &[u8]) {
    let nib = |c: u8| match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c.wrapping_sub(b'A').wrapping_add(10),
    };
    out.extend(hex.chunks(2).map(|p| (nib(p[0]) << 4) | nib(p[1])));
}

impl<'a> Writer<'a> {
    /// Switches the stream later writes go to; returns the previous one to switch back.
    pub fn switch(&mut self, s: Stream) -> Stream {
        std::mem::replace(&mut self.cur, s)
    }
    fn out(&mut self) -> &mut Vec<u8> {
        &mut self.streams[self.cur as usize]
    }
    pub fn byte(&mut self, b: u8) {
        self.out().push(b);
    }
    pub fn uint(&mut self, v: u64) {
        push_leb(self.out(), u128::from(v));
    }
    pub fn int(&mut self, v: i64) {
        self.uint(zigzag(v));
    }
    /// `None` is 0, `Some(v)` is v+1 (as 128-bit, so `u64::MAX` fits).
    pub fn opt_uint(&mut self, v: Option<u64>) {
        push_leb(self.out(), v.map_or(0, |v| u128::from(v) + 1));
    }
    pub fn opt_int(&mut self, v: Option<i64>) {
        self.opt_uint(v.map(zigzag));
    }
    /// Floats as the shortest decimal that reads back to the same bits, as two varints
    /// (exponent, mantissa): a cost like 0.0098025 is `98025e-7`, four bytes. Codes 0–4 are
    /// NaN, ±infinity and ±0.
    pub fn float(&mut self, f: f64) {
        let code = match f {
            _ if f.is_nan() => 0,
            f64::INFINITY => 1,
            f64::NEG_INFINITY => 2,
            _ if f == 0.0 => 3 + u64::from(f.is_sign_negative()),
            _ => {
                let (m, e) = crate::num::shortest_decimal(f);
                self.uint(zigzag(e) + 5);
                self.int(m);
                return;
            }
        };
        self.uint(code);
    }
    pub fn opt_float(&mut self, f: Option<f64>) {
        match f {
            None => self.byte(0),
            Some(f) => {
                self.byte(1);
                self.float(f);
            }
        }
    }
    fn intern(&mut self, s: &'a str) -> u32 {
        let next = self.table.len() as u32;
        let i = *self.index.entry(s).or_insert(next);
        if i == next {
            self.table.push(s);
        }
        i
    }
    pub fn str(&mut self, s: &'a str) {
        let i = self.intern(s);
        self.uint(u64::from(i));
    }
    pub fn opt_str(&mut self, s: Option<&'a str>) {
        let i = s.map(|s| u64::from(self.intern(s)));
        self.opt_uint(i);
    }
    pub fn count(&mut self, n: usize) {
        self.uint(n as u64);
    }
    /// A string used once (a span id): written in place, hex packed, not put in the table.
    pub fn unique_str(&mut self, s: &str) {
        let out = &mut self.streams[self.cur as usize];
        push_text(out, s);
    }

    /// The payload: string table, stream lengths, then the streams.
    pub fn finish(self) -> Vec<u8> {
        let body: usize = self.streams.iter().map(Vec::len).sum();
        let mut out = Vec::with_capacity(body + self.table.len() * 8 + 32);
        push_leb(&mut out, self.table.len() as u128);
        for s in &self.table {
            push_text(&mut out, s);
        }
        for s in &self.streams {
            push_leb(&mut out, s.len() as u128);
        }
        for s in &self.streams {
            out.extend_from_slice(s);
        }
        out
    }
}

/// A string with its header: length and how it is stored (text, packed hex, packed UUID).
fn push_text(out: &mut Vec<u8>, s: &str) {
    if is_uuid(s) {
        push_leb(out, u128::from(16 << 2 | UUID));
        let hex: Vec<u8> = s.bytes().filter(|&c| c != b'-').collect();
        push_hex(out, &hex);
    } else if let Some(case) = hex_case(s) {
        push_leb(out, u128::from((s.len() as u64 / 2) << 2 | case));
        push_hex(out, s.as_bytes());
    } else {
        push_leb(out, u128::from((s.len() as u64) << 2 | TEXT));
        out.extend_from_slice(s.as_bytes());
    }
}
