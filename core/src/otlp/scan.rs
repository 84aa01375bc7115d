//! A structural scanner for one OTLP JSON document arriving in pieces: it finds each span
//! object (and each resource and scope) as soon as its closing brace arrives, so a file of a
//! million spans never has to sit in memory whole. It only tracks nesting and strings; checking
//! that the document is JSON is left to the caller, who parses the `skeleton` (the document
//! with every span written as `{}`) once the last piece is in.

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
    /// One span object, whole.
    Span(&'b [u8]),
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
    /// The document outside its spans, each span written `{}`.
    pub skeleton: Vec<u8>,
    overrun: bool,
}

impl Scanner {
    /// Takes the next chunk of the text and hands out every piece it completes. Never inlined:
    /// this byte loop runs over the whole file, and inlined into the page's loader it would be
    /// compiled for size with the loader, not for speed with this crate.
    #[inline(never)]
    pub fn push(&mut self, chunk: &[u8], on: &mut dyn FnMut(Piece)) {
        self.buf.extend_from_slice(chunk);
        while self.pos < self.buf.len() {
            if self.capture.is_some() {
                self.scan_capture(on);
            } else {
                self.scan_structure(on);
            }
        }
        // Keep only what an unfinished capture still needs.
        let keep = self.capture.as_ref().map_or(self.buf.len(), |c| c.start);
        self.buf.drain(..keep);
        self.pos -= keep;
        if let Some(c) = &mut self.capture {
            c.start = 0;
        }
    }

    /// True when something other than blank space follows the document (JSON lines, or junk):
    /// the caller can give up at once instead of reading on.
    pub fn overrun(&self) -> bool {
        self.overrun
    }

    /// True once the document's outermost value has closed and nothing is left open.
    pub fn complete(&self) -> bool {
        self.stack.is_empty() && self.capture.is_none() && !self.in_str && !self.skeleton.is_empty()
    }

    /// Inside a captured object: find its closing brace, minding strings.
    fn scan_capture(&mut self, on: &mut dyn FnMut(Piece)) {
        let Some(cap) = self.capture.as_mut() else {
            return;
        };
        let bytes = &self.buf;
        let mut i = self.pos;
        while i < bytes.len() {
            if self.esc {
                self.esc = false;
                i += 1;
                continue;
            }
            if self.in_str {
                // Most of a span's bytes are in strings (ids, keys, values, even numbers and
                // timestamps): skip to the next quote or backslash in one tight loop.
                match quote_or_backslash(&bytes[i..]) {
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
                        let text = &bytes[cap.start..=i];
                        match cap.role {
                            Role::Span => {
                                self.skeleton.extend_from_slice(b"{}");
                                on(Piece::Span(text));
                            }
                            Role::Resource => {
                                self.skeleton.extend_from_slice(text);
                                on(Piece::Resource(text));
                            }
                            _ => {
                                self.skeleton.extend_from_slice(text);
                                on(Piece::Scope(text));
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
    fn scan_structure(&mut self, on: &mut dyn FnMut(Piece)) {
        while self.pos < self.buf.len() {
            if self.capture.is_some() {
                return;
            }
            let i = self.pos;
            let b = self.buf[i];
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
                    if b == b'{' && matches!(role, Role::Span | Role::Resource | Role::Scope) {
                        self.capture = Some(Capture {
                            role,
                            start: i,
                            depth: 1,
                        });
                        return;
                    }
                    self.skeleton.push(b);
                    match role {
                        Role::ResourceSpans if b == b'{' => on(Piece::ResourceSpans),
                        Role::ScopeSpans if b == b'{' => on(Piece::ScopeSpans),
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

/// Where the first `"` or `\\` of `b` is. Eight bytes per step: every string of the file (most
/// of its bytes) passes through here. A byte equal to the one sought becomes zero after the
/// xor, and `(x - 0x01…) & !x & 0x80…` flags zero bytes; only bytes above a true zero can be
/// flagged falsely, so the lowest flag is always right.
fn quote_or_backslash(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_bytes = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut words = b.chunks_exact(8);
    let mut at = 0;
    for w in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(w);
        let x = u64::from_le_bytes(word);
        let found =
            zero_bytes(x ^ (ONES * u64::from(b'"'))) | zero_bytes(x ^ (ONES * u64::from(b'\\')));
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    let rest = words.remainder();
    rest.iter()
        .position(|&c| c == b'"' || c == b'\\')
        .map(|k| at + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, chunk: usize) -> (Vec<String>, String) {
        let mut s = Scanner::default();
        let mut out = Vec::new();
        for c in text.as_bytes().chunks(chunk) {
            s.push(c, &mut |p| {
                out.push(match p {
                    Piece::ResourceSpans => "RS".to_string(),
                    Piece::ScopeSpans => "SS".to_string(),
                    Piece::Resource(t) => format!("R{}", String::from_utf8_lossy(t)),
                    Piece::Scope(t) => format!("S{}", String::from_utf8_lossy(t)),
                    Piece::Span(t) => String::from_utf8_lossy(t).into_owned(),
                })
            });
        }
        assert!(s.complete());
        (out, String::from_utf8_lossy(&s.skeleton).into_owned())
    }

    /// The word-at-a-time search finds what a byte-by-byte one finds, wherever the bytes sit.
    #[test]
    fn quote_or_backslash_finds_the_first_of_either() {
        let alphabet = [
            b'"',
            b'\\',
            b'a',
            0x00,
            0x01,
            0x21,
            0x22 ^ 0x80,
            0x5c ^ 0x01,
            0xff,
            0x80,
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for len in 0..40 {
            for _ in 0..200 {
                let b: Vec<u8> = (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        // Mostly bytes that are neither, so the first hit lands anywhere.
                        if seed.is_multiple_of(16) {
                            alphabet[(seed >> 8) as usize % 2]
                        } else {
                            alphabet[2 + (seed >> 8) as usize % 8]
                        }
                    })
                    .collect();
                let naive = b.iter().position(|&c| c == b'"' || c == b'\\');
                assert_eq!(quote_or_backslash(&b), naive, "{b:?}");
            }
        }
    }

    #[test]
    fn finds_spans_across_any_chunking() {
        let doc = r#"{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"x"},"spans":[{"name":"a}\"{","attributes":[{"key":"k","value":{"stringValue":"]"}}]}, {"name":"b\\","x":"}"}]}]}],"extra":{"spans":[{"no":1}]}}"#;
        let expected = vec![
            "RS".to_string(),
            r#"R{"attributes":[]}"#.to_string(),
            "SS".to_string(),
            r#"S{"name":"x"}"#.to_string(),
            r#"{"name":"a}\"{","attributes":[{"key":"k","value":{"stringValue":"]"}}]}"#
                .to_string(),
            r#"{"name":"b\\","x":"}"}"#.to_string(),
        ];
        for chunk in [1, 2, 3, 7, 64, 4096] {
            let (got, skeleton) = pieces(doc, chunk);
            assert_eq!(got, expected, "chunk {chunk}");
            assert_eq!(
                skeleton,
                r#"{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"x"},"spans":[{}, {}]}]}],"extra":{"spans":[{"no":1}]}}"#
            );
        }
    }
}
