//! The single pass over a span's attributes. It records *where* each meaningful attribute is
//! (an index and a rank) and parses numbers on the spot, so nothing is allocated unless a value
//! is actually copied onto the span in [`Scan::fill`].

use super::kind::Family;
use crate::model::{flags, Attr, AttrValue, Span, SpanKind, Status, Usage};

/// The best candidate seen so far for one field: lower rank wins, first seen wins on a tie.
#[derive(Debug, Clone, Copy)]
struct Best<T: Copy>(Option<(u8, T)>);

impl<T: Copy> Default for Best<T> {
    fn default() -> Self {
        Best(None)
    }
}

impl<T: Copy> Best<T> {
    fn offer(&mut self, rank: u8, value: T) {
        if self.0.is_none_or(|(r, _)| rank < r) {
            self.0 = Some((rank, value));
        }
    }

    fn get(&self) -> Option<T> {
        self.0.map(|(_, v)| v)
    }
}

/// Which attribute index holds the best value for a text field.
type Pick = Best<usize>;

#[derive(Debug, Default)]
pub(super) struct Scan {
    kind: Best<SpanKind>,
    has_model: bool,
    has_tool: bool,
    has_agent: bool,
    model: Pick,
    provider: Pick,
    tool_name: Pick,
    call_id: Pick,
    args: Pick,
    result: Pick,
    error_type: Pick,
    error_message: Pick,
    /// `error.type` is there: the operation failed (OTel GenAI's rule).
    failed: bool,
    input: Best<u64>,
    output: Best<u64>,
    cache_read: Best<u64>,
    cache_write: Best<u64>,
    reasoning: Best<u64>,
    total: Best<u64>,
    cost: Best<f64>,
    bad_number: bool,
}

/// A usage field a token attribute fills.
#[derive(Clone, Copy)]
enum Tok {
    In,
    Out,
    CacheRead,
    CacheWrite,
    Reasoning,
    Total,
}

/// Empty strings and nulls say nothing; exporters write them for "unset".
fn present(v: &AttrValue) -> bool {
    match v {
        AttrValue::Null => false,
        AttrValue::Str(s) => !s.trim().is_empty(),
        _ => true,
    }
}

/// A figure that is there but cannot be one: a negative count, NaN, text that is not a number.
/// The span gets [`flags::BAD_NUMBER`] rather than a made-up value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Absurd;

/// A token count: a non-negative whole number, written as an int, a float or a numeric string.
pub fn count(v: &AttrValue) -> Result<u64, Absurd> {
    if let Some(i) = v.as_i64() {
        return u64::try_from(i).map_err(|_| Absurd);
    }
    match v.as_f64() {
        Some(f) if f.is_finite() && f >= 0.0 && f <= u64::MAX as f64 => Ok(f.round() as u64),
        _ => Err(Absurd),
    }
}

/// A cost in USD: finite and not negative.
pub fn money(v: &AttrValue) -> Result<f64, Absurd> {
    match v.as_f64() {
        Some(f) if f.is_finite() && f >= 0.0 => Ok(f),
        _ => Err(Absurd),
    }
}

impl Scan {
    pub(super) fn of(attrs: &[Attr]) -> Scan {
        let mut s = Scan::default();
        for (i, a) in attrs.iter().enumerate() {
            // Every key we care about starts with one of these letters; most do not.
            if matches!(
                a.key.as_bytes().first(),
                Some(b'g' | b'l' | b'o' | b't' | b'i' | b'e' | b'a')
            ) && present(&a.value)
            {
                s.see(i, &a.key, &a.value);
            }
        }
        s
    }

    fn family(&mut self, family: Family, v: &AttrValue) {
        if let Some(k) = v.as_str().and_then(|w| family.kind_of(w)) {
            self.kind.offer(family.rank(), k);
        }
    }

    fn tokens(&mut self, field: Tok, rank: u8, v: &AttrValue) {
        let Ok(n) = count(v) else {
            self.bad_number = true;
            return;
        };
        let slot = match field {
            Tok::In => &mut self.input,
            Tok::Out => &mut self.output,
            Tok::CacheRead => &mut self.cache_read,
            Tok::CacheWrite => &mut self.cache_write,
            Tok::Reasoning => &mut self.reasoning,
            Tok::Total => &mut self.total,
        };
        slot.offer(rank, n);
    }

    fn cost(&mut self, rank: u8, v: &AttrValue) {
        match money(v) {
            Ok(c) => self.cost.offer(rank, c),
            Err(Absurd) => self.bad_number = true,
        }
    }

    fn see(&mut self, i: usize, key: &str, v: &AttrValue) {
        match key {
            // Kind, by convention family.
            "gen_ai.operation.name" => self.family(Family::OperationName, v),
            "openinference.span.kind" => self.family(Family::OpenInference, v),
            "traceloop.span.kind" => self.family(Family::Traceloop, v),
            "llm.request.type" => self.family(Family::RequestType, v),
            "ai.operationId" => self.family(Family::Vercel, v),
            "langsmith.span.kind" => self.family(Family::LangSmith, v),
            // Model: what answered beats what was asked for.
            "gen_ai.response.model" => self.model_at(0, i),
            "gen_ai.request.model" => self.model_at(1, i),
            "llm.model_name" => self.model_at(2, i),
            "ai.response.model" => self.model_at(3, i),
            "ai.model.id" => self.model_at(4, i),
            // Provider: current GenAI name, then older and other conventions.
            "gen_ai.provider.name" => self.provider.offer(0, i),
            "gen_ai.system" => self.provider.offer(1, i),
            "llm.provider" => self.provider.offer(2, i),
            "llm.system" => self.provider.offer(3, i),
            "ai.model.provider" => self.provider.offer(4, i),
            // Tokens.
            "gen_ai.usage.input_tokens" => self.tokens(Tok::In, 0, v),
            "gen_ai.usage.prompt_tokens" => self.tokens(Tok::In, 1, v),
            "llm.token_count.prompt" => self.tokens(Tok::In, 2, v),
            "llm.usage.prompt_tokens" => self.tokens(Tok::In, 3, v),
            "ai.usage.inputTokens" => self.tokens(Tok::In, 4, v),
            "ai.usage.promptTokens" => self.tokens(Tok::In, 5, v),
            "gen_ai.usage.output_tokens" => self.tokens(Tok::Out, 0, v),
            "gen_ai.usage.completion_tokens" => self.tokens(Tok::Out, 1, v),
            "llm.token_count.completion" => self.tokens(Tok::Out, 2, v),
            "llm.usage.completion_tokens" => self.tokens(Tok::Out, 3, v),
            "ai.usage.outputTokens" => self.tokens(Tok::Out, 4, v),
            "ai.usage.completionTokens" => self.tokens(Tok::Out, 5, v),
            "gen_ai.usage.cache_read.input_tokens" => self.tokens(Tok::CacheRead, 0, v),
            "gen_ai.usage.cache_read_input_tokens" => self.tokens(Tok::CacheRead, 1, v),
            "llm.token_count.prompt_details.cache_read" => self.tokens(Tok::CacheRead, 2, v),
            "ai.usage.cachedInputTokens" => self.tokens(Tok::CacheRead, 3, v),
            "gen_ai.usage.cache_creation.input_tokens" => self.tokens(Tok::CacheWrite, 0, v),
            "gen_ai.usage.cache_creation_input_tokens" => self.tokens(Tok::CacheWrite, 1, v),
            "llm.token_count.prompt_details.cache_write" => self.tokens(Tok::CacheWrite, 2, v),
            "gen_ai.usage.reasoning.output_tokens" => self.tokens(Tok::Reasoning, 0, v),
            "llm.token_count.completion_details.reasoning" => self.tokens(Tok::Reasoning, 1, v),
            "ai.usage.reasoningTokens" => self.tokens(Tok::Reasoning, 2, v),
            "llm.usage.total_tokens" => self.tokens(Tok::Total, 0, v),
            "llm.token_count.total" => self.tokens(Tok::Total, 1, v),
            "gen_ai.usage.total_tokens" => self.tokens(Tok::Total, 2, v),
            "ai.usage.totalTokens" => self.tokens(Tok::Total, 3, v),
            // Cost as the exporter computed it.
            "llm.cost.total" => self.cost(0, v),
            "gen_ai.usage.cost" => self.cost(1, v),
            // Tool call.
            "gen_ai.tool.name" => self.tool_at(0, i),
            "tool.name" => self.tool_at(1, i),
            "ai.toolCall.name" => self.tool_name.offer(2, i),
            "gen_ai.tool.call.id" => self.call_id.offer(0, i),
            "ai.toolCall.id" => self.call_id.offer(1, i),
            "tool_call.id" => self.call_id.offer(2, i),
            "gen_ai.tool.call.arguments" => self.args.offer(0, i),
            "ai.toolCall.args" => self.args.offer(1, i),
            "input.value" => self.args.offer(2, i),
            // OpenInference's `tool.parameters` is often the parameter schema, so it comes last.
            "tool.parameters" => self.args.offer(3, i),
            "gen_ai.tool.call.result" => self.result.offer(0, i),
            "ai.toolCall.result" => self.result.offer(1, i),
            "output.value" => self.result.offer(2, i),
            // Errors.
            "error.type" => {
                self.failed = true;
                self.error_type.offer(0, i)
            }
            "exception.type" => self.error_type.offer(1, i),
            "exception.message" => self.error_message.offer(0, i),
            "error.message" => self.error_message.offer(1, i),
            "gen_ai.agent.name" => self.has_agent = true,
            _ => {}
        }
    }

    fn model_at(&mut self, rank: u8, i: usize) {
        self.has_model = true;
        self.model.offer(rank, i);
    }

    fn tool_at(&mut self, rank: u8, i: usize) {
        self.has_tool = true;
        self.tool_name.offer(rank, i);
    }

    /// The kind the attributes say, explicit conventions first, then what is present:
    /// a model means a model call, a tool name a tool call, an agent name an agent.
    fn kind(&self) -> Option<SpanKind> {
        self.kind.get().or(if self.has_model {
            Some(SpanKind::Llm)
        } else if self.has_tool {
            Some(SpanKind::Tool)
        } else if self.has_agent {
            Some(SpanKind::Agent)
        } else {
            None
        })
    }

    /// Copies what was found onto the span, filling only fields the importer left empty so an
    /// importer's own typed fields (Langfuse's `model`, `usageDetails`, …) always win.
    pub(super) fn fill(&self, span: &mut Span) {
        let attrs = &span.attrs;
        let text = |p: Pick| {
            p.get().and_then(|i| attrs.get(i)).map(|a| match &a.value {
                AttrValue::Str(s) => s.to_string(),
                other => other.to_text(),
            })
        };
        if span.kind == SpanKind::Other {
            if let Some(k) = self.kind() {
                span.kind = k;
            }
        }
        if span.model.is_none() {
            span.model = text(self.model);
        }
        if span.provider.is_none() {
            span.provider = text(self.provider);
        }
        fill_usage(&mut span.usage, self);
        if span.reported_cost_usd.is_none() {
            span.reported_cost_usd = self.cost.get();
        }
        if span.error_type.is_none() {
            span.error_type = text(self.error_type);
        }
        if span.error_message.is_none() {
            span.error_message = text(self.error_message);
        }
        if span.kind == SpanKind::Tool {
            let tool = span.tool.get_or_insert_with(Default::default);
            if tool.name.is_empty() {
                tool.name = text(self.tool_name)
                    .unwrap_or_else(|| tool_name_from_span_name(&span.name).to_owned());
            }
            if tool.call_id.is_none() {
                tool.call_id = text(self.call_id);
            }
            if tool.arguments.is_none() {
                tool.arguments = text(self.args);
            }
            if tool.result.is_none() {
                tool.result = text(self.result);
            }
        }
        if self.failed && span.status == Status::Unset {
            span.status = Status::Error;
        }
        if self.bad_number {
            span.flags |= flags::BAD_NUMBER;
        }
    }
}

fn fill_usage(u: &mut Usage, s: &Scan) {
    let pairs = [
        (&mut u.input, s.input),
        (&mut u.output, s.output),
        (&mut u.cache_read, s.cache_read),
        (&mut u.cache_write, s.cache_write),
        (&mut u.reasoning, s.reasoning),
        (&mut u.total, s.total),
    ];
    for (field, best) in pairs {
        if field.is_none() {
            *field = best.get();
        }
    }
}

/// GenAI names tool spans `execute_tool {name}`; without a tool-name attribute that is the name.
fn tool_name_from_span_name(name: &str) -> &str {
    name.strip_prefix("execute_tool ").unwrap_or(name).trim()
}
