//! Reads what [`super::wire::Writer`] wrote. It never trusts a count: every length is checked
//! against the bytes that remain, so a crafted link cannot make the page allocate gigabytes or
//! read out of bounds, and every failure is a [`ShareError`], never a panic.

use super::wire::{Stream, HEX_LOWER, HEX_UPPER, STREAMS, TEXT};
use super::ShareError;

/// Reads a payload written by [`Writer`]; every method fails with [`ShareError`] instead of
/// panicking.
pub struct Reader<'b> {
    buf: &'b [u8],
    /// Per stream: next position and end, in `buf`.
    cursors: [(usize, usize); STREAMS],
    cur: Stream,
    table: Vec<String>,
    /// Counts above this are refused: [`MAX_ITEMS`] for a link, anything the bytes allow for
    /// the formats worker's answer (`ingest::handoff`), which no one else writes.
    max_items: usize,
}

fn invalid(what: impl Into<String>) -> ShareError {
    ShareError::Invalid(what.into())
}

/// Lists and records above this many are refused: a link cannot carry more (the browser limit
/// is reached near 50,000 spans), and a crafted count must not make the page allocate for it.
pub const MAX_ITEMS: usize = 1_000_000;

impl<'b> Reader<'b> {
    /// Reads the string table and stream lengths at the start of `buf`.
    pub fn new(buf: &'b [u8], max_items: usize) -> Result<Self, ShareError> {
        let mut r = Reader {
            buf,
            cursors: [(0, buf.len()); STREAMS],
            cur: Stream::Meta,
            table: Vec::new(),
            max_items,
        };
        let n = r.count()?;
        r.table.reserve(n.min(4096));
        for _ in 0..n {
            let text = r.text()?;
            r.table.push(text);
        }
        let mut lens = [0usize; STREAMS];
        for len in &mut lens {
            *len = r.count()?;
        }
        let mut pos = r.cursors[0].0;
        for (cursor, len) in r.cursors.iter_mut().zip(lens) {
            let end = pos.checked_add(len).filter(|&e| e <= buf.len());
            *cursor = (pos, end.ok_or(ShareError::Truncated)?);
            pos = cursor.1;
        }
        if pos != buf.len() {
            return Err(invalid("there are bytes after the run"));
        }
        Ok(r)
    }
    fn text(&mut self) -> Result<String, ShareError> {
        let head = self.uint()?;
        let len = usize::try_from(head >> 2).map_err(|_| ShareError::Truncated)?;
        let raw = self.take(len)?;
        let hex = |raw: &[u8], upper: bool| -> String {
            raw.iter()
                .map(|b| {
                    if upper {
                        format!("{b:02X}")
                    } else {
                        format!("{b:02x}")
                    }
                })
                .collect()
        };
        Ok(match head & 3 {
            TEXT => String::from_utf8(raw.to_vec())
                .map_err(|_| invalid("a text in it is not valid UTF-8"))?,
            HEX_LOWER => hex(raw, false),
            HEX_UPPER => hex(raw, true),
            _ if len == 16 => {
                let h = hex(raw, false);
                format!(
                    "{}-{}-{}-{}-{}",
                    &h[..8],
                    &h[8..12],
                    &h[12..16],
                    &h[16..20],
                    &h[20..]
                )
            }
            _ => return Err(invalid("an id in it has the wrong length")),
        })
    }
    /// Switches the stream later reads come from; returns the previous one.
    pub fn switch(&mut self, s: Stream) -> Stream {
        std::mem::replace(&mut self.cur, s)
    }
    /// Whether every stream was read to its end (anything left over means damage).
    pub fn at_end(&self) -> bool {
        self.cursors.iter().all(|(pos, end)| pos == end)
    }
    fn take(&mut self, n: usize) -> Result<&'b [u8], ShareError> {
        let (pos, end) = &mut self.cursors[self.cur as usize];
        let stop = pos
            .checked_add(n)
            .filter(|s| s <= end)
            .ok_or(ShareError::Truncated)?;
        let s = self.buf.get(*pos..stop).ok_or(ShareError::Truncated)?;
        *pos = stop;
        Ok(s)
    }
    pub fn byte(&mut self) -> Result<u8, ShareError> {
        Ok(self.take(1)?[0])
    }
    /// The next byte, left unread.
    pub fn peek(&self) -> Result<u8, ShareError> {
        let (pos, end) = self.cursors[self.cur as usize];
        self.buf
            .get(pos)
            .filter(|_| pos < end)
            .copied()
            .ok_or(ShareError::Truncated)
    }
    fn leb(&mut self) -> Result<u128, ShareError> {
        let mut v = 0u128;
        for shift in (0..128).step_by(7) {
            let b = self.byte()?;
            v |= u128::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(invalid("a number in it is too long"))
    }
    pub fn uint(&mut self) -> Result<u64, ShareError> {
        u64::try_from(self.leb()?).map_err(|_| invalid("a number in it is too large"))
    }
    pub fn u32(&mut self) -> Result<u32, ShareError> {
        u32::try_from(self.uint()?).map_err(|_| invalid("a count in it is too large"))
    }
    pub fn int(&mut self) -> Result<i64, ShareError> {
        Ok(unzigzag(self.uint()?))
    }
    pub fn opt_uint(&mut self) -> Result<Option<u64>, ShareError> {
        match self.leb()? {
            0 => Ok(None),
            v => u64::try_from(v - 1)
                .map(Some)
                .map_err(|_| invalid("a number in it is too large")),
        }
    }
    pub fn opt_u32(&mut self) -> Result<Option<u32>, ShareError> {
        self.opt_uint()?
            .map(|v| u32::try_from(v).map_err(|_| invalid("a step or line number is too large")))
            .transpose()
    }
    pub fn opt_int(&mut self) -> Result<Option<i64>, ShareError> {
        Ok(self.opt_uint()?.map(unzigzag))
    }
    pub fn float(&mut self) -> Result<f64, ShareError> {
        Ok(match self.uint()? {
            0 => f64::NAN,
            1 => f64::INFINITY,
            2 => f64::NEG_INFINITY,
            3 => 0.0,
            4 => -0.0,
            code => {
                let (e, m) = (unzigzag(code - 5), self.int()?);
                crate::num::parse_f64(&format!("{m}e{e}"))
                    .ok_or_else(|| invalid("a number in it is not a number"))?
            }
        })
    }
    pub fn opt_float(&mut self) -> Result<Option<f64>, ShareError> {
        match self.byte()? {
            0 => Ok(None),
            1 => self.float().map(Some),
            _ => Err(invalid("a number in it has an unknown marker")),
        }
    }
    fn lookup(&self, i: u64) -> Result<String, ShareError> {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.table.get(i))
            .cloned()
            .ok_or_else(|| invalid("a text reference points past the text table"))
    }
    pub fn str(&mut self) -> Result<String, ShareError> {
        let i = self.uint()?;
        self.lookup(i)
    }
    pub fn opt_str(&mut self) -> Result<Option<String>, ShareError> {
        self.opt_uint()?.map(|i| self.lookup(i)).transpose()
    }
    /// What [`Writer::unique_str`] wrote.
    pub fn unique_str(&mut self) -> Result<String, ShareError> {
        self.text()
    }
    /// Room to reserve for a list of `n` elements read from this payload: all of it for the
    /// formats worker's answer (no limit: growing a million-span list by doubling copied it in
    /// blocks of up to half a second), a little for a link, whose counts could be crafted.
    pub fn room(&self, n: usize, small: usize) -> usize {
        if self.max_items == usize::MAX {
            n
        } else {
            n.min(small)
        }
    }
    /// An element count, refused above the reader's limit or the bytes left in the payload
    /// (every element takes at least one byte), so no count can trigger a huge allocation.
    pub fn count(&mut self) -> Result<usize, ShareError> {
        let n = self.uint()?;
        if n > self.max_items as u64 || n > self.buf.len() as u64 {
            return Err(ShareError::Truncated);
        }
        Ok(n as usize)
    }
}

pub fn unzigzag(z: u64) -> i64 {
    ((z >> 1) as i64) ^ -((z & 1) as i64)
}
