//! Synthetic agent traces as OTLP JSON, of any size: for the ingest benchmark, the browser
//! benchmark and the large-trace demo. Deterministic (a tiny xorshift, no randomness crates),
//! so a figure measured today can be compared with one measured next month.
//!
//! Shape: per trace an agent root (`invoke_agent`) → iterations → one `chat` LLM span each with
//! `gen_ai.usage.*` tokens, plus zero to two `execute_tool` spans with JSON arguments; about one
//! tool call in twenty fails with an `exception` event.

use std::fmt::Write;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Synth {
    /// Total spans across all traces (exact).
    pub spans: usize,
    /// Number of traces (runs) the spans are spread over.
    pub traces: usize,
    pub seed: u64,
}

/// xorshift64*: enough randomness for plausible shapes, nothing more.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const TOOLS: [&str; 4] = ["web_search", "read_file", "run_tests", "write_file"];
const MODELS: [&str; 2] = ["gpt-4o", "claude-sonnet-4"];

/// Generates one OTLP JSON document holding `opts.spans` spans.
pub fn otlp_json(opts: Synth) -> String {
    let mut rng = Rng(opts.seed | 1);
    let traces = opts.traces.clamp(1, opts.spans.max(1));
    let mut out = String::with_capacity(opts.spans * 900);
    out.push_str(
        r#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"synth-agent"}},{"key":"service.version","value":{"stringValue":"1.4.2"}}]},"scopeSpans":[{"scope":{"name":"spoor.synth","version":"1"},"spans":["#,
    );
    let mut first = true;
    let mut t0: i64 = 1_750_000_000_000_000_000;
    for t in 0..traces {
        let budget = opts.spans / traces + usize::from(t < opts.spans % traces);
        let mut w = TraceWriter {
            out: &mut out,
            rng: &mut rng,
            trace_id: String::new(),
            first: &mut first,
        };
        w.trace_id = format!("{:016x}{:016x}", w.rng.next(), w.rng.next());
        t0 = w.trace(budget, t0) + 1_000_000_000;
    }
    out.push_str("]}]}]}");
    out
}

struct TraceWriter<'a> {
    out: &'a mut String,
    rng: &'a mut Rng,
    trace_id: String,
    first: &'a mut bool,
}

impl TraceWriter<'_> {
    /// Writes a trace of exactly `budget` spans starting at `t0`; returns its end time.
    fn trace(&mut self, budget: usize, t0: i64) -> i64 {
        if budget == 0 {
            return t0;
        }
        let root = self.id();
        let mut t = t0 + 1_000_000;
        let mut left = budget - 1;
        let mut children = Vec::new();
        let mut iteration: u64 = 0;
        while left > 0 {
            iteration += 1;
            let it = self.id();
            let it_start = t;
            left -= 1;
            let mut inner = Vec::new();
            if left > 0 {
                left -= 1;
                let model = MODELS[self.rng.below(2) as usize];
                let dur = 300_000_000 + self.rng.below(2_000_000_000) as i64;
                let attrs = format!(
                    r#"{},{},{},{},{}"#,
                    s("gen_ai.operation.name", "chat"),
                    s("gen_ai.request.model", model),
                    s("gen_ai.provider.name", "openai"),
                    i("gen_ai.usage.input_tokens", 500 + self.rng.below(4000)),
                    i("gen_ai.usage.output_tokens", 20 + self.rng.below(600)),
                );
                inner.push((format!("chat {model}"), t, t + dur, attrs, false));
                t += dur;
            }
            let tools = self.rng.below(3);
            for _ in 0..tools {
                if left == 0 {
                    break;
                }
                left -= 1;
                let tool = TOOLS[self.rng.below(TOOLS.len() as u64) as usize];
                let dur = 5_000_000 + self.rng.below(900_000_000) as i64;
                let args = format!(
                    r#"{{"path":"src/module_{}.rs","query":"step {iteration}"}}"#,
                    self.rng.below(100)
                );
                let attrs = format!(
                    r#"{},{},{}"#,
                    s("gen_ai.operation.name", "execute_tool"),
                    s("gen_ai.tool.name", tool),
                    s("gen_ai.tool.call.arguments", &args),
                );
                let failed = self.rng.below(20) == 0;
                inner.push((format!("execute_tool {tool}"), t, t + dur, attrs, failed));
                t += dur;
            }
            for (name, start, end, attrs, failed) in inner {
                let id = self.id();
                self.span(&id, &it, &name, start, end, &attrs, failed);
            }
            let attrs = i("agent.iteration", iteration);
            children.push((it, it_start, t, attrs));
            t += 1_000_000;
        }
        for (id, start, end, attrs) in children {
            let name = "iteration".to_string();
            self.span(&id, &root, &name, start, end, &attrs, false);
        }
        let attrs = format!(
            "{},{}",
            s("gen_ai.operation.name", "invoke_agent"),
            s("gen_ai.agent.name", "researcher")
        );
        self.span(&root, "", "invoke_agent researcher", t0, t, &attrs, false);
        t
    }

    fn id(&mut self) -> String {
        format!("{:016x}", self.rng.next())
    }

    #[allow(clippy::too_many_arguments)]
    fn span(
        &mut self,
        id: &str,
        parent: &str,
        name: &str,
        start: i64,
        end: i64,
        attrs: &str,
        failed: bool,
    ) {
        if !std::mem::replace(self.first, false) {
            self.out.push(',');
        }
        let _ = write!(
            self.out,
            r#"{{"traceId":"{}","spanId":"{id}","parentSpanId":"{parent}","name":"{name}","kind":1,"startTimeUnixNano":"{start}","endTimeUnixNano":"{end}","attributes":[{attrs}]"#,
            self.trace_id
        );
        if failed {
            let _ = write!(
                self.out,
                r#","events":[{{"timeUnixNano":"{end}","name":"exception","attributes":[{},{}]}}],"status":{{"code":2,"message":"tool failed"}}}}"#,
                s("exception.type", "ToolError"),
                s("exception.message", "file not found"),
            );
        } else {
            self.out.push_str(r#","status":{"code":1}}"#);
        }
    }
}

/// A string attribute, JSON-escaped.
fn s(key: &str, value: &str) -> String {
    let v = serde_json::to_string(value).unwrap_or_default();
    format!(r#"{{"key":"{key}","value":{{"stringValue":{v}}}}}"#)
}

/// An int attribute, written as the spec's decimal string.
fn i(key: &str, value: u64) -> String {
    format!(r#"{{"key":"{key}","value":{{"intValue":"{value}"}}}}"#)
}
