//! Files in formats other than OTLP are read by a second module (the formats worker, `formats/`),
//! so that their importers and the seed joins (56 KiB gzip of wasm) are downloaded only by those
//! who open such a file. This is what crosses between the two: the worker reads a batch into a
//! workspace of its own with [`read_batch`], and the page applies the answer to its workspace
//! with [`apply_batch`]. The result is the workspace [`super::add_files`] would have made.
//!
//! The worker keeps every file it was given (side files join runs read earlier: a seed log
//! dropped after its traces), and its file ids are the page's: before a batch it fills the ids
//! of the page's own files with placeholders. Runs cross in the share links' codec, which keeps
//! every field exactly (`share::put_run`).
//!
//! Answer layout (little-endian): a version byte; the page's file count it was made for; the
//! files (every file the worker holds, with its id, since a join can add spans to a file read
//! before); the problems this batch raised; the runs it touched, each a `put_run` payload.

use super::Touched;
#[cfg(feature = "formats")]
use crate::model::Run;
use crate::model::{FileId, Problem, Severity, SourceFile, Workspace};
use crate::pace::{Pace, Paced};
use crate::share;

/// The answer format this build writes and reads: both modules come from one build.
const VERSION: u8 = 1;

/// A file id the page gave to one of its own files: the worker holds nothing there.
#[cfg(feature = "formats")]
const PLACEHOLDER_SIZE: u64 = u64::MAX;

/// Reads `files` into the worker's workspace `side`, where the page's next file id is `base`,
/// and returns the answer for [`apply_batch`].
#[cfg(feature = "formats")]
pub fn read_batch(side: &mut Workspace, base: usize, files: &[super::InputFile]) -> Vec<u8> {
    // The page holds every file the worker read, so a worker holding more than the page has
    // files is left from a workspace the page has replaced (it asks for a reset then): start
    // again rather than give the page ids it uses for other files.
    if side.files.len() > base {
        *side = Workspace::default();
    }
    // Ids the page used meanwhile for its own files are held by placeholders, so the worker's
    // next ids are the page's.
    while side.files.len() < base {
        side.files.push(SourceFile {
            size: PLACEHOLDER_SIZE,
            ..SourceFile::default()
        });
    }
    let problems_before = side.problems.len();
    let touched = super::add_files(side, files);
    let mut w = Vec::new();
    w.push(VERSION);
    put_u64(&mut w, base as u64);
    let held: Vec<(usize, &SourceFile)> = (side.files.iter().enumerate())
        .filter(|(_, f)| f.size != PLACEHOLDER_SIZE)
        .collect();
    put_u64(&mut w, held.len() as u64);
    for (id, f) in held {
        put_u64(&mut w, id as u64);
        put_str(&mut w, &f.name);
        put_u64(&mut w, f.size);
        put_u64(&mut w, f.formats.len() as u64);
        for &format in &f.formats {
            put_str(&mut w, &share::format_name(format));
        }
        put_u64(&mut w, f.spans);
        put_u64(&mut w, f.content_hash);
    }
    let problems = &side.problems[problems_before..];
    put_u64(&mut w, problems.len() as u64);
    for p in problems {
        w.push(u8::from(p.severity == Severity::Warning));
        put_str(&mut w, &p.file);
        match &p.place {
            Some(place) => {
                w.push(1);
                put_str(&mut w, place);
            }
            None => w.push(0),
        }
        put_str(&mut w, &p.message);
    }
    let runs: Vec<&Run> = (side.runs.iter())
        .filter(|r| touched.includes(&r.id))
        .collect();
    put_u64(&mut w, runs.len() as u64);
    for run in runs {
        let payload = share::put_run(run);
        put_u64(&mut w, payload.len() as u64);
        w.extend_from_slice(&payload);
    }
    w
}

/// Applies the worker's answer to the page's workspace: its files take their ids, its problems
/// are added, and each run it sends replaces the page's run of that id (the worker's is the
/// whole of it: runs merge by id, and the worker holds every file in its formats) or joins the
/// runs in start order. Returns the runs it touched, to analyse again.
///
/// The one case that differs from reading every file in one module: a run id found both in the
/// page's OTLP files and in the worker's files. The two are not merged; the worker's run is shown
/// beside the page's under a suffixed id, with a warning.
pub fn apply_batch(ws: &mut Workspace, answer: &[u8]) -> Result<Touched, String> {
    crate::pace::block_on(apply_in_slices(ws, answer, &mut Pace::never()))
}

/// [`apply_batch`], resting as `pace` says while it reads the runs (a third of a second for a
/// 100,000-span run on the page).
pub fn apply_batch_paced<'a, 'p: 'a>(
    ws: &'a mut Workspace,
    answer: &'a [u8],
    pace: &'a mut Pace<'p>,
) -> Paced<'a, Result<Touched, String>> {
    Box::pin(apply_in_slices(ws, answer, pace))
}

async fn apply_in_slices(
    ws: &mut Workspace,
    answer: &[u8],
    pace: &mut Pace<'_>,
) -> Result<Touched, String> {
    let mut r = Bytes(answer);
    if r.byte()? != VERSION {
        return Err("the formats module is from another build of Spoor; reload the page".into());
    }
    if r.u64()? != ws.files.len() as u64 {
        return Err("the answer was made for another set of loaded files".into());
    }
    let mut side_files = Vec::new();
    for _ in 0..r.count()? {
        let id = usize::try_from(r.u64()?).map_err(|_| "a file id is too large".to_string())?;
        let name = r.str()?;
        let size = r.u64()?;
        let mut formats = Vec::new();
        for _ in 0..r.count()? {
            let named = r.str()?;
            formats.push(
                share::format_named(&named).ok_or_else(|| format!("unknown format {named}"))?,
            );
        }
        let file = SourceFile {
            name,
            size,
            formats,
            spans: r.u64()?,
            content_hash: r.u64()?,
        };
        side_files.push((id, file));
    }
    let mut problems = Vec::new();
    for _ in 0..r.count()? {
        let severity = if r.byte()? == 1 {
            Severity::Warning
        } else {
            Severity::Error
        };
        let file = r.str()?;
        let place = if r.byte()? == 1 { Some(r.str()?) } else { None };
        let message = r.str()?;
        problems.push(Problem {
            severity,
            file,
            place,
            message,
        });
    }
    let mut runs = Vec::new();
    for _ in 0..r.count()? {
        let len = r.count()?;
        let payload = r.take(len)?;
        let run = share::get_run_paced(payload, usize::MAX, pace).await;
        runs.push(run.map_err(|e| e.to_string())?);
    }
    if !r.0.is_empty() {
        return Err("there are bytes after the answer".into());
    }
    // Files first: the runs name them.
    let side: crate::fasthash::FastSet<FileId> =
        side_files.iter().map(|(id, _)| *id as FileId).collect();
    for (id, file) in side_files {
        match id.cmp(&ws.files.len()) {
            std::cmp::Ordering::Less => ws.files[id] = file,
            std::cmp::Ordering::Equal => ws.files.push(file),
            std::cmp::Ordering::Greater => {
                return Err(format!("file id {id} is past the page's files"));
            }
        }
    }
    ws.problems.extend(problems);
    let mut touched = Touched::default();
    for mut run in runs {
        match ws.runs.iter().position(|r| r.id == run.id) {
            Some(i) if ws.runs[i].files.iter().all(|f| side.contains(f)) => {
                touched.runs.insert(run.id.clone());
                ws.runs[i] = run;
            }
            Some(_) => {
                let id = format!("{} (2)", run.id);
                ws.problems.push(Problem {
                    severity: Severity::Warning,
                    file: (run.files.first())
                        .and_then(|&f| ws.files.get(f as usize))
                        .map(|f| f.name.clone())
                        .unwrap_or_default(),
                    place: None,
                    message: format!(
                        "run {} is also in an OTLP file; the two are shown as separate runs, \
                         this one as {id}",
                        run.id
                    ),
                });
                run.id = id;
                touched.runs.insert(run.id.clone());
                ws.runs.push(run);
            }
            None => {
                touched.runs.insert(run.id.clone());
                ws.runs.push(run);
            }
        }
    }
    crate::sorting::sort_by(&mut ws.runs, super::assemble::by_start);
    Ok(touched)
}

#[cfg(feature = "formats")]
fn put_u64(w: &mut Vec<u8>, v: u64) {
    w.extend_from_slice(&v.to_le_bytes());
}

#[cfg(feature = "formats")]
fn put_str(w: &mut Vec<u8>, s: &str) {
    put_u64(w, s.len() as u64);
    w.extend_from_slice(s.as_bytes());
}

/// Reads an answer; every length is checked against what is left, and nothing panics.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let (head, rest) = (self.0)
            .split_at_checked(n)
            .ok_or_else(|| "the answer is cut short".to_string())?;
        self.0 = rest;
        Ok(head)
    }
    fn byte(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u64(&mut self) -> Result<u64, String> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes([
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
        ]))
    }
    /// A count or length: never more than the bytes left, so a bad answer cannot make the page
    /// allocate for it.
    fn count(&mut self) -> Result<usize, String> {
        let n = self.u64()?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= self.0.len())
            .ok_or_else(|| "a count in the answer is too large".to_string())
    }
    fn str(&mut self) -> Result<String, String> {
        let n = self.count()?;
        let b = self.take(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| "a text in the answer is not UTF-8".to_string())
    }
}
