//! Packing a run into link text in slices. A big run takes seconds to redact, encode and
//! compress (23 µs a span on the page before this: 2.3 s at 100,000 spans, in one block), so on
//! the page each step rests as its [`Pace`] says: the redaction and the encoding once per span,
//! the compression once per piece of its input. Natively [`Pace::never`] gives the same text in
//! one call ([`super::payload`], [`super::encode_run`]).
//!
//! The compressor is the caller's ([`Deflate`]): natively miniz ([`Miniz`]); the page passes the
//! browser's own `CompressionStream`, so miniz's compressor (~7 KB of gzip) is not in its
//! download. Any raw deflate reads back the same, and the page's links are 0.2 % longer (zlib's
//! level 6 against miniz's 10, on the 500-span link of `cargo bench --bench share_links`).

use super::{base64url, codec, redact, RedactOptions, FORMAT_VERSION};
use crate::model::Run;
use crate::pace::{Pace, Paced};
use miniz_oxide::deflate::core::{
    compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};

/// Bodies up to this size are compressed hardest (level 10): they make the links that fit in
/// chat, where every byte counts. Above it level 6 is three times faster and 0.4 % bigger (a
/// 100,000-span body of 4.7 MB: 232 against 648 ms natively), and such a link is megabytes anyway.
const HARDEST_UP_TO: usize = 1 << 20;

/// Input bytes compressed between two looks at the clock: a few milliseconds of work.
const PIECE: usize = 64 * 1024;

/// Raw deflate (no zlib header) of a link's body, for [`payload_paced`].
pub trait Deflate {
    /// `body` compressed, or why it could not be (a browser without `CompressionStream`).
    fn deflate<'a, 'p: 'a>(
        &'a self,
        body: Vec<u8>,
        pace: &'a mut Pace<'p>,
    ) -> Paced<'a, Result<Vec<u8>, String>>;
}

/// miniz_oxide's compressor, fed a [`PIECE`] at a time.
pub struct Miniz;

impl Deflate for Miniz {
    fn deflate<'a, 'p: 'a>(
        &'a self,
        body: Vec<u8>,
        pace: &'a mut Pace<'p>,
    ) -> Paced<'a, Result<Vec<u8>, String>> {
        Box::pin(async move { Ok(deflate_in_pieces(&body, pace).await) })
    }
}

/// [`super::payload`], resting as `pace` says, compressed by `deflate`; the stages are
/// "redact", "encode" and "compress".
pub fn payload_paced<'a, 'p: 'a>(
    run: &'a Run,
    opts: &'a RedactOptions,
    pace: &'a mut Pace<'p>,
    deflate: &'a dyn Deflate,
) -> Paced<'a, Result<String, String>> {
    Box::pin(async move {
        pace.enter("redact").await;
        let mut run = redact::redact_paced(run, opts, pace).await;
        let text = encode_in_slices(&run, pace, deflate).await;
        // The redacted copy goes a piece at a time too: freeing a million spans at once held
        // the page.
        let mut spans = std::mem::take(&mut run.spans);
        while !spans.is_empty() {
            spans.truncate(spans.len().saturating_sub(4096));
            pace.point().await;
        }
        text
    })
}

/// [`super::encode_run`] in slices.
pub(super) async fn encode_in_slices(
    run: &Run,
    pace: &mut Pace<'_>,
    deflate: &dyn Deflate,
) -> Result<String, String> {
    pace.enter("encode").await;
    let body = codec::put_run_paced(run, pace).await;
    pace.enter("compress").await;
    let packed = deflate.deflate(body, pace).await?;
    let mut crc = !0u32;
    for piece in packed.chunks(PIECE) {
        crc = base64url::crc32_update(crc, piece);
        pace.point().await;
    }
    let mut raw = Vec::with_capacity(packed.len() + 5);
    raw.push(FORMAT_VERSION);
    raw.extend_from_slice(&(!crc).to_le_bytes());
    raw.extend_from_slice(&packed);
    drop(packed);
    // Pieces of a multiple of 3 bytes encode to the text of one call.
    let mut text = String::with_capacity(raw.len().div_ceil(3) * 4);
    for piece in raw.chunks(3 * PIECE) {
        base64url::encode_into(&mut text, piece);
        pace.point().await;
    }
    Ok(text)
}

/// Raw deflate of `body`, fed to the compressor a [`PIECE`] at a time: the same bytes as
/// compressing it in one call.
async fn deflate_in_pieces(body: &[u8], pace: &mut Pace<'_>) -> Vec<u8> {
    let level = if body.len() <= HARDEST_UP_TO { 10 } else { 6 };
    // Window bits 0: raw deflate, no zlib header (as `compress_to_vec`).
    let mut compressor = CompressorOxide::new(create_comp_flags_from_zip_params(level, 0, 0));
    let mut out = vec![0; (body.len() / 2).max(64)];
    let (mut at, mut written) = (0, 0);
    loop {
        let end = (at + PIECE).min(body.len());
        let flush = if end == body.len() {
            TDEFLFlush::Finish
        } else {
            TDEFLFlush::None
        };
        let (status, read, wrote) =
            compress(&mut compressor, &body[at..end], &mut out[written..], flush);
        at += read;
        written += wrote;
        match status {
            TDEFLStatus::Done => break,
            TDEFLStatus::Okay => {
                if out.len() - written < 1024 {
                    out.resize(out.len() * 2, 0);
                }
            }
            // Only a bad parameter or a bug in the compressor gets here: pack in one call.
            _ => return miniz_oxide::deflate::compress_to_vec(body, level as u8),
        }
        pace.point().await;
    }
    out.truncate(written);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text that compresses like a run's body: repeated names and ids, varying numbers.
    fn body(len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len);
        let mut i = 0u64;
        while out.len() < len {
            out.extend_from_slice(
                format!("span-{} llm.call {} tokens ", i % 97, i * 7919 % 1000).as_bytes(),
            );
            i += 1;
        }
        out.truncate(len);
        out
    }

    #[test]
    fn compressing_in_pieces_gives_the_bytes_of_one_call() {
        for len in [
            0,
            1,
            100,
            PIECE - 1,
            PIECE,
            PIECE + 1,
            5 * PIECE / 2,
            HARDEST_UP_TO + 3 * PIECE,
        ] {
            let body = body(len);
            let level = if len <= HARDEST_UP_TO { 10 } else { 6 };
            let pieces = crate::pace::block_on(deflate_in_pieces(&body, &mut Pace::never()));
            assert_eq!(
                pieces,
                miniz_oxide::deflate::compress_to_vec(&body, level),
                "{len} bytes"
            );
            let back = miniz_oxide::inflate::decompress_to_vec(&pieces).expect("inflates");
            assert_eq!(back, body, "{len} bytes");
        }
    }
}
