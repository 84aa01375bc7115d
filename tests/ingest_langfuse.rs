//! The Langfuse importer against all 20 real Langfuse exports in `../shared/fixtures/langfuse`.
//!
//! Every figure was read out of the file independently with this python3 one-liner (`$LF`),
//! run as `python3 -c "$LF" langfuse/<file>` from `../shared/fixtures`. It prints: spans, LLM
//! spans, tool spans, error spans, input tokens and output tokens summed over LLM spans (from
//! `usageDetails`), the root observation's name, the trace name and the summed
//! `costDetails.total`. Kinds: the observation type, else the OTel attributes in `metadata`.
//!
//! ```text
//! LF="import json,sys;d=json.load(open(sys.argv[1]));O=d['observations'];A=lambda o:(lambda m:(m.get('attributes') or {}) if isinstance(m,dict) else {})(json.loads(o['metadata']) if isinstance(o['metadata'],str) else o['metadata'] or {});T={'GENERATION':'llm','TOOL':'tool','AGENT':'agent','CHAIN':'chain'};K=lambda o,a:T.get(o['type']) or {'LLM':'llm','TOOL':'tool','AGENT':'agent','CHAIN':'chain'}.get(a.get('openinference.span.kind')) or {'chat':'llm','execute_tool':'tool','invoke_agent':'agent','create_agent':'agent','chain':'chain'}.get(a.get('gen_ai.operation.name')) or ('llm' if {'gen_ai.request.model','llm.model_name'}&set(a) else 'tool' if {'gen_ai.tool.name','tool.name'}&set(a) else 'agent' if 'gen_ai.agent.name' in a else 'other');k=[K(o,A(o)) for o in O];L=[o for o,x in zip(O,k) if x=='llm'];ids={o['id'] for o in O};print(len(O),k.count('llm'),k.count('tool'),sum(o['level']=='ERROR' for o in O),sum((o['usageDetails'] or {}).get('input',0) for o in L),sum((o['usageDetails'] or {}).get('output',0) for o in L),[o['name'] for o in O if o['parentObservationId'] not in ids],d['trace']['name'],repr(sum((o['costDetails'] or {}).get('total',0) for o in O)))"
//! ```
//!
//! Per file, the first GENERATION's id, `model`, `costDetails.total` and one attribute of its
//! `metadata` were read with:
//! `python3 -c "import json,sys;d=json.load(open(sys.argv[1]));g=[o for o in d['observations'] if o['type']=='GENERATION'][0];m=json.loads(g['metadata']) if isinstance(g['metadata'],str) else g['metadata'];print(g['id'],g['model'],g['costDetails'].get('total'),m.get('attributes'),m['resourceAttributes'].get('service.name'))" langfuse/<file>`

use spoor::ingest::langfuse;
use spoor::model::{find_attr, flags, AttrValue, Format, Problem, Run, Severity, SpanKind};
use std::collections::HashSet;

mod common;
use common::{count_kind, error_spans, fixture_json, import_doc, load_files, span_by_id, FIXTURES};

/// Figures one fixture must show, each read out of the file with python3 (see above).
struct Expect {
    file: &'static str,
    /// Spans, LLM spans, tool spans, error spans.
    counts: [usize; 4],
    /// Input and output tokens summed over LLM spans.
    tokens: [u64; 2],
    /// The root span's name and the run's name.
    names: [&'static str; 2],
    /// Reported cost summed over all spans.
    cost_sum: f64,
    /// The first GENERATION's id, model and reported cost.
    generation: (&'static str, &'static str, f64),
    /// One attribute of that GENERATION's `metadata`.
    attr: (&'static str, &'static str),
}

/// The Langfuse importer alone on one export, as file 0 under its own name.
fn import(file: &str) -> (Vec<Run>, Vec<Problem>) {
    let doc = fixture_json(&format!("langfuse/{file}"));
    import_doc(langfuse::import, 0, file, &doc)
}

fn check(e: Expect) {
    let (runs, problems) = import(e.file);
    assert_eq!(
        problems,
        vec![],
        "{}: a valid export raises no problem",
        e.file
    );
    assert_eq!(runs.len(), 1, "{}: one trace, one run", e.file);
    let run = &runs[0];
    let counts = [
        run.spans.len(),
        count_kind(run, SpanKind::Llm),
        count_kind(run, SpanKind::Tool),
        error_spans(run),
    ];
    assert_eq!(
        counts, e.counts,
        "{}: spans, LLM, tool, error spans",
        e.file
    );
    let llm = run.spans.iter().filter(|s| s.kind == SpanKind::Llm);
    let input: u64 = llm.clone().map(|s| s.usage.input.unwrap_or(0)).sum();
    let output: u64 = llm.map(|s| s.usage.output.unwrap_or(0)).sum();
    assert_eq!([input, output], e.tokens, "{}: tokens", e.file);
    let ids: HashSet<&str> = run.spans.iter().map(|s| s.id.as_str()).collect();
    let roots: Vec<&str> = run
        .spans
        .iter()
        .filter(|s| s.parent_id.as_deref().is_none_or(|p| !ids.contains(p)))
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(roots, vec![e.names[0]], "{}: root span", e.file);
    assert_eq!(run.name, e.names[1], "{}: run name", e.file);
    let cost: f64 = run.spans.iter().filter_map(|s| s.reported_cost_usd).sum();
    assert!((cost - e.cost_sum).abs() < 1e-12, "{}: cost {cost}", e.file);
    let (id, model, span_cost) = e.generation;
    let span = span_by_id(run, id);
    assert_eq!(
        span.kind,
        SpanKind::Llm,
        "{}: GENERATION is an LLM span",
        e.file
    );
    assert_eq!(span.model.as_deref(), Some(model), "{}: model", e.file);
    assert_eq!(
        span.reported_cost_usd,
        Some(span_cost),
        "{}: span cost",
        e.file
    );
    let (key, value) = e.attr;
    let want = AttrValue::Str(spoor::model::Text::from(value.to_owned()));
    assert_eq!(
        find_attr(&span.attrs, key),
        Some(&want),
        "{}: {key}",
        e.file
    );
    let providers = [
        "gen_ai.provider.name",
        "gen_ai.system",
        "llm.provider",
        "llm.system",
    ];
    if providers.contains(&key) || key == "ai.model.provider" {
        assert_eq!(
            span.provider.as_deref(),
            Some(value),
            "{}: provider",
            e.file
        );
    }
}

/// `agno-2025-06-11.trace.json` → `6 4 1 0 2936 903 ['Agent.run'] Agent.run 0.000982199999`
#[test]
fn agno_2025_06_11() {
    check(Expect {
        file: "agno-2025-06-11.trace.json",
        counts: [6, 4, 1, 0],
        tokens: [2936, 903],
        names: ["Agent.run", "Agent.run"],
        cost_sum: 0.000982199999,
        generation: ("b38a82eaa62b551e", "gpt-4o-mini", 0.000489),
        attr: ("llm.provider", "OpenAI"),
    });
}

/// `autogen-2025-06-06.trace.json` → `2 1 0 0 41 3 ['autogen-chat-trace'] autogen-chat-trace 2.5e-05`
#[test]
fn autogen_2025_06_06() {
    check(Expect {
        file: "autogen-2025-06-06.trace.json",
        counts: [2, 1, 0, 0],
        tokens: [41, 3],
        names: ["autogen-chat-trace", "autogen-chat-trace"],
        cost_sum: 2.5e-05,
        generation: ("83517f9062f5ada4", "gpt-4o", 2.5e-05),
        attr: ("service.name", "unknown_service"),
    });
}

/// `beeai-2025-08-01.trace.json` → `29 5 3 0 5542 0 ['beeai-framework-main'] beeai-framework-main 0.0008312999999999999`
#[test]
fn beeai_2025_08_01() {
    check(Expect {
        file: "beeai-2025-08-01.trace.json",
        counts: [29, 5, 3, 0],
        tokens: [5542, 0],
        names: ["beeai-framework-main", "beeai-framework-main"],
        cost_sum: 0.0008312999999999999,
        generation: ("52df0f7f9dad6b23", "gpt-4o-mini", 0.0002982),
        attr: ("llm.provider", "openai"),
    });
}

/// `claude-agent-2025-12-22.trace.json` → `7 4 2 0 34 232 ['claude.conversation'] claude.conversation 0.003582`
#[test]
fn claude_agent_2025_12_22() {
    check(Expect {
        file: "claude-agent-2025-12-22.trace.json",
        counts: [7, 4, 2, 0],
        tokens: [34, 232],
        names: ["claude.conversation", "claude.conversation"],
        cost_sum: 0.003582,
        generation: ("371496f71d82baed", "claude-sonnet-4-5-20250929", 0.001425),
        attr: ("gen_ai.system", "anthropic"),
    });
}

/// `crewai-2025-07-11.trace.json` → `6 1 0 0 190 164 ['crewai-index-trace'] crewai-index-trace 0.0001269`
#[test]
fn crewai_2025_07_11() {
    check(Expect {
        file: "crewai-2025-07-11.trace.json",
        counts: [6, 1, 0, 0],
        tokens: [190, 164],
        names: ["crewai-index-trace", "crewai-index-trace"],
        cost_sum: 0.0001269,
        generation: ("231c43964b7e7e63", "gpt-4o-mini", 0.0001269),
        attr: ("service.name", "unknown_service"),
    });
}

/// `csharp-agent-with-gemini-2026-03-09.trace.json` → `8 3 2 0 8047 414 ['Insights Agent C#'] Insights Agent C# 0.0034490999999999996`
#[test]
fn csharp_agent_with_gemini_2026_03_09() {
    check(Expect {
        file: "csharp-agent-with-gemini-2026-03-09.trace.json",
        counts: [8, 3, 2, 0],
        tokens: [8047, 414],
        names: ["Insights Agent C#", "Insights Agent C#"],
        cost_sum: 0.0034490999999999996,
        generation: ("50d470aa18418652", "gemini-2.5-flash", 0.0013187),
        attr: ("gen_ai.provider.name", "gcp.vertex_ai"),
    });
}

/// `google-adk-2025-08-28.trace.json` → `5 2 1 0 67 9 ['invocation [hello_app]'] invocation [hello_app] 1.03e-05`
#[test]
fn google_adk_2025_08_28() {
    check(Expect {
        file: "google-adk-2025-08-28.trace.json",
        counts: [5, 2, 1, 0],
        tokens: [67, 9],
        names: ["invocation [hello_app]", "invocation [hello_app]"],
        cost_sum: 1.03e-05,
        generation: ("bded677884f031ce", "gemini-2.0-flash", 6.3e-06),
        attr: ("gen_ai.system", "gcp.vertex.agent"),
    });
}

/// `google-gemini-2025-08-01.trace.json` → `1 1 0 0 6 2055 ['GenerateContent'] GenerateContent 0.005139299999`
#[test]
fn google_gemini_2025_08_01() {
    check(Expect {
        file: "google-gemini-2025-08-01.trace.json",
        counts: [1, 1, 0, 0],
        tokens: [6, 2055],
        names: ["GenerateContent", "GenerateContent"],
        cost_sum: 0.005139299999,
        generation: ("b7a63ca7e1d083bc", "gemini-2.5-flash", 0.005139299999),
        attr: ("llm.provider", "google"),
    });
}

/// `koog-2025-08-26.trace.json` → `11 2 2 0 215 125 ['agent.f9f77d1a-437f-4ba6-890e-b592a50cbd21'] agent.f9f77d1a-437f-4ba6-890e-b592a50cbd21 0.0017875`
#[test]
fn koog_2025_08_26() {
    check(Expect {
        file: "koog-2025-08-26.trace.json",
        counts: [11, 2, 2, 0],
        tokens: [215, 125],
        names: [
            "agent.f9f77d1a-437f-4ba6-890e-b592a50cbd21",
            "agent.f9f77d1a-437f-4ba6-890e-b592a50cbd21",
        ],
        cost_sum: 0.0017875,
        generation: ("e44e72cf2d221781", "gpt-4o", 0.00061),
        attr: ("gen_ai.system", "openai"),
    });
}

/// `langgraph-js-2025-10-30.trace.json` → `20 2 0 0 321 59 ['LangGraph'] LangGraph 0.00032625`
#[test]
fn langgraph_js_2025_10_30() {
    check(Expect {
        file: "langgraph-js-2025-10-30.trace.json",
        counts: [20, 2, 0, 0],
        tokens: [321, 59],
        names: ["LangGraph", "LangGraph"],
        cost_sum: 0.00032625,
        generation: ("0856a1825ccee968", "gpt-5-mini-2025-08-07", 0.00024275),
        attr: ("service.name", "unknown_service:/opt/homebrew/bin/deno"),
    });
}

/// `langgraph-python-2025-08-22.trace.json` → `9 2 0 0 168 66 ['LangGraph'] LangGraph 0.000234`
#[test]
fn langgraph_python_2025_08_22() {
    check(Expect {
        file: "langgraph-python-2025-08-22.trace.json",
        counts: [9, 2, 0, 0],
        tokens: [168, 66],
        names: ["LangGraph", "LangGraph"],
        cost_sum: 0.000234,
        generation: ("4f6535aaebcda355", "gpt-4o-2024-08-06", 7.5e-05),
        attr: ("service.name", "unknown_service"),
    });
}

/// `llamaindex-2025-06-05.trace.json` → `2 1 0 0 13 81 ['llama-index-trace'] llama-index-trace 0.000842499999`
#[test]
fn llamaindex_2025_06_05() {
    check(Expect {
        file: "llamaindex-2025-06-05.trace.json",
        counts: [2, 1, 0, 0],
        tokens: [13, 81],
        names: ["llama-index-trace", "llama-index-trace"],
        cost_sum: 0.000842499999,
        generation: ("7ca8b22f6628d0c7", "gpt-4o", 0.000842499999),
        attr: ("llm.provider", "openai"),
    });
}

/// `microsoft-agent-2025-12-17.trace.json` → `4 2 1 0 293 106 ['invoke_agent 171105b7-59dd-49c0-9677-0b95395aa46a'] invoke_agent 171105b7-59dd-49c0-9677-0b95395aa46a 0.00065625`
#[test]
fn microsoft_agent_2025_12_17() {
    check(Expect {
        file: "microsoft-agent-2025-12-17.trace.json",
        counts: [4, 2, 1, 0],
        tokens: [293, 106],
        names: [
            "invoke_agent 171105b7-59dd-49c0-9677-0b95395aa46a",
            "invoke_agent 171105b7-59dd-49c0-9677-0b95395aa46a",
        ],
        cost_sum: 0.00065625,
        generation: ("2406e8343fd49c0e", "gpt-5-mini-2025-08-07", 0.00019125),
        attr: ("gen_ai.provider.name", "openai"),
    });
}

/// `openai-agents-2025-09-30.trace.json` → `5 2 1 0 140 44 ['Agent workflow'] Agent workflow 0.000632`
#[test]
fn openai_agents_2025_09_30() {
    check(Expect {
        file: "openai-agents-2025-09-30.trace.json",
        counts: [5, 2, 1, 0],
        tokens: [140, 44],
        names: ["Agent workflow", "Agent workflow"],
        cost_sum: 0.000632,
        generation: ("90d94774e8e3724d", "gpt-4.1-2025-04-14", 0.000402),
        attr: ("llm.system", "openai"),
    });
}

/// `pydantic-ai-2025-06-06.trace.json` → `3 1 0 0 31 96 ['pydantic-ai-qa-trace'] pydantic-ai-qa-trace 0.0010375`
#[test]
fn pydantic_ai_2025_06_06() {
    check(Expect {
        file: "pydantic-ai-2025-06-06.trace.json",
        counts: [3, 1, 0, 0],
        tokens: [31, 96],
        names: ["pydantic-ai-qa-trace", "pydantic-ai-qa-trace"],
        cost_sum: 0.0010375,
        generation: ("5cb389a3bdd21a6e", "gpt-4o", 0.0010375),
        attr: ("gen_ai.system", "openai"),
    });
}

/// `pydantic-ai-tools-2025-06-06.trace.json` → `3 1 0 0 31 96 ['pydantic-ai-qa-trace'] pydantic-ai-qa-trace 0.0010375`
#[test]
fn pydantic_ai_tools_2025_06_06() {
    check(Expect {
        file: "pydantic-ai-tools-2025-06-06.trace.json",
        counts: [3, 1, 0, 0],
        tokens: [31, 96],
        names: ["pydantic-ai-qa-trace", "pydantic-ai-qa-trace"],
        cost_sum: 0.0010375,
        generation: ("5cb389a3bdd21a6e", "gpt-4o", 0.0010375),
        attr: ("gen_ai.system", "openai"),
    });
}

/// `pydantic-ai-tools-2025-12-04.trace.json` → `12 4 3 0 1315 209 ['run_joke_generator'] joke-generator 0.00032264999899999996`
#[test]
fn pydantic_ai_tools_2025_12_04() {
    check(Expect {
        file: "pydantic-ai-tools-2025-12-04.trace.json",
        counts: [12, 4, 3, 0],
        tokens: [1315, 209],
        names: ["run_joke_generator", "joke-generator"],
        cost_sum: 0.00032264999899999996,
        generation: ("00d2804abb764b1b", "gpt-4o-mini-2024-07-18", 9.435e-05),
        attr: ("gen_ai.system", "openai"),
    });
}

/// `pydantic-ai-with-gemini-2025-12-24.trace.json` → `1 1 0 0 40 159 ['chat gemini-2.5-flash'] chat gemini-2.5-flash 0.0004095`
#[test]
fn pydantic_ai_with_gemini_2025_12_24() {
    check(Expect {
        file: "pydantic-ai-with-gemini-2025-12-24.trace.json",
        counts: [1, 1, 0, 0],
        tokens: [40, 159],
        names: ["chat gemini-2.5-flash", "chat gemini-2.5-flash"],
        cost_sum: 0.0004095,
        generation: ("8ffb64580a84a3f0", "gemini-2.5-flash", 0.0004095),
        attr: ("gen_ai.system", "google-gla"),
    });
}

/// `vercel-aisdk-2025-11-17.trace.json` → `3 2 1 0 76 128 ['ai.generateText'] ai.generateText 0.001374999999`
#[test]
fn vercel_aisdk_2025_11_17() {
    check(Expect {
        file: "vercel-aisdk-2025-11-17.trace.json",
        counts: [3, 2, 1, 0],
        tokens: [76, 128],
        names: ["ai.generateText", "ai.generateText"],
        cost_sum: 0.001374999999,
        generation: ("1dc6768109615657", "gpt-5", 0.0004475),
        attr: ("ai.model.provider", "openai.responses"),
    });
}

/// `vertex-ai-2025-08-01.trace.json` → `1 1 0 0 5 845 ['generate_content'] generate_content 0.00085`
#[test]
fn vertex_ai_2025_08_01() {
    check(Expect {
        file: "vertex-ai-2025-08-01.trace.json",
        counts: [1, 1, 0, 0],
        tokens: [5, 845],
        names: ["generate_content", "generate_content"],
        cost_sum: 0.00085,
        generation: ("125abcbf5c41f4df", "projects/vertex-ai-integration-467711/locations/europe-central2/publishers/google/models/gemini-2.5-flash", 0.00085),
        attr: ("service.name", "unknown_service"),
    });
}

/// All 20 exports through `ingest::load`, as a user dropping the folder would.
/// `python3 -c "import json,glob;D=[json.load(open(f)) for f in sorted(glob.glob('langfuse/*.json'))];T={};[T.setdefault(d['trace']['id'],set()).update(o['id'] for o in d['observations']) for d in D];print(sum(len(d['observations']) for d in D),len(T),sum(map(len,T.values())))"`
/// → `138 19 135`: 138 observations in 19 traces, 135 distinct; the two pydantic-ai
/// 2025-06-06 files hold the same trace (same ids, observations in another order).
#[test]
fn all_exports_load_end_to_end() {
    let dir = format!("{FIXTURES}/langfuse");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    // Named by file name only, as the browser names a dropped file.
    let files: Vec<(String, Vec<u8>)> = paths
        .iter()
        .map(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            (name.to_owned(), std::fs::read(p).expect("read"))
        })
        .collect();
    let ws = load_files(&files);
    assert_eq!(ws.files.len(), 20);
    assert!(ws.files.iter().all(|f| f.formats == vec![Format::Langfuse]));
    assert_eq!(ws.runs.len(), 19);
    assert_eq!(ws.span_count(), 135);
    let shared = ws
        .runs
        .iter()
        .find(|r| r.id == "25f4bdeebaab60e6e1bee7e8469554bc");
    assert_eq!(shared.map(|r| r.files.len()), Some(2));
    // Two warnings: the two pydantic-ai exports of one trace share 3 identical observations
    // (138 read, 135 shown, and the page says why); the C# trace's root observation names a
    // parent the export lacks.
    let mut problems: Vec<(&str, Severity)> = ws
        .problems
        .iter()
        .map(|p| (p.file.as_str(), p.severity))
        .collect();
    problems.sort_by_key(|(f, _)| *f);
    assert_eq!(
        problems,
        vec![
            (
                "csharp-agent-with-gemini-2026-03-09.trace.json",
                Severity::Warning
            ),
            ("pydantic-ai-tools-2025-06-06.trace.json", Severity::Warning)
        ]
    );
    assert!(ws.problems.iter().any(|p| p
        .message
        .starts_with("3 spans of run 25f4bdeebaab60e6e1bee7e8469554bc are exact copies")));
    let orphans: Vec<&str> = ws
        .runs
        .iter()
        .flat_map(|r| &r.spans)
        .filter(|s| s.has_flag(flags::ORPHAN))
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(orphans, vec!["Insights Agent C#"]);
}
