//! Share links compressed by the browser's own deflate (`CompressionStream`), so miniz's
//! compressor (~7 KB of gzip) is not in the page's download: see `share::pack`. Every browser
//! Spoor supports has it (`deflate-raw`: Chrome 103, Firefox 113, Safari 16.4).

use super::dom;
use crate::pace::{Pace, Paced};
use crate::share::Deflate;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStream, Response, WritableStream};

// web-sys has `CompressionStream` only behind `web_sys_unstable_apis`; these few lines bind it.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(extends = js_sys::Object)]
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &CompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &CompressionStream) -> WritableStream;
}

/// Raw deflate through `CompressionStream("deflate-raw")`, written 64 KB at a time with a rest
/// when the pace says so: piping a whole blob through it compresses every chunk in one run of
/// promise jobs, which held the page for 0.2 s at 100,000 spans.
pub struct BrowserDeflate;

/// Bytes handed to the compressor at a time: a millisecond or two of its work.
const PIECE: usize = 64 * 1024;

impl Deflate for BrowserDeflate {
    fn deflate<'a, 'p: 'a>(
        &'a self,
        body: Vec<u8>,
        pace: &'a mut Pace<'p>,
    ) -> Paced<'a, Result<Vec<u8>, String>> {
        Box::pin(async move {
            let cannot = |e: JsValue| {
                let why = dom::describe(e);
                format!("This browser cannot compress the link ({why}): link to the hosted file.")
            };
            let stream = CompressionStream::new("deflate-raw").map_err(cannot)?;
            // Read the output as it comes, while the input is written.
            let response =
                Response::new_with_opt_readable_stream(Some(&stream.readable())).map_err(cannot)?;
            let packed = JsFuture::from(response.array_buffer().map_err(cannot)?);
            let writer = stream.writable().get_writer().map_err(cannot)?;
            for piece in body.chunks(PIECE) {
                let chunk = js_sys::Uint8Array::from(piece);
                JsFuture::from(writer.write_with_chunk(&chunk))
                    .await
                    .map_err(cannot)?;
                pace.point().await;
            }
            drop(body);
            JsFuture::from(writer.close()).await.map_err(cannot)?;
            let buffer = packed.await.map_err(cannot)?;
            Ok(dom::copy_in_pieces(&js_sys::Uint8Array::new(&buffer)).await)
        })
    }
}
