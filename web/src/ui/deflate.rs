//! Share links compressed by the browser's own deflate (`CompressionStream`), so miniz's
//! compressor (~7 KB of gzip) is not in the page's download: see `share::pack`. Every browser
//! Spoor supports has it (`deflate-raw`: Chrome 103, Firefox 113, Safari 16.4).

use super::dom;
use crate::pace::{Pace, Paced};
use crate::share::Deflate;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStream, ReadableWritablePair, Response, WritableStream};

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

/// Raw deflate through `CompressionStream("deflate-raw")`, which compresses off the page's
/// script, a chunk at a time, as the blob of the body streams through it.
pub struct BrowserDeflate;

impl Deflate for BrowserDeflate {
    fn deflate<'a, 'p: 'a>(
        &'a self,
        body: Vec<u8>,
        _: &'a mut Pace<'p>,
    ) -> Paced<'a, Result<Vec<u8>, String>> {
        Box::pin(async move {
            let cannot = |why: String| format!("this browser could not compress the link: {why}");
            let parts: Vec<&[u8]> = body.chunks(4 << 20).collect();
            let blob = dom::blob_in_parts(&parts, "application/octet-stream")
                .await
                .ok_or_else(|| cannot("it ran out of memory".into()))?;
            drop(body);
            let stream =
                CompressionStream::new("deflate-raw").map_err(|e| cannot(dom::describe(e)))?;
            let pair = ReadableWritablePair::new(&stream.readable(), &stream.writable());
            let packed = blob.stream().pipe_through(&pair);
            let response = Response::new_with_opt_readable_stream(Some(&packed))
                .map_err(|e| cannot(dom::describe(e)))?;
            let buffer = response
                .array_buffer()
                .map_err(|e| cannot(dom::describe(e)))?;
            let buffer = JsFuture::from(buffer)
                .await
                .map_err(|e| cannot(dom::describe(e)))?;
            Ok(dom::copy_in_pieces(&js_sys::Uint8Array::new(&buffer)).await)
        })
    }
}
