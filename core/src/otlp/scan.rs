//! A structural scanner for one OTLP JSON document arriving in pieces: it finds each span
//! object (and each resource and scope) as soon as its closing brace arrives, so a file of a
//! million spans never has to sit in memory whole. It only tracks nesting and strings; checking
//! that the document is JSON is left to the caller, who parses the `skeleton` (the document
//! with every span written as `{}`) once the last piece is in.
//!
//! Spans, most of the file, are not scanned: the receiver parses each one from where it starts
//! and says where it ended. Finding each span's closing brace first read every byte of the file
//! once more (~8 % of a streamed load, natively).

/// What a document holds, in the order the text gives it.
pub enum Piece<'b> {
    /// A new element of `resourceSpans` begins.
    ResourceSpans,
    /// The `resource` object of the current `resourceSpans` element.
    Resource(&'b [u8]),
    /// A new element of `scopeSpans` begins.
    ScopeSpans,
    /// The `scope` object of the current `scopeSpans` element.
    Scope(&'b [u8]),
    /// A span object, followed by whatever of the document has arrived after it (as far as it
    /// is whole UTF-8). The receiver answers with the span's length in bytes, or `None` when the
    /// text ends inside the span: it is offered again, longer, once more has arrived.
    Span(&'b str),
}

/// What a value is, by where it sits in the document.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Document,
    ResourceSpansList,
    ResourceSpans,
    ScopeSpansList,
    ScopeSpans,
    SpanList,
    Resource,
    Scope,
    Span,
    Other,
}

struct Frame {
    object: bool,
    role: Role,
    /// In an object: a key comes next (after `{` or `,`).
    expect_key: bool,
    /// In an object: the role of the value after the key just read.
    next: Role,
}

/// An object being copied whole (a span, a resource, a scope).
struct Capture {
    role: Role,
    start: usize,
    depth: u32,
}

#[derive(Default)]
pub struct Scanner {
    /// Bytes not yet handed out: the unfinished piece at the end of the last chunk.
    buf: Vec<u8>,
    /// Next byte of `buf` to look at.
    pos: usize,
    stack: Vec<Frame>,
    in_str: bool,
    esc: bool,
    str_is_key: bool,
    key: Vec<u8>,
    capture: Option<Capture>,
    /// Where a span starts that is to be offered to the receiver.
    waiting_span: Option<usize>,
    /// The document outside its spans, each span written `{}`.
    pub skeleton: Vec<u8>,
    overrun: bool,
}

impl Scanner {
    /// Takes the next chunk of the text and hands out every piece it completes. `on` answers
    /// for a [`Piece::Span`] (see there); its answer to other pieces is ignored. The chunks must
    /// be UTF-8 but for characters cut at their ends (the caller checks). Never inlined: this
    /// runs over the whole file, and inlined into the page's loader it would be compiled for
    /// size with the loader, not for speed with this crate.
    #[inline(never)]
    pub fn push(&mut self, chunk: &[u8], on: &mut dyn FnMut(Piece) -> Option<usize>) {
        let mut buf = std::mem::take(&mut self.buf);
        buf.extend_from_slice(chunk);
        let text = whole_utf8(&buf);
        loop {
            if let Some(start) = self.waiting_span {
                self.waiting_span = None;
                match on(Piece::Span(text.get(start..).unwrap_or_default())) {
                    Some(len) => {
                        self.skeleton.extend_from_slice(b"{}");
                        self.pos = start.saturating_add(len.max(1)).min(buf.len());
                        self.after_value();
                    }
                    // Cut at the chunk's end. Offering it again with each chunk would parse a
                    // span bigger than a chunk (a long prompt) over and over; its closing brace
                    // is looked for instead, and it is offered once more when that arrives.
                    None => {
                        self.capture = Some(Capture {
                            role: Role::Span,
                            start,
                            depth: 0,
                        });
                        self.pos = start;
                    }
                }
            }
            if self.pos >= buf.len() {
                break;
            }
            if self.capture.is_some() {
                self.scan_capture(&buf, text, on);
            } else {
                self.scan_structure(&buf, on);
            }
        }
        // Keep only what an unfinished span or capture still needs.
        let keep = (self.waiting_span)
            .or(self.capture.as_ref().map(|c| c.start))
            .unwrap_or(buf.len());
        buf.drain(..keep);
        self.buf = buf;
        self.pos -= keep;
        if let Some(c) = &mut self.capture {
            c.start = 0;
        }
        if let Some(w) = &mut self.waiting_span {
            *w = 0;
        }
    }

    /// True when something other than blank space follows the document (JSON lines, or junk):
    /// the caller can give up at once instead of reading on.
    pub fn overrun(&self) -> bool {
        self.overrun
    }

    /// True once the document's outermost value has closed and nothing is left open.
    pub fn complete(&self) -> bool {
        self.stack.is_empty()
            && self.capture.is_none()
            && self.waiting_span.is_none()
            && !self.in_str
            && !self.skeleton.is_empty()
    }

    /// Inside a captured resource, scope or cut span: find its closing brace, minding strings.
    fn scan_capture(
        &mut self,
        bytes: &[u8],
        text: &str,
        on: &mut dyn FnMut(Piece) -> Option<usize>,
    ) {
        let Some(cap) = self.capture.as_mut() else {
            return;
        };
        let mut i = self.pos;
        while i < bytes.len() {
            if self.esc {
                self.esc = false;
                i += 1;
                continue;
            }
            if self.in_str {
                // Skip to the next quote or backslash.
                match bytes[i..].iter().position(|&b| b == b'"' || b == b'\\') {
                    Some(k) => {
                        i += k;
                        if bytes[i] == b'\\' {
                            self.esc = true;
                        } else {
                            self.in_str = false;
                        }
                        i += 1;
                    }
                    None => i = bytes.len(),
                }
                continue;
            }
            match bytes[i] {
                b'"' => self.in_str = true,
                b'{' | b'[' => cap.depth += 1,
                b'}' | b']' => {
                    cap.depth -= 1;
                    if cap.depth == 0 {
                        let whole = &bytes[cap.start..=i];
                        match cap.role {
                            Role::Span => {
                                // Whole now, so read at once (the answer is its length).
                                self.skeleton.extend_from_slice(b"{}");
                                on(Piece::Span(text.get(cap.start..=i).unwrap_or_default()));
                            }
                            Role::Resource => {
                                self.skeleton.extend_from_slice(whole);
                                on(Piece::Resource(whole));
                            }
                            _ => {
                                self.skeleton.extend_from_slice(whole);
                                on(Piece::Scope(whole));
                            }
                        }
                        self.capture = None;
                        self.pos = i + 1;
                        self.after_value();
                        return;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        self.pos = i;
    }

    /// Outside captures: follow the nesting, read the keys that matter, start captures.
    fn scan_structure(&mut self, buf: &[u8], on: &mut dyn FnMut(Piece) -> Option<usize>) {
        while self.pos < buf.len() {
            if self.capture.is_some() || self.waiting_span.is_some() {
                return;
            }
            let i = self.pos;
            let b = buf[i];
            self.pos += 1;
            if self.in_str {
                self.skeleton.push(b);
                if self.esc {
                    self.esc = false;
                    // An escaped key is never one of ours; spans under it would be missed, and
                    // the skeleton check catches that.
                    self.key.push(0);
                } else if b == b'\\' {
                    self.esc = true;
                } else if b == b'"' {
                    self.in_str = false;
                    if self.str_is_key {
                        self.end_key();
                    }
                } else if self.str_is_key {
                    self.key.push(b);
                }
                continue;
            }
            match b {
                b'"' => {
                    self.skeleton.push(b);
                    self.in_str = true;
                    self.str_is_key = self.stack.last().is_some_and(|f| f.object && f.expect_key);
                    self.key.clear();
                }
                b'{' | b'[' => {
                    if self.stack.is_empty() && !self.skeleton.is_empty() {
                        self.overrun = true;
                    }
                    let role = self.value_role();
                    if b == b'{' && role == Role::Span {
                        // Offered to the receiver by `push`, from here.
                        self.waiting_span = Some(i);
                        self.pos = i;
                        return;
                    }
                    if b == b'{' && matches!(role, Role::Resource | Role::Scope) {
                        self.capture = Some(Capture {
                            role,
                            start: i,
                            depth: 1,
                        });
                        return;
                    }
                    self.skeleton.push(b);
                    match role {
                        Role::ResourceSpans if b == b'{' => {
                            on(Piece::ResourceSpans);
                        }
                        Role::ScopeSpans if b == b'{' => {
                            on(Piece::ScopeSpans);
                        }
                        _ => {}
                    }
                    self.stack.push(Frame {
                        object: b == b'{',
                        role,
                        expect_key: b == b'{',
                        next: Role::Other,
                    });
                }
                b'}' | b']' => {
                    self.skeleton.push(b);
                    self.stack.pop();
                    self.after_value();
                }
                b',' => {
                    self.skeleton.push(b);
                    if let Some(f) = self.stack.last_mut() {
                        f.expect_key = f.object;
                    }
                }
                _ => self.skeleton.push(b),
            }
        }
    }

    /// A value in an object has ended: the next thing there is a `,` or the `}`.
    fn after_value(&mut self) {
        if let Some(f) = self.stack.last_mut() {
            f.next = Role::Other;
        }
    }

    /// The role of a container value starting here, from its parent and the key before it.
    fn value_role(&self) -> Role {
        match self.stack.last() {
            None => Role::Document,
            Some(f) if f.object => f.next,
            Some(f) => match f.role {
                Role::ResourceSpansList => Role::ResourceSpans,
                Role::ScopeSpansList => Role::ScopeSpans,
                Role::SpanList => Role::Span,
                _ => Role::Other,
            },
        }
    }

    fn end_key(&mut self) {
        let Some(f) = self.stack.last_mut() else {
            return;
        };
        f.expect_key = false;
        let key = self.key.as_slice();
        f.next = match (f.role, key) {
            (Role::Document, b"resourceSpans" | b"resource_spans") => Role::ResourceSpansList,
            (Role::ResourceSpans, b"resource") => Role::Resource,
            (
                Role::ResourceSpans,
                b"scopeSpans"
                | b"scope_spans"
                | b"instrumentationLibrarySpans"
                | b"instrumentation_library_spans",
            ) => Role::ScopeSpansList,
            (
                Role::ScopeSpans,
                b"scope" | b"instrumentationLibrary" | b"instrumentation_library",
            ) => Role::Scope,
            (Role::ScopeSpans, b"spans") => Role::SpanList,
            _ => Role::Other,
        };
    }
}

/// `buf` as text, as far as it is whole UTF-8: without a character cut at its end (its next
/// chunk completes it). One check per chunk, not per span.
fn whole_utf8(buf: &[u8]) -> &str {
    match std::str::from_utf8(buf) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&buf[..e.valid_up_to()]).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A receiver that reads each span as the stream's does (a JSON value from the start of
    /// the text, its length from the parser), and writes every piece down.
    fn pieces(text: &str, chunk: usize) -> (Vec<String>, String) {
        let mut s = Scanner::default();
        let mut out = Vec::new();
        for c in text.as_bytes().chunks(chunk) {
            s.push(c, &mut |p| {
                let (piece, len) = match p {
                    Piece::ResourceSpans => ("RS".to_string(), None),
                    Piece::ScopeSpans => ("SS".to_string(), None),
                    Piece::Resource(t) => (format!("R{}", String::from_utf8_lossy(t)), None),
                    Piece::Scope(t) => (format!("S{}", String::from_utf8_lossy(t)), None),
                    Piece::Span(t) => {
                        let mut values = serde_json::Deserializer::from_str(t)
                            .into_iter::<serde::de::IgnoredAny>();
                        match values.next() {
                            Some(Ok(_)) => {
                                let len = values.byte_offset();
                                (t[..len].to_string(), Some(len))
                            }
                            Some(Err(e)) if e.is_eof() => return None,
                            _ => panic!("not JSON: {t}"),
                        }
                    }
                };
                out.push(piece);
                len
            });
        }
        assert!(s.complete());
        (out, String::from_utf8_lossy(&s.skeleton).into_owned())
    }

    #[test]
    fn finds_spans_across_any_chunking() {
        let doc = r#"{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"x"},"spans":[{"name":"a}\"{","attributes":[{"key":"k","value":{"stringValue":"]"}}]}, {"name":"b\\","x":"}"}, {"name":"é漢€"}]}]}],"extra":{"spans":[{"no":1}]}}"#;
        let expected = vec![
            "RS".to_string(),
            r#"R{"attributes":[]}"#.to_string(),
            "SS".to_string(),
            r#"S{"name":"x"}"#.to_string(),
            r#"{"name":"a}\"{","attributes":[{"key":"k","value":{"stringValue":"]"}}]}"#
                .to_string(),
            r#"{"name":"b\\","x":"}"}"#.to_string(),
            r#"{"name":"é漢€"}"#.to_string(),
        ];
        for chunk in [1, 2, 3, 7, 64, 4096] {
            let (got, skeleton) = pieces(doc, chunk);
            assert_eq!(got, expected, "chunk {chunk}");
            assert_eq!(
                skeleton,
                r#"{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"x"},"spans":[{}, {}, {}]}]}],"extra":{"spans":[{"no":1}]}}"#
            );
        }
    }

    /// A span far bigger than a chunk (a long prompt) is offered at most twice: once cut, then
    /// once whole when its closing brace has arrived, not again with every chunk.
    #[test]
    fn a_span_bigger_than_a_chunk_is_offered_at_most_twice() {
        let prompt = "é prompt ".repeat(20_000);
        let doc = format!(
            r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{{"name":"{prompt}"}},{{"name":"b"}}]}}]}}]}}"#
        );
        for chunk in [1000, 4096, 65_536] {
            let mut s = Scanner::default();
            let (mut offers, mut read) = (0, Vec::new());
            for c in doc.as_bytes().chunks(chunk) {
                s.push(c, &mut |p| {
                    let Piece::Span(t) = p else { return None };
                    offers += 1;
                    let mut values =
                        serde_json::Deserializer::from_str(t).into_iter::<serde_json::Value>();
                    match values.next() {
                        Some(Ok(v)) => {
                            read.push(v["name"].as_str().unwrap_or_default().len());
                            Some(values.byte_offset())
                        }
                        _ => None,
                    }
                });
            }
            assert!(s.complete(), "chunk {chunk}");
            assert_eq!(read, vec![prompt.len(), 1], "chunk {chunk}");
            assert!(offers <= 4, "chunk {chunk}: {offers} offers for 2 spans");
        }
    }
}
