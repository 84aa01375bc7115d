//! `spoor`: the page's ingest and analysis on the command line, for terminals and CI.
//! See `spoor --help`.

#[path = "../cli/args.rs"]
mod args;
#[path = "../cli/fail_on.rs"]
mod fail_on;
#[path = "../cli/report.rs"]
mod report;

use args::{Command, USAGE};
use fail_on::Condition;
use spoor::analysis::{analyze_run, AnalysisConfig};
use spoor::ingest::{load, InputFile};
use spoor::model::Severity;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match args::parse(&argv) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::Analyze(a)) => analyze(a),
        Err(msg) => {
            eprintln!("spoor: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Expands directories into the files under them, sorted, so a scenario folder loads as one.
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            collect(&e, out)?;
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}

fn analyze(a: args::Args) -> ExitCode {
    let mut paths = Vec::new();
    for p in &a.paths {
        if let Err(e) = collect(Path::new(p), &mut paths) {
            eprintln!("spoor: cannot read {p}: {e}");
            return ExitCode::from(2);
        }
    }
    let mut contents = Vec::with_capacity(paths.len());
    for p in &paths {
        match std::fs::read(p) {
            Ok(bytes) => contents.push((p.display().to_string(), bytes)),
            Err(e) => {
                eprintln!("spoor: cannot read {}: {e}", p.display());
                return ExitCode::from(2);
            }
        }
    }
    let inputs: Vec<InputFile> = contents
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    let ws = load(&inputs);
    let cfg = AnalysisConfig::default();
    let analyses: Vec<_> = ws.runs.iter().map(|r| analyze_run(r, &cfg)).collect();

    if a.json {
        println!("{}", report::workspace_json(&ws, &analyses));
    } else {
        print!("{}", report::workspace_text(&ws, &analyses));
    }

    let mut failed = false;
    for cond in &a.fail_on {
        if *cond == Condition::LoadErrors {
            for p in ws.problems.iter().filter(|p| p.severity == Severity::Error) {
                eprintln!("spoor: --fail-on load_errors: {}: {}", p.file, p.message);
                failed = true;
            }
            continue;
        }
        for (run, an) in ws.runs.iter().zip(&analyses) {
            if let Some(why) = cond.check(run, an) {
                eprintln!("spoor: --fail-on: run {} ({}): {why}", run.id, run.name);
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
