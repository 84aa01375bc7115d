//! Share links: a URL that lands a teammate on the same view of the same run, with no server.
//!
//! The link is `#<view keys>&data=<payload>`: the view keys are [`ViewState::to_fragment`]'s,
//! and the payload is the run itself, redacted by default ([`redact`]), packed by [`encode_run`].
//! A fragment never reaches any server (browsers do not send it), which is the point: the trace
//! goes from one browser to the other through the link only.
//!
//! Payload format: base64url (no padding) of
//! `[version byte][CRC-32 of the deflated body, LE][raw deflate of the body]`; the body is the compact
//! binary of [`codec`] (string table, then the run). The version comes first and outside the
//! compression, so a later Spoor can change everything after it and still read old links.

mod attr_codec;
mod base64url;
mod codec;
mod error;
mod pack;
mod reader;
mod redact;
mod span_codec;
mod wire;

#[cfg(feature = "formats")]
pub(crate) use codec::{format_name, put_run};
pub(crate) use codec::{format_named, get_run_paced};
pub use error::ShareError;
pub use pack::{payload_paced, Deflate, Miniz};
pub use redact::{keeps_text, marker, redact, RedactOptions};

use crate::model::Run;
use crate::view::state::{pairs, ViewState};

/// The payload format this build writes and reads.
pub const FORMAT_VERSION: u8 = 1;

/// Decompressed payloads larger than this are refused: a few kilobytes of link can inflate to
/// gigabytes (a "zip bomb"), and the browser tab would die first. A 5,000-span run with all its
/// text is far below this.
pub const MAX_UNPACKED_BYTES: usize = 64_000_000;

/// Links longer than this may be cut or refused by chat tools and issue trackers (Slack, Teams
/// and most ticket systems start truncating or rejecting somewhere around 8,000 characters).
pub const CHAT_LIMIT_CHARS: usize = 8_000;

/// Browsers keep far longer fragments (Chrome about 2 MB, Firefox more); past this a link will
/// not open at all, so the UI should offer a file download instead.
pub const BROWSER_LIMIT_CHARS: usize = 2_000_000;

/// The fragment key that carries the run.
pub const DATA_KEY: &str = "data";

/// Packs a run (as given: call [`redact`] first to leave text out) into URL-safe text made of
/// `A–Z a–z 0–9 - _` only, so it never needs escaping and never contains `&`, `=` or `#`.
pub fn encode_run(run: &Run) -> String {
    let pace = &mut crate::pace::Pace::never();
    crate::pace::block_on(pack::encode_in_slices(run, pace, &Miniz)).expect("miniz never fails")
}

/// Unpacks what [`encode_run`] wrote. Any damage (cut short, characters changed, a link from a
/// newer Spoor, crafted bytes) is a [`ShareError`] saying so; it never panics.
pub fn decode_run(text: &str) -> Result<Run, ShareError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ShareError::Empty);
    }
    let raw = base64url::decode(text)?;
    let (&version, rest) = raw.split_first().ok_or(ShareError::Truncated)?;
    if version != FORMAT_VERSION {
        return Err(ShareError::UnknownVersion(version));
    }
    let (crc, packed) = rest.split_at_checked(4).ok_or(ShareError::Truncated)?;
    if base64url::crc32(packed) != u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]) {
        return Err(ShareError::Checksum);
    }
    let body = miniz_oxide::inflate::decompress_to_vec_with_limit(packed, MAX_UNPACKED_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
            _ => ShareError::Decompress,
        })?;
    codec::get_run(&body)
}

/// The fragment (without `#`) for a link to `view` carrying `run`, redacted unless
/// `opts.include_text`.
pub fn fragment_with_data(view: &ViewState, run: &Run, opts: &RedactOptions) -> String {
    fragment_with_payload(view, &payload(run, opts))
}

/// The `data=` value of a link carrying `run`, redacted unless `opts.include_text`. Apart from
/// the view keys so a page packs a run once and reuses it while the view changes: packing is
/// the slow part (seconds for a 100,000-span run), the view keys are not.
pub fn payload(run: &Run, opts: &RedactOptions) -> String {
    let pace = &mut crate::pace::Pace::never();
    crate::pace::block_on(payload_paced(run, opts, pace, &Miniz)).expect("miniz never fails")
}

/// The fragment (without `#`) for a link to `view` carrying a [`payload`].
pub fn fragment_with_payload(view: &ViewState, data: &str) -> String {
    let view = view.to_fragment();
    if view.is_empty() {
        format!("{DATA_KEY}={data}")
    } else {
        format!("{view}&{DATA_KEY}={data}")
    }
}

/// The run a fragment carries: `None` when it has no `data=` key (an ordinary view link),
/// `Some(Err)` when it has one that cannot be read.
pub fn data_from_fragment(fragment: &str) -> Option<Result<Run, ShareError>> {
    pairs(fragment)
        .into_iter()
        .find(|(k, _)| k == DATA_KEY)
        .map(|(_, v)| decode_run(&v))
}

/// A link's size, so the UI can show it and warn before the user pastes it into chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkReport {
    /// Characters in the whole link (or fragment) measured.
    pub chars: usize,
    /// At most [`CHAT_LIMIT_CHARS`]: safe to paste into chat tools and tickets.
    pub fits_chat: bool,
}

impl LinkReport {
    /// Measures a link or fragment.
    pub fn of(link: &str) -> LinkReport {
        let chars = link.chars().count();
        LinkReport {
            chars,
            fits_chat: chars <= CHAT_LIMIT_CHARS,
        }
    }

    /// Whether browsers will open it at all (see [`BROWSER_LIMIT_CHARS`]).
    pub fn fits_browser(&self) -> bool {
        self.chars <= BROWSER_LIMIT_CHARS
    }
}
