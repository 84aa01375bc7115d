// Starts Spoor's formats module (formats/, built by trunk as a no-modules worker) in this worker.
// Our own bootstrap rather than trunk's loader shim, so that a module that cannot be fetched or
// compiled says so to the page instead of leaving it waiting for an answer.
importScripts('./spoor-formats.js');
wasm_bindgen({ module_or_path: './spoor-formats_bg.wasm' }).catch((err) => postMessage('failed: ' + err));
