//! Why a share link could not be opened, in words for the person who clicked it. Links travel
//! through chat tools that cut, wrap and "fix" text, so every way the data can arrive broken has
//! its own variant and message instead of a panic (which would kill the page in WASM).

use std::fmt;

/// A share link's `data=` payload could not be turned back into a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// `data=` is present but empty.
    Empty,
    /// A character outside the base64url alphabet: the link was changed or wrapped.
    NotBase64 { position: usize, found: char },
    /// The first byte names a format this build does not read (a newer Spoor made the link).
    UnknownVersion(u8),
    /// The compressed stream is broken although its checksum matched (a crafted link).
    Decompress,
    /// The checksum differs: characters were changed, or the link was cut short.
    Checksum,
    /// The data unpacks to more than [`super::MAX_UNPACKED_BYTES`]; refused to protect the tab.
    TooLarge,
    /// The data ends in the middle of a record.
    Truncated,
    /// The data is well formed but says something impossible (a parent index out of range, …).
    Invalid(String),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self {
            ShareError::Empty => "there is nothing after `data=`".to_string(),
            ShareError::NotBase64 { position, found } => format!(
                "character '{}' at position {position} cannot appear in it; \
                 was the link changed or wrapped?",
                found.escape_default()
            ),
            ShareError::UnknownVersion(v) => format!(
                "it is in format version {v}, and this Spoor reads version {}; \
                 it may come from a newer Spoor",
                super::FORMAT_VERSION
            ),
            ShareError::Decompress => {
                "it does not unpack".into()
            }
            ShareError::Checksum => {
                "its checksum does not match; some characters were changed, or the link was cut short"
                    .into()
            }
            ShareError::TooLarge => format!(
                "it unpacks to more than {} MB, more than a shared run can hold",
                super::MAX_UNPACKED_BYTES / 1_000_000
            ),
            ShareError::Truncated => "it ends in the middle of a record".into(),
            ShareError::Invalid(what) => what.clone(),
        };
        write!(f, "the link's data is damaged ({why})")
    }
}

impl std::error::Error for ShareError {}
