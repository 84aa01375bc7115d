//! Properties of the tree, self times and critical path on arbitrary (often broken) runs: random
//! parents (cycles, self links, dangling indices), running spans, children outside parents.

use proptest::prelude::*;
use spoor::analysis::critical_path::critical_sections;
use spoor::analysis::timing::self_times;
use spoor::analysis::{analyze_run, AnalysisConfig, Tree};
use spoor::model::{Run, Span, SpanKind, Status};

fn arb_run() -> impl Strategy<Value = Run> {
    prop::collection::vec(
        (
            prop::option::of(0u32..40),
            0i64..1_000,
            prop::option::of(0i64..500),
            0u8..4,
            any::<bool>(),
        ),
        0..40,
    )
    .prop_map(|rows| {
        let spans = rows
            .into_iter()
            .enumerate()
            .map(|(i, (parent, start, len, kind, failed))| Span {
                id: i.to_string(),
                name: format!("s{i}"),
                parent,
                kind: [
                    SpanKind::Agent,
                    SpanKind::Llm,
                    SpanKind::Tool,
                    SpanKind::Other,
                ][kind as usize],
                start_ns: start,
                end_ns: len.map(|l| start + l),
                status: if failed { Status::Error } else { Status::Ok },
                ..Span::default()
            })
            .collect();
        Run {
            id: "p".into(),
            spans,
            ..Run::default()
        }
    })
}

proptest! {
    #[test]
    fn tree_is_a_tree(run in arb_run()) {
        let t = Tree::build(&run);
        let n = run.spans.len();
        let mut seen = vec![false; n];
        for &i in &t.preorder {
            prop_assert!(!seen[i as usize], "span twice in pre-order");
            seen[i as usize] = true;
        }
        prop_assert!(seen.iter().all(|&x| x), "span missing from pre-order");
        for i in 0..n {
            match t.parent[i] {
                None => prop_assert_eq!(Some(i as u32), t.root),
                Some(p) => prop_assert_eq!(t.depth[i], t.depth[p as usize] + 1),
            }
            let kids = t.children(i as u32);
            for w in kids.windows(2) {
                prop_assert!(run.spans[w[0] as usize].start_ns <= run.spans[w[1] as usize].start_ns);
            }
        }
    }

    #[test]
    fn self_time_within_duration_and_path_covers_the_root(run in arb_run()) {
        let t = Tree::build(&run);
        let st = self_times(&run, &t);
        for (i, &s) in st.iter().enumerate() {
            prop_assert!(s >= 0 && s <= t.duration_ns(i as u32));
        }
        let secs = critical_sections(&run, &t);
        if let Some(root) = t.root {
            // Sections tile the root's interval in order, without gaps or overlaps.
            let (a, b) = (t.start_ns[root as usize], t.end_ns[root as usize]);
            let mut at = a;
            for s in &secs {
                prop_assert_eq!(s.start_ns, at);
                prop_assert!(s.end_ns > s.start_ns);
                at = s.end_ns;
            }
            prop_assert_eq!(at, b);
            // The bound the critical path sizes its list by: one section per step down or up.
            prop_assert!(secs.len() < 2 * run.spans.len(), "{} sections for {} spans", secs.len(), run.spans.len());
        } else {
            prop_assert!(secs.is_empty());
        }
        // The whole analysis never panics on such input.
        let _ = analyze_run(&run, &AnalysisConfig::default());
    }
}
