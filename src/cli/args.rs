//! Command-line arguments of `spoor`, parsed by hand: one subcommand and three options do not
//! need a parser dependency.

use crate::fail_on::Condition;

pub const USAGE: &str = "\
spoor: see what your AI agent actually did

USAGE:
    spoor analyze [--json] [--fail-on CONDITIONS] FILE_OR_DIR...
    spoor --help

Loads every FILE (a directory stands for the files in it, recursively) into one workspace, the
way the page does when they are dropped together, and prints a summary of every run: spans,
model and tool calls, errors, tokens, cost, duration, critical path and anomalies.

OPTIONS:
    --json                 print {\"runs\": [...], \"errors\": [...], \"warnings\": [...]}
    --fail-on CONDITIONS   exit with code 1 when any condition holds in any run, e.g.
                           --fail-on loop,retry,errors,cost>0.5,duration>60,tokens>100000
                           conditions:
                             an anomaly kind: loop, possible_loop, retry, too_many_iterations,
                               many_errors, slow_model, slow_tool, long_run, expensive,
                               tool_failure_rate, error_cascade
                             anomalies      any anomaly at all
                             errors         any span with error status (errors>N: more than N)
                             load_errors    a file (or part of it) could not be loaded
                             cost>USD  duration>SECONDS  tokens>N  iterations>N
                             llm_calls>N  tool_calls>N  spans>N   (also >=, <, <=, =)
    -h, --help             this text

EXIT CODES:
    0  analysed, no --fail-on condition held
    1  a --fail-on condition held (each one is printed to stderr)
    2  bad usage, or a file could not be read
";

#[derive(Debug, Default)]
pub struct Args {
    pub json: bool,
    pub fail_on: Vec<Condition>,
    pub paths: Vec<String>,
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    Help,
    Analyze(Args),
}

/// Parses `argv[1..]`; the error is a message for stderr (exit code 2).
pub fn parse(argv: &[String]) -> Result<Command, String> {
    let mut it = argv.iter();
    match it.next().map(String::as_str) {
        None => return Err("no command given".into()),
        Some("-h") | Some("--help") | Some("help") => return Ok(Command::Help),
        Some("analyze") => {}
        Some(other) => return Err(format!("unknown command \"{other}\" (try spoor --help)")),
    }
    let mut args = Args::default();
    let mut only_paths = false;
    while let Some(a) = it.next() {
        if only_paths {
            args.paths.push(a.clone());
            continue;
        }
        match a.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--json" => args.json = true,
            "--" => only_paths = true,
            "--fail-on" => {
                let v = it
                    .next()
                    .ok_or("--fail-on needs a list of conditions, e.g. --fail-on loop,cost>0.5")?;
                add_conditions(&mut args, v)?;
            }
            s if s.starts_with("--fail-on=") => {
                add_conditions(&mut args, &s["--fail-on=".len()..])?
            }
            s if s.starts_with('-') && s.len() > 1 => {
                return Err(format!("unknown option \"{s}\" (try spoor --help)"))
            }
            _ => args.paths.push(a.clone()),
        }
    }
    if args.paths.is_empty() {
        return Err("analyze needs at least one file".into());
    }
    Ok(Command::Analyze(args))
}

fn add_conditions(args: &mut Args, list: &str) -> Result<(), String> {
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        args.fail_on.push(Condition::parse(part)?);
    }
    Ok(())
}
