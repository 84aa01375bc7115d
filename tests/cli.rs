//! The built `spoor` binary over the shared fixtures: every file alone, every seed scenario
//! folder together, JSON figures, and `--fail-on` exit codes. Expected figures were read out of
//! the raw files with python3 (see tests/analysis_fixtures.rs for the derivations).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::FIXTURES;

fn spoor(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spoor"))
        .args(args)
        .output()
        .expect("run spoor")
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else if p.extension().is_some_and(|x| x == "json" || x == "jsonl") {
            out.push(p);
        }
    }
}

fn check_shape(v: &Value, what: &str) {
    assert!(v["errors"].is_array() && v["warnings"].is_array(), "{what}");
    for r in v["runs"].as_array().unwrap() {
        for key in [
            "id",
            "name",
            "spans",
            "llm_calls",
            "tool_calls",
            "error_spans",
            "input_tokens",
            "output_tokens",
            "cost_usd",
            "reported_cost_usd",
            "duration_ms",
            "anomalies",
        ] {
            assert!(r.get(key).is_some(), "{what}: run lacks {key}");
        }
        for a in r["anomalies"].as_array().unwrap() {
            assert!(a["kind"].is_string() && a["message"].is_string(), "{what}");
            assert!(
                a["span_ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(Value::is_string),
                "{what}"
            );
        }
        // Computed cost is a number or null, never a made-up zero for unknown models.
        if r["cost_usd"] == 0.0 {
            panic!("{what}: computed cost 0");
        }
    }
    for e in v["errors"].as_array().unwrap() {
        assert!(e["file"].is_string() && e["message"].is_string(), "{what}");
    }
}

#[test]
fn every_fixture_file_alone_gives_json() {
    let mut files = Vec::new();
    files_under(Path::new(FIXTURES), &mut files);
    files.sort();
    assert!(files.len() >= 60, "found {} fixture files", files.len());
    for f in &files {
        let name = f.display().to_string();
        let out = spoor(&["analyze", "--json", &name]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        check_shape(&json_of(&out), &name);
    }
}

#[test]
fn every_seed_scenario_folder_together() {
    let seed = Path::new(FIXTURES).join("seed-formats");
    let mut dirs: Vec<PathBuf> = vec![];
    for e in std::fs::read_dir(&seed).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            let subdirs: Vec<PathBuf> = std::fs::read_dir(&p)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.is_dir())
                .collect();
            if subdirs.is_empty() {
                dirs.push(p);
            } else {
                dirs.extend(subdirs);
            }
        }
    }
    dirs.sort();
    assert!(dirs.len() >= 8, "{dirs:?}");
    for d in &dirs {
        let name = d.display().to_string();
        let out = spoor(&["analyze", "--json", &name]);
        assert_eq!(out.status.code(), Some(0), "{name}");
        let v = json_of(&out);
        check_shape(&v, &name);
        assert!(!v["runs"].as_array().unwrap().is_empty(), "{name}: no runs");
    }
}

fn c_loop() -> String {
    format!("{FIXTURES}/seed-formats/seed000-code-review-agent/c_loop")
}

fn a_success() -> String {
    format!("{FIXTURES}/seed-formats/seed000-code-review-agent/a_success")
}

#[test]
fn loop_scenario_figures_in_json() {
    let v = json_of(&spoor(&["analyze", "--json", &c_loop()]));
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let r = &runs[0];
    assert_eq!(r["spans"], 39);
    assert_eq!(r["llm_calls"], 10);
    assert_eq!(r["tool_calls"], 9);
    assert_eq!(r["input_tokens"], 10060);
    assert_eq!(r["output_tokens"], 333);
    assert!((r["reported_cost_usd"].as_f64().unwrap() - 0.02848).abs() < 1e-9);
    let kinds: Vec<&str> = r["anomalies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"loop"), "{kinds:?}");
    let lp = r["anomalies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "loop")
        .unwrap();
    assert_eq!(lp["span_ids"].as_array().unwrap().len(), 9);
    assert!(lp["message"].as_str().unwrap().contains("read_file"));
}

#[test]
fn fail_on_exit_codes() {
    let code = |args: &[&str]| spoor(args).status.code();
    assert_eq!(code(&["analyze", "--fail-on", "loop", &c_loop()]), Some(1));
    assert_eq!(
        code(&["analyze", "--fail-on", "loop", &a_success()]),
        Some(0)
    );
    assert_eq!(
        code(&["analyze", "--fail-on", "retry,errors", &a_success()]),
        Some(0)
    );
    assert_eq!(
        code(&["analyze", "--fail-on", "cost>0.01", &c_loop()]),
        Some(1)
    );
    assert_eq!(
        code(&["analyze", "--fail-on", "cost>0.5,duration>60", &c_loop()]),
        Some(0)
    );
    assert_eq!(
        code(&["analyze", "--fail-on", "tokens>10000", &c_loop()]),
        Some(1)
    );
    assert_eq!(
        code(&["analyze", "--fail-on", "tokens>100000", &c_loop()]),
        Some(0)
    );
    assert_eq!(
        code(&[
            "analyze",
            "--json",
            "--fail-on=too_many_iterations",
            &c_loop()
        ]),
        Some(1)
    );
    let b_errors = format!("{FIXTURES}/seed-formats/seed000-code-review-agent/b_errors");
    assert_eq!(
        code(&["analyze", "--fail-on", "errors", &b_errors]),
        Some(1)
    );
    // The reason is printed.
    let out = spoor(&["analyze", "--fail-on", "loop", &c_loop()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("read_file"));
    // Bad usage and unreadable files: 2.
    assert_eq!(code(&["analyze", "--fail-on", "bogus", &c_loop()]), Some(2));
    assert_eq!(
        code(&["analyze", "--fail-on", "cost>abc", &c_loop()]),
        Some(2)
    );
    assert_eq!(code(&["analyze"]), Some(2));
    assert_eq!(code(&["frobnicate"]), Some(2));
    assert_eq!(code(&["analyze", "/nonexistent/spoor-test.json"]), Some(2));
    assert_eq!(code(&["--help"]), Some(0));
    assert!(String::from_utf8_lossy(&spoor(&["--help"]).stdout).contains("--fail-on"));
}

#[test]
fn text_summary_is_readable() {
    let out = spoor(&["analyze", &c_loop()]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("10 model calls, 9 tool calls"), "{text}");
    assert!(
        text.contains("[loop] read_file was called 9 times"),
        "{text}"
    );
}

#[test]
fn unparseable_file_is_an_error_entry_not_a_crash() {
    let dir = std::env::temp_dir().join(format!("spoor-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("broken.json");
    std::fs::write(&bad, b"{\"resourceSpans\": [").unwrap();
    let out = spoor(&["analyze", "--json", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out);
    assert!(!v["errors"].as_array().unwrap().is_empty(), "{v}");
    assert_eq!(
        spoor(&["analyze", "--fail-on", "load_errors", bad.to_str().unwrap()])
            .status
            .code(),
        Some(1)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
