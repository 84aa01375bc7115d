//! `cargo bench --bench memory [FILE…]`: where the bytes go when a big trace is opened. The
//! browser benchmark can only see the tab's total (WASM memory never shrinks); this one counts
//! every allocation natively and splits the load into its steps: the file's bytes, the peak while
//! parsing, what the loaded workspace keeps, and what the analysis adds. With no argument it
//! measures ingest's synthetic OTLP trace at 100k spans; pass the browser benchmark's generated
//! files (`$TMPDIR/spoor-bench/agent-*.otlp.json`) to see the same inputs as the page.
//!
//! Native pointers are 8 bytes and WASM's are 4, so the page keeps somewhat less than printed
//! here for the same spans; the split between steps is what this is for.

use spoor::analysis::{analyze_run, AnalysisConfig};
use spoor::ingest::synth::{otlp_json, Synth};
use spoor::ingest::{add_streamed, load, FileStream, InputFile};
use spoor::model::Workspace;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting live bytes and their high-water mark.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
    /// Counted as the allocator does it: a shrink gives bytes back in place, a growth may move
    /// the block (both copies live for a moment) — counted as moved, the worse case, as in
    /// WASM's allocator when the block is not the last one.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = layout.size();
        if new_size > old {
            let now = LIVE.load(Relaxed) + new_size;
            PEAK.fetch_max(now, Relaxed);
        }
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            LIVE.fetch_add(new_size, Relaxed);
            LIVE.fetch_sub(old, Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Live bytes now, with the high-water mark reset to them, so the next step's peak is its own.
fn checkpoint() -> usize {
    let live = LIVE.load(Relaxed);
    PEAK.store(live, Relaxed);
    live
}

fn measure(name: &str, bytes: Vec<u8>) {
    let base = checkpoint();
    let file = bytes.len();
    let ws = load(&[InputFile {
        name,
        bytes: &bytes,
    }]);
    let parse_peak = PEAK.load(Relaxed) - base;
    let spans: usize = ws.runs.iter().map(|r| r.spans.len()).sum();
    drop(bytes);
    // `base` counted the file's bytes, which are gone now.
    let kept = checkpoint() + file - base;
    let cfg = AnalysisConfig::default();
    let after_cfg = checkpoint();
    let analyses: Vec<_> = ws.runs.iter().map(|r| analyze_run(r, &cfg)).collect();
    let analysis_peak = PEAK.load(Relaxed) - after_cfg;
    let analysis_kept = LIVE.load(Relaxed) - after_cfg;
    let per = |b: usize| b as f64 / spans.max(1) as f64;
    let ratio = |b: usize| b as f64 / file.max(1) as f64;
    println!("{name}: {spans} spans, file {}", mib(file));
    println!(
        "  parse peak (file bytes included)   {:>12}  {:>7.0} B/span  {:.2}× file",
        mib(parse_peak + file),
        per(parse_peak + file),
        ratio(parse_peak + file)
    );
    println!(
        "  workspace kept                     {:>12}  {:>7.0} B/span  {:.2}× file",
        mib(kept),
        per(kept),
        ratio(kept)
    );
    println!(
        "  analysis kept / its peak           {:>12}  {:>7.0} B/span  peak {}",
        mib(analysis_kept),
        per(analysis_kept),
        mib(analysis_peak)
    );
    println!(
        "  high-water mark, file to analysis  {:>12}  {:>7.0} B/span  {:.2}× file",
        mib((parse_peak + file).max(kept + analysis_peak)),
        per((parse_peak + file).max(kept + analysis_peak)),
        ratio((parse_peak + file).max(kept + analysis_peak))
    );
    drop(analyses);
    drop(ws);
}

/// The page's way with a big file: read in 4 MB pieces through `FileStream`, never whole.
fn measure_streamed(path: &str) {
    use std::io::Read;
    let Ok(mut f) = std::fs::File::open(path) else {
        return;
    };
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    let base = checkpoint();
    let mut piece = vec![0u8; 4 << 20];
    let n = f.read(&mut piece).unwrap_or(0);
    let Some(mut stream) = FileStream::start(path, size, &piece[..n]) else {
        println!("  (not streamed: not one OTLP document)");
        return;
    };
    stream.push(&piece[..n]);
    loop {
        let n = f.read(&mut piece).unwrap_or(0);
        if n == 0 {
            break;
        }
        stream.push(&piece[..n]);
    }
    drop(piece);
    let Some(file) = stream.finish() else {
        println!("  (streaming gave up; the page reads this file whole)");
        return;
    };
    let spans = file.spans();
    let mut ws = Workspace::default();
    add_streamed(&mut ws, file);
    let parse_peak = PEAK.load(Relaxed) - base;
    let kept = checkpoint() - base;
    let cfg = AnalysisConfig::default();
    let after_cfg = checkpoint();
    let analyses: Vec<_> = ws.runs.iter().map(|r| analyze_run(r, &cfg)).collect();
    let analysis_peak = PEAK.load(Relaxed) - after_cfg;
    let high = parse_peak.max(kept + analysis_peak);
    println!("  streamed in 4 MB pieces, as the page reads files from 8 MB:");
    println!(
        "    parse peak {:>12}   kept {:>12}   high-water {:>12}  {:>5.0} B/span  {:.2}× file",
        mib(parse_peak),
        mib(kept),
        mib(high),
        high as f64 / spans.max(1) as f64,
        high as f64 / size.max(1) as f64
    );
    drop(analyses);
}

fn main() {
    println!(
        "one span record, before its strings and attributes: {} B",
        std::mem::size_of::<spoor::model::Span>()
    );
    let paths: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if paths.is_empty() {
        let doc = otlp_json(Synth {
            spans: 100_000,
            traces: 1,
            seed: 7,
        });
        measure("synthetic OTLP, 100k spans", doc.into_bytes());
    }
    for p in paths {
        match std::fs::read(&p) {
            Ok(bytes) => measure(&p, bytes),
            Err(e) => eprintln!("{p}: {e}"),
        }
        measure_streamed(&p);
    }
}
