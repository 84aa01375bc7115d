//! Repairs of single spans (ends before starts, absurd numbers) and the report that turns every
//! repair assembly made into one warning per file, run and kind: a million orphans are one
//! message naming a few of them, not a million messages.

use crate::model::{flags, AttrValue, FileId, Problem, Severity, SourceFile, Span};

/// More tokens than this in one span is a wrapped negative or garbage, not a real count.
const MAX_PLAUSIBLE_TOKENS: u64 = 1_000_000_000_000;
/// Spans named in a warning; the rest are counted.
const EXAMPLES: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// An exact copy of a span another file already holds (overlapping exports): shown once.
    Copy,
    DuplicateId,
    Orphan,
    CycleCut,
    EndBeforeStart,
    BadNumber,
}

impl Kind {
    fn message(self, n: usize, run: &str, examples: &str) -> String {
        let spans = if n == 1 {
            "1 span".to_string()
        } else {
            format!("{n} spans")
        };
        match self {
            Kind::Copy => format!(
                "{spans} of run {run} are exact copies of spans another loaded file already holds \
                 ({examples}); each is shown once"
            ),
            Kind::DuplicateId => format!(
                "{spans} of run {run} share an id with another span ({examples}); both copies \
                 were kept and marked as duplicates"
            ),
            Kind::Orphan => format!(
                "{spans} of run {run} name a parent span that is not in the loaded files \
                 ({examples}); they are shown under the run's root"
            ),
            Kind::CycleCut => format!(
                "{spans} of run {run} are their own ancestors (the parent links form a loop); the \
                 loop was cut at {examples}"
            ),
            Kind::EndBeforeStart => format!(
                "{spans} of run {run} end before they start ({examples}); the end was set to the \
                 start"
            ),
            Kind::BadNumber => format!(
                "{spans} of run {run} hold absurd numbers ({examples}); those numbers were dropped"
            ),
        }
    }
}

#[derive(Default)]
struct Entry {
    count: usize,
    place: Option<String>,
    examples: Vec<String>,
}

/// Repairs collected during one assembly, grouped for the user.
#[derive(Default)]
pub struct Report {
    /// In key order, found by binary search: a run's id is copied once per entry, not per span.
    entries: Vec<((FileId, Kind, String), Entry)>,
    /// Whether an attribute key names tokens or a cost, by the key's address: keys are interned,
    /// so a million spans share a few dozen, and the substring tests ran for every attribute
    /// (~3% of a 100k-span load in the browser). Addresses are stable while the spans are alive,
    /// which they are for the whole assembly.
    key_kinds: crate::fasthash::FastMap<(usize, usize), KeyKind>,
}

#[derive(Clone, Copy)]
struct KeyKind {
    tokens: bool,
    cost: bool,
}

impl Report {
    fn key_kind(&mut self, key: &str) -> KeyKind {
        let at = (key.as_ptr() as usize, key.len());
        if let Some(&kind) = self.key_kinds.get(&at) {
            return kind;
        }
        let k = key.as_bytes();
        let kind = KeyKind {
            tokens: has(k, b"token") && (has(k, b"usage") || has(k, b"count")),
            cost: has(k, b"cost"),
        };
        // Keys that were not interned (a source with ids in its keys) each have an address of
        // their own; past this many the memo stops growing.
        if self.key_kinds.len() < 4096 {
            self.key_kinds.insert(at, kind);
        }
        kind
    }

    pub fn add(&mut self, kind: Kind, run: &str, span: &Span) {
        self.add_detail(kind, run, span, None);
    }

    fn add_detail(&mut self, kind: Kind, run: &str, span: &Span, detail: Option<String>) {
        let key = (span.origin.file, kind, run);
        let i = self
            .entries
            .binary_search_by(|((f, k, r), _)| (*f, *k, r.as_str()).cmp(&key))
            .unwrap_or_else(|i| {
                let entry = ((key.0, kind, run.to_string()), Entry::default());
                self.entries.insert(i, entry);
                i
            });
        let e = &mut self.entries[i].1;
        e.count += 1;
        if e.examples.len() < EXAMPLES {
            let mut text = format!("\"{}\" id {}", span.name, span.id);
            if kind == Kind::Orphan {
                if let Some(p) = &span.parent_id {
                    text.push_str(&format!(" → missing parent {p}"));
                }
            }
            if let Some(d) = detail {
                text.push_str(&format!(": {d}"));
            }
            if let Some(l) = span.origin.line {
                text.push_str(&format!(", line {l}"));
            }
            e.examples.push(text);
        }
        if e.place.is_none() {
            e.place = Some(match span.origin.line {
                Some(l) => format!("line {l}"),
                None => format!("span {}", span.id),
            });
        }
    }

    pub fn into_problems(self, files: &[SourceFile]) -> Vec<Problem> {
        self.entries
            .into_iter()
            .map(|((file, kind, run), e)| {
                let mut examples = e.examples.join("; ");
                if e.count > e.examples.len() {
                    examples.push_str(&format!("; and {} more", e.count - e.examples.len()));
                }
                Problem {
                    severity: Severity::Warning,
                    file: files
                        .get(file as usize)
                        .map(|f| f.name.clone())
                        .unwrap_or_default(),
                    place: e.place,
                    message: kind.message(e.count, &run, &examples),
                }
            })
            .collect()
    }
}

/// Repairs one newly loaded span in place and reports what it changed.
pub fn check_span(span: &mut Span, run: &str, report: &mut Report) {
    if let Some(end) = span.end_ns {
        if end < span.start_ns {
            let detail = format!("ends {} ns before it starts", span.start_ns - end);
            span.end_ns = Some(span.start_ns);
            span.flags |= flags::END_BEFORE_START;
            report.add_detail(Kind::EndBeforeStart, run, span, Some(detail));
        }
    }
    let mut bad: Vec<String> = Vec::new();
    if let Some(c) = span.reported_cost_usd {
        if !c.is_finite() || c < 0.0 {
            bad.push(format!("cost {}", crate::num::Plain(c)));
            span.reported_cost_usd = None;
        }
    }
    let u = &mut span.usage;
    for (name, slot) in [
        ("input tokens", &mut u.input),
        ("output tokens", &mut u.output),
        ("cache-read tokens", &mut u.cache_read),
        ("cache-write tokens", &mut u.cache_write),
        ("reasoning tokens", &mut u.reasoning),
        ("total tokens", &mut u.total),
    ] {
        if let Some(v) = *slot {
            if v > MAX_PLAUSIBLE_TOKENS {
                bad.push(format!("{name} {v}"));
                *slot = None;
            }
        }
    }
    // The raw attributes stay for display; the flag tells the user they are absurd.
    for a in &span.attrs {
        let KeyKind {
            tokens: is_tokens,
            cost: is_cost,
        } = report.key_kind(&a.key);
        if !(is_tokens || is_cost) {
            continue;
        }
        let Some(v) = number(&a.value) else { continue };
        if !v.is_finite() {
            bad.push(format!("{} is {}", a.key, crate::num::Plain(v)));
        } else if v < 0.0 {
            let what = if is_tokens {
                "a negative token count"
            } else {
                "a negative cost"
            };
            bad.push(format!("{} is {what} ({})", a.key, crate::num::Plain(v)));
        }
    }
    if bad.is_empty() && span.flags & flags::BAD_NUMBER != 0 {
        // flagged by the importer or semconv on a value we do not re-check here
        bad.push("a token count or cost is not a usable number".into());
    }
    if !bad.is_empty() {
        bad.dedup();
        span.flags |= flags::BAD_NUMBER;
        report.add_detail(Kind::BadNumber, run, span, Some(bad.join(", ")));
    }
}

/// Case-insensitive substring test without allocating (this runs for every attribute).
fn has(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

fn number(v: &AttrValue) -> Option<f64> {
    match v {
        AttrValue::Int(i) => Some(*i as f64),
        AttrValue::Float(f) => Some(*f),
        AttrValue::Str(s) => crate::num::parse_f64(s.trim()),
        _ => None,
    }
}
