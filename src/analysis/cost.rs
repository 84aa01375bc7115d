//! Model prices: a bundled table taken from a maintained public source (see `data/prices.json`
//! for the source, commit and license), plus the user's own prices, which win.
//!
//! Model names in traces rarely match a price table exactly (`openai/gpt-4o-2024-08-06`,
//! `models/gemini-2.0-flash-001`, `claude-3-7-sonnet@20250219`), so lookup tries, in order:
//! the name as written; without a provider prefix; without date/version suffixes; a dated entry
//! of the same model (`claude-3-7-sonnet` finds `claude-3-7-sonnet-20250219`); and finally the
//! longest known model name that the name starts with (at a `-`, `:`, `@` or `_` boundary).

use crate::fasthash::FastMap;
use crate::num::parse_f64;
use serde::{Deserialize, Serialize};

/// USD per token. Missing cache prices mean cache tokens cost the input price; a missing
/// reasoning price means reasoning tokens cost the output price.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Price {
    pub input: f64,
    pub output: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_read: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_write: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<f64>,
}

/// Prices by model name: bundled ones and the user's overrides.
#[derive(Debug, Clone, Default)]
pub struct PriceTable {
    bundled: FastMap<String, Price>,
    user: FastMap<String, Price>,
    /// Where the bundled prices come from, for the UI's "prices as of" note.
    pub source: String,
    pub source_commit: String,
    pub retrieved: String,
}

/// `data/prices.json` as a table the page reads in a few lines (`data/prices.tsv`, written from
/// it and checked against it by `tests/prices_table.rs`): parsing the JSON in the page needed
/// serde's code for its shape, 4 KB of the gzip download. Tab-separated: `source`,
/// `source_commit` and `retrieved` lines, a header, then a model per line with its five prices
/// (`-` where the JSON has none).
const BUNDLED: &str = include_str!("../../data/prices.tsv");

/// Token counts of one call, as the cost formula needs them.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenCounts {
    pub input: u64,
    pub output: u64,
    pub cache_read: u64,
    pub cache_write: u64,
    pub reasoning: u64,
    /// Whether `output` was reported (reasoning is part of it then).
    pub has_output: bool,
}

impl PriceTable {
    /// The prices shipped with Spoor.
    pub fn bundled() -> PriceTable {
        let mut t = PriceTable::default();
        for line in BUNDLED.lines() {
            let mut cells = line.split('\t');
            let (Some(name), Some(first)) = (cells.next(), cells.next()) else {
                continue;
            };
            match name {
                "source" => t.source = first.to_string(),
                "source_commit" => t.source_commit = first.to_string(),
                "retrieved" => t.retrieved = first.to_string(),
                "model" => {}
                _ => {
                    let mut cells = std::iter::once(first).chain(cells).map(parse_f64);
                    let mut next = || cells.next().flatten();
                    let price = Price {
                        input: next().unwrap_or(0.0),
                        output: next().unwrap_or(0.0),
                        cache_read: next(),
                        cache_write: next(),
                        reasoning: next(),
                    };
                    t.bundled.insert(name.to_ascii_lowercase(), price);
                }
            }
        }
        t
    }

    /// A table with no prices at all (every model unknown).
    pub fn empty() -> PriceTable {
        PriceTable::default()
    }

    /// The user's own price for a model name; it wins over the bundled one for that name and for
    /// names that resolve to it.
    pub fn set_user_price(&mut self, model: &str, price: Price) {
        self.user.insert(model.trim().to_ascii_lowercase(), price);
    }

    pub fn user_prices(&self) -> impl Iterator<Item = (&str, &Price)> {
        self.user.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.bundled.len() + self.user.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&self, name: &str) -> Option<(&str, Price)> {
        if let Some((k, p)) = self.user.get_key_value(name) {
            return Some((k.as_str(), *p));
        }
        self.bundled
            .get_key_value(name)
            .map(|(k, p)| (k.as_str(), *p))
    }

    /// The price for a model name as traces write it, with the table key it matched.
    pub fn lookup(&self, model: &str) -> Option<(&str, Price)> {
        let name = model.trim().to_ascii_lowercase();
        if name.is_empty() {
            return None;
        }
        if let Some(hit) = self.get(&name) {
            return Some(hit);
        }
        let bare = strip_provider(&name);
        if let Some(hit) = self.get(bare) {
            return Some(hit);
        }
        let undated = strip_suffixes(bare);
        if let Some(hit) = self.get(undated) {
            return Some(hit);
        }
        self.same_undated(undated)
            .or_else(|| self.longest_prefix(undated))
    }

    /// A table entry that is the same model with a date (`claude-3-7-sonnet` →
    /// `claude-3-7-sonnet-20250219`); the latest date wins, user prices first.
    fn same_undated(&self, undated: &str) -> Option<(&str, Price)> {
        for table in [&self.user, &self.bundled] {
            let best = table
                .iter()
                .filter(|(k, _)| k.len() > undated.len() && strip_suffixes(k) == undated)
                .max_by(|a, b| a.0.cmp(b.0));
            if let Some((k, p)) = best {
                return Some((k.as_str(), *p));
            }
        }
        None
    }

    /// A table entry whose name starts `name` (a fine-tune or deployment suffix such as
    /// `gpt-4o-ft-acme`). A suffix that names another size or tier of the model (`o1-mini`,
    /// `gpt-4o-mini`, `gemini-2.5-flash-lite`) is a different model with a different price, so
    /// it never falls back to the bigger one: "no price" beats a price 10× off.
    fn longest_prefix(&self, name: &str) -> Option<(&str, Price)> {
        let mut best: Option<(&str, Price, bool)> = None;
        let tables = [(&self.user, true), (&self.bundled, false)];
        for (table, is_user) in tables {
            for (k, p) in table.iter() {
                let fits = name.len() > k.len()
                    && name.starts_with(k.as_str())
                    && matches!(name.as_bytes()[k.len()], b'-' | b':' | b'@' | b'_')
                    && !names_a_variant(&name[k.len() + 1..]);
                if !fits {
                    continue;
                }
                let better = match best {
                    None => true,
                    Some((bk, _, bu)) => {
                        k.len() > bk.len() || (k.len() == bk.len() && is_user && !bu)
                    }
                };
                if better {
                    best = Some((k.as_str(), *p, is_user));
                }
            }
        }
        best.map(|(k, p, _)| (k, p))
    }

    /// Cost of one call in USD. Input is taken to include cache reads and writes when it is at
    /// least their sum (OpenAI and OpenTelemetry GenAI count cached tokens inside input), and to
    /// exclude them otherwise (Anthropic reports them apart, often larger than input). Reasoning
    /// tokens are part of output when output is reported (OpenAI's convention); they cost the
    /// reasoning price when the table has one, else the output price.
    pub fn cost(price: &Price, t: &TokenCounts) -> f64 {
        let cached = t.cache_read + t.cache_write;
        let plain_input = if t.input >= cached && cached > 0 {
            t.input - cached
        } else {
            t.input
        };
        let reasoning_price = price.reasoning.unwrap_or(price.output);
        let (plain_output, reasoning) = if t.has_output {
            let r = t.reasoning.min(t.output);
            (t.output - r, r)
        } else {
            (0, t.reasoning)
        };
        plain_input as f64 * price.input
            + t.cache_read as f64 * price.cache_read.unwrap_or(price.input)
            + t.cache_write as f64 * price.cache_write.unwrap_or(price.input)
            + plain_output as f64 * price.output
            + reasoning as f64 * reasoning_price
    }
}

/// Words that name a size or tier of a model rather than a build of the same model.
const VARIANT_WORDS: [&str; 14] = [
    "mini", "nano", "micro", "lite", "small", "medium", "large", "pro", "flash", "turbo", "max",
    "plus", "ultra", "haiku",
];

/// Whether a model-name suffix starts with a size or tier word.
fn names_a_variant(rest: &str) -> bool {
    let first = rest.split(['-', ':', '@', '_', '.']).next().unwrap_or("");
    VARIANT_WORDS.contains(&first)
}

/// `openai/gpt-4o` → `gpt-4o`; `projects/p/locations/l/publishers/google/models/gemini-2.5-flash`
/// → `gemini-2.5-flash`; `us.anthropic.claude-…` → `claude-…`.
fn strip_provider(name: &str) -> &str {
    let name = name.rsplit('/').next().unwrap_or(name);
    match name.find("anthropic.") {
        Some(i) => &name[i + "anthropic.".len()..],
        None => name,
    }
}

/// Removes, repeatedly, trailing `-latest`, `-preview`, dates (`-2024-08-06`, `-20241022`,
/// `@20240620`, `-06-17`), short version numbers (`-001`) and Bedrock versions (`-v1:0`, `:0`).
fn strip_suffixes(mut name: &str) -> &str {
    loop {
        let before = name;
        for suffix in ["-latest", "-preview"] {
            if let Some(s) = name.strip_suffix(suffix) {
                name = s;
            }
        }
        if let Some(i) = name.rfind(':') {
            if name[i + 1..].bytes().all(|b| b.is_ascii_digit()) {
                name = &name[..i];
            }
        }
        if let Some(i) = name.rfind("-v") {
            let v = &name[i + 2..];
            if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
                name = &name[..i];
            }
        }
        let b = name.as_bytes();
        let tail_digits = b.iter().rev().take_while(|c| c.is_ascii_digit()).count();
        let sep = b.len().checked_sub(tail_digits + 1).map(|i| b[i]);
        if tail_digits == 8 && matches!(sep, Some(b'-') | Some(b'@')) {
            name = &name[..b.len() - 9];
        } else if tail_digits == 3 && sep == Some(b'-') {
            name = &name[..b.len() - 4];
        } else if tail_digits == 2 && is_month_day(name) && !is_full_date(name) {
            // -MM-DD (Gemini previews: `-preview-06-17`)
            name = &name[..b.len() - 6];
        } else if tail_digits == 2 && b.len() >= 11 {
            // -YYYY-MM-DD
            let t = &name[b.len() - 11..];
            let tb = t.as_bytes();
            if tb[0] == b'-'
                && tb[5] == b'-'
                && tb[8] == b'-'
                && t[1..5].bytes().all(|c| c.is_ascii_digit())
                && t[6..8].bytes().all(|c| c.is_ascii_digit())
            {
                name = &name[..b.len() - 11];
            }
        }
        if name == before {
            return name;
        }
    }
}

/// Ends with `-MM-DD` (two two-digit groups).
fn is_month_day(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 6
        && b[b.len() - 6] == b'-'
        && b[b.len() - 3] == b'-'
        && b[b.len() - 5..b.len() - 3].iter().all(u8::is_ascii_digit)
        && b[b.len() - 2..].iter().all(u8::is_ascii_digit)
}

/// Ends with `-YYYY-MM-DD`.
fn is_full_date(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 11
        && b[b.len() - 11] == b'-'
        && b[b.len() - 10..b.len() - 6].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_and_prefixes() {
        assert_eq!(strip_suffixes("gpt-4o-2024-08-06"), "gpt-4o");
        assert_eq!(
            strip_suffixes("claude-3-5-sonnet-20241022"),
            "claude-3-5-sonnet"
        );
        assert_eq!(
            strip_suffixes("claude-3-5-sonnet@20240620"),
            "claude-3-5-sonnet"
        );
        assert_eq!(strip_suffixes("gemini-2.0-flash-001"), "gemini-2.0-flash");
        assert_eq!(strip_suffixes("gpt-4o-latest"), "gpt-4o");
        assert_eq!(
            strip_suffixes("claude-sonnet-4-5-20250929-v1:0"),
            "claude-sonnet-4-5"
        );
        assert_eq!(strip_suffixes("gpt-4.1"), "gpt-4.1");
        assert_eq!(strip_suffixes("o1"), "o1");
        assert_eq!(
            strip_suffixes("gemini-2.5-flash-lite-preview-06-17"),
            "gemini-2.5-flash-lite"
        );
        assert_eq!(
            strip_provider("models/gemini-2.5-flash"),
            "gemini-2.5-flash"
        );
        assert_eq!(strip_provider("us.anthropic.claude-x"), "claude-x");
    }
}
