//! Retries: a tool or model call repeated after it failed. Seed 001 records them explicitly
//! (`retry_of` names the attempt retried); elsewhere a failed call immediately followed, under
//! the same parent, by the same tool with the same arguments (or the same model) is a retry.

use super::loops::{normalized_args, tool_name};
use super::{fmt_duration, times, waste_of, Anomaly, AnomalyKind};
use crate::analysis::summary::RunSummary;
use crate::analysis::tree::Tree;
use crate::fasthash::FastMap;
use crate::model::{Run, Span, SpanIdx, SpanKind, Status};
use crate::sorting;

fn what(s: &Span) -> String {
    match s.kind {
        SpanKind::Tool => tool_name(s).to_string(),
        SpanKind::Llm => match &s.model {
            Some(m) => format!("the {m} call"),
            None => "the model call".to_string(),
        },
        _ => s.name.clone(),
    }
}

fn why(s: &Span) -> Option<String> {
    let short = |t: &str| {
        let t = t.trim();
        if t.chars().count() > 60 {
            format!("{}…", t.chars().take(60).collect::<String>())
        } else {
            t.to_string()
        }
    };
    s.error_type
        .as_deref()
        .or(s.error_message.as_deref())
        .or(s.status_text.as_deref())
        .map(short)
}

fn anomaly(run: &Run, tree: &Tree, chain: Vec<SpanIdx>, summary: &RunSummary) -> Anomaly {
    let spans = &run.spans;
    let first = &spans[chain[0] as usize];
    // Waste: every attempt that failed.
    let failed: Vec<SpanIdx> = chain
        .iter()
        .copied()
        .filter(|&i| spans[i as usize].status == Status::Error)
        .collect();
    let cost = waste_of(tree, summary, &failed);
    let last = &spans[chain[chain.len() - 1] as usize];
    let outcome = if last.status == Status::Error {
        "and still failed"
    } else {
        "and then succeeded"
    };
    let reason = why(first)
        .map(|r| format!(" after {r}"))
        .unwrap_or_default();
    let mut evidence = vec![format!(
        "{} failed attempt{} took {}",
        failed.len(),
        if failed.len() == 1 { "" } else { "s" },
        fmt_duration(cost.time_ns)
    )];
    if cost.tokens > 0 {
        evidence.push(format!("{} tokens spent on failed attempts", cost.tokens));
    }
    for &i in &chain {
        let s = &spans[i as usize];
        let took = tree.duration_ns(i);
        evidence.push(format!(
            "attempt {}: {} in {}",
            s.id,
            match s.status {
                Status::Error => "failed",
                Status::Ok => "ok",
                Status::Unset if s.end_ns.is_none() => "never ended",
                Status::Unset => "ended",
            },
            fmt_duration(took)
        ));
    }
    Anomaly {
        kind: AnomalyKind::Retry,
        message: format!(
            "{} was retried {}{reason} {outcome}",
            what(first),
            times(chain.len() - 1)
        ),
        evidence,
        cost,
        span_ids: chain,
    }
}

pub fn retries(run: &Run, tree: &Tree, summary: &RunSummary) -> Vec<Anomaly> {
    let spans = &run.spans;
    let mut out = Vec::new();
    let mut in_chain = vec![false; spans.len()];

    // Explicit: follow `retry_of` links back to the first attempt.
    let has_explicit = summary.lists.has_retry_links;
    if has_explicit {
        let by_id: FastMap<&str, SpanIdx> = spans
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i as SpanIdx))
            .collect();
        let mut next: FastMap<SpanIdx, Vec<SpanIdx>> = FastMap::default();
        let mut is_retry = vec![false; spans.len()];
        for (i, s) in spans.iter().enumerate() {
            if let Some(&prev) = s.retry_of.as_deref().and_then(|r| by_id.get(r)) {
                if prev as usize != i {
                    next.entry(prev).or_default().push(i as SpanIdx);
                    is_retry[i] = true;
                }
            }
        }
        let mut heads: Vec<SpanIdx> = next
            .keys()
            .copied()
            .filter(|&h| !is_retry[h as usize])
            .collect();
        sorting::sort(&mut heads);
        for h in heads {
            let mut chain = vec![h];
            let mut stack = vec![h];
            while let Some(x) = stack.pop() {
                if let Some(ns) = next.get(&x) {
                    for &n in ns {
                        if !chain.contains(&n) && chain.len() < 10_000 {
                            chain.push(n);
                            stack.push(n);
                        }
                    }
                }
            }
            sorting::sort_by_key(&mut chain, |&i| (spans[i as usize].start_ns, i));
            for &i in &chain {
                in_chain[i as usize] = true;
            }
            out.push(anomaly(run, tree, chain, summary));
        }
    }

    // Implicit: a failed call followed, among its siblings, by the same call. Starting from
    // the failed spans only, so a clean run costs nothing here.
    let is_call = |i: SpanIdx| matches!(spans[i as usize].kind, SpanKind::Tool | SpanKind::Llm);
    for &f in &summary.lists.errors {
        if in_chain[f as usize] || !is_call(f) {
            continue;
        }
        // Skip a failure that is itself the retry of an earlier failure (its chain starts there).
        let Some(p) = tree.parent[f as usize] else {
            continue;
        };
        let kids = tree.children(p);
        let key = |c: SpanIdx| (tree.start_ns[c as usize], c);
        let Ok(pos) = kids.binary_search_by_key(&key(f), |&c| key(c)) else {
            continue;
        };
        let prev_call = kids[..pos].iter().rev().copied().find(|&c| is_call(c));
        if let Some(pc) = prev_call {
            let ps = &spans[pc as usize];
            if ps.status == Status::Error
                && same_call(ps, &spans[f as usize])
                && !in_chain[pc as usize]
            {
                continue;
            }
        }
        let mut chain = vec![f];
        let mut cur = f;
        for &c in &kids[pos + 1..] {
            if !is_call(c) {
                continue;
            }
            if in_chain[c as usize]
                || spans[cur as usize].status != Status::Error
                || !same_call(&spans[cur as usize], &spans[c as usize])
            {
                break;
            }
            chain.push(c);
            cur = c;
        }
        if chain.len() > 1 {
            for &i in &chain {
                in_chain[i as usize] = true;
            }
            out.push(anomaly(run, tree, chain, summary));
        }
    }
    out
}

/// Same tool with the same arguments, or the same model.
fn same_call(a: &Span, b: &Span) -> bool {
    a.kind == b.kind
        && match a.kind {
            SpanKind::Tool => {
                tool_name(a) == tool_name(b) && normalized_args(a) == normalized_args(b)
            }
            // A model call repeated with the same model (or both naming none).
            _ => a.model == b.model,
        }
}
