//! The built-in demo run is shipped as the formats worker's answer for its four files
//! (`demo/code-review-agent.handoff`), so a first visit shows it without downloading the worker.
//! That answer must be what the worker would say today: this test reads the files again and
//! compares. After a change to an importer or to the codec, write it anew with
//! `SPOOR_WRITE_DEMO=1 cargo test --test demo_answer`.

use spoor::ingest::{handoff, InputFile};
use spoor::model::Workspace;

const DIR: &str = "demo/code-review-agent";
const ANSWER: &str = "demo/code-review-agent.handoff";
/// The names the page gives the demo's files (`web/src/ui/loader.rs`): they are what the file
/// list and the problems show.
const FILES: [&str; 4] = ["traces.json", "log.json", "tokens.json", "metrics.json"];

fn answer_now() -> Vec<u8> {
    let bytes: Vec<Vec<u8>> = FILES
        .iter()
        .map(|f| std::fs::read(format!("{DIR}/{f}")).expect("demo file"))
        .collect();
    let names: Vec<String> = FILES.iter().map(|f| format!("demo/{f}")).collect();
    let files: Vec<InputFile> = (names.iter().zip(&bytes))
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    handoff::read_batch(&mut Workspace::default(), 0, &files)
}

#[test]
fn the_shipped_demo_answer_is_what_the_worker_says_today() {
    let now = answer_now();
    if std::env::var_os("SPOOR_WRITE_DEMO").is_some() {
        std::fs::write(ANSWER, &now).expect("write the demo answer");
    }
    let shipped = std::fs::read(ANSWER).expect("the demo answer is in the repository");
    assert!(
        shipped == now,
        "{ANSWER} is stale: write it anew with `SPOOR_WRITE_DEMO=1 cargo test --test demo_answer`"
    );
    // And it opens as the demo: one run, its four files, and traces.json's 29 spans (python3:
    // the root of its one trace and its `children`, recursively).
    let mut ws = Workspace::default();
    handoff::apply_batch(&mut ws, &shipped).expect("the demo answer applies");
    let names: Vec<&str> = ws.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, FILES.map(|f| format!("demo/{f}")));
    assert_eq!(ws.files[0].spans, 29);
    assert_eq!(ws.runs.len(), 1);
    let counted: u64 = ws.files.iter().map(|f| f.spans).sum();
    assert_eq!(ws.runs[0].spans.len() as u64, counted);
}
