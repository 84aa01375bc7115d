//! Turns serde_json's terse errors into sentences a user can act on, with the place in the file.
//!
//! Users see these when a file is truncated or hand-edited; "EOF while parsing a value" helps
//! nobody, "the file ends in the middle of a JSON value (truncated?)" does.

use serde_json::error::Category;

/// A JSON error as the user sees it: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonError {
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The cause in plain words, without the place.
    pub cause: String,
}

impl JsonError {
    /// "line 812, column 3", the form every problem uses.
    pub fn place(&self) -> String {
        format!("line {}, column {}", self.line, self.column)
    }

    /// Cause and place in one sentence.
    pub fn message(&self) -> String {
        format!("{} at {}", self.cause, self.place())
    }
}

/// Describes `err`, raised while parsing a text that starts at `first_line` of the file (1 for a
/// whole document, the line number for one line of a JSON-lines file).
pub fn describe(err: &serde_json::Error, first_line: usize) -> JsonError {
    JsonError {
        line: err.line().max(1) + first_line.saturating_sub(1),
        column: err.column().max(1),
        cause: cause(err),
    }
}

/// 1-based line and column of a byte offset in `text`, for errors found in a sub-slice.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.as_bytes().get(..offset).unwrap_or_default();
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, offset - line_start + 1)
}

/// Byte offset of `inner` in `outer` when `inner` is a sub-slice of it (a borrowed raw value).
pub fn offset_in(outer: &str, inner: &str) -> Option<usize> {
    let start = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    (start + inner.len() <= outer.len()).then_some(start)
}

fn cause(err: &serde_json::Error) -> String {
    let raw = err.to_string();
    // serde_json appends " at line L column C"; we say the place our own way.
    let text = match raw.rfind(" at line ") {
        Some(i) => &raw[..i],
        None => raw.as_str(),
    };
    match err.classify() {
        Category::Eof => "the file ends in the middle of a JSON value (truncated?)".into(),
        Category::Io => format!("the file could not be read ({text})"),
        Category::Data => format!("a value has the wrong type or shape: {text}"),
        Category::Syntax => syntax_cause(text),
    }
}

fn syntax_cause(text: &str) -> String {
    let plain = if text.starts_with("expected value") {
        "expected a JSON value here, found something else (is this file JSON?)"
    } else if text.starts_with("trailing characters") {
        "there is more text after the end of the JSON value"
    } else if text.starts_with("trailing comma") {
        "a comma is followed by a closing bracket (trailing commas are not JSON)"
    } else if text.starts_with("key must be a string") {
        "an object key is not in double quotes"
    } else if text.starts_with("expected `,` or `}`") {
        "an object is missing a comma between entries or its closing `}`"
    } else if text.starts_with("expected `,` or `]`") {
        "a list is missing a comma between items or its closing `]`"
    } else if text.starts_with("expected `:`") {
        "an object key is not followed by `:`"
    } else if text.starts_with("control character") {
        "a string holds a raw control character (a line break or tab inside quotes?)"
    } else if text.starts_with("invalid escape") {
        "a string holds an invalid backslash escape"
    } else if text.starts_with("invalid number") || text.starts_with("number out of range") {
        "a number is malformed or too large"
    } else if text.starts_with("invalid unicode code point")
        || text.starts_with("lone leading surrogate")
    {
        "a string holds an invalid \\u escape"
    } else if text.starts_with("expected ident") {
        "a word that is not JSON (only true, false and null are allowed unquoted)"
    } else {
        return format!("the JSON is malformed: {text}");
    };
    plain.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_document_names_line_and_column() {
        let err = serde_json::from_str::<serde_json::Value>("{\n \"a\": [1,\n").unwrap_err();
        let e = describe(&err, 1);
        assert!(
            e.message().starts_with(
                "the file ends in the middle of a JSON value (truncated?) at line 3, column"
            ),
            "{}",
            e.message()
        );
        assert_eq!(e.line, 3);
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 0), (1, 1));
        assert_eq!(line_col("ab", 99), (1, 3));
    }
}
