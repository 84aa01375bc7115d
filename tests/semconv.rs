//! `semconv::apply` per convention family, on spans built by hand: OTel GenAI (current and
//! older spellings), OpenInference, OpenLLMetry, the Vercel AI SDK, LangSmith, the attribute
//! presence fallbacks, tool calls, errors and absurd numbers.

use spoor::ingest::semconv::{agent_of, apply};
use spoor::model::{flags, Attr, AttrValue, Span, SpanEvent, SpanKind, Status, Usage};

fn s(v: &str) -> AttrValue {
    AttrValue::Str(spoor::model::Text::from(v.to_owned()))
}

fn span(name: &str, attrs: &[(&str, AttrValue)]) -> Span {
    let mut span = Span {
        name: name.to_owned(),
        attrs: attrs
            .iter()
            .map(|(k, v)| Attr::new(*k, v.clone()))
            .collect(),
        ..Span::default()
    };
    apply(&mut span);
    span
}

fn kind_of(key: &str, value: &str) -> SpanKind {
    span("x", &[(key, s(value))]).kind
}

#[test]
fn otel_genai_current() {
    let sp = span(
        "chat claude",
        &[
            ("gen_ai.operation.name", s("chat")),
            ("gen_ai.provider.name", s("anthropic")),
            ("gen_ai.request.model", s("claude-sonnet-4")),
            ("gen_ai.response.model", s("claude-sonnet-4-20250514")),
            ("gen_ai.usage.input_tokens", AttrValue::Int(1840)),
            ("gen_ai.usage.output_tokens", AttrValue::Int(260)),
            ("gen_ai.usage.cache_read.input_tokens", AttrValue::Int(920)),
            (
                "gen_ai.usage.cache_creation.input_tokens",
                AttrValue::Int(64),
            ),
            ("gen_ai.usage.reasoning.output_tokens", AttrValue::Int(12)),
            ("gen_ai.usage.cost", AttrValue::Float(0.0123)),
        ],
    );
    assert_eq!(sp.kind, SpanKind::Llm);
    assert_eq!(sp.provider.as_deref(), Some("anthropic"));
    // What answered beats what was asked for.
    assert_eq!(sp.model.as_deref(), Some("claude-sonnet-4-20250514"));
    assert_eq!(
        sp.usage,
        Usage {
            input: Some(1840),
            output: Some(260),
            cache_read: Some(920),
            cache_write: Some(64),
            reasoning: Some(12),
            total: None,
        }
    );
    assert_eq!(sp.reported_cost_usd, Some(0.0123));
    assert_eq!(sp.flags, 0);
}

#[test]
fn otel_genai_operation_names() {
    let cases = [
        ("chat", SpanKind::Llm),
        ("text_completion", SpanKind::Llm),
        ("generate_content", SpanKind::Llm),
        ("completion", SpanKind::Llm),
        ("embeddings", SpanKind::Embedding),
        ("execute_tool", SpanKind::Tool),
        ("invoke_agent", SpanKind::Agent),
        ("create_agent", SpanKind::Agent),
        ("retrieval", SpanKind::Retrieval),
        ("something_new", SpanKind::Other),
    ];
    for (op, kind) in cases {
        assert_eq!(kind_of("gen_ai.operation.name", op), kind, "{op}");
    }
}

/// Older GenAI conventions said `gen_ai.system` and `prompt_tokens`/`completion_tokens`; when a
/// span carries both spellings the current one wins.
#[test]
fn otel_genai_version_differences() {
    let old = span(
        "openai.chat",
        &[
            ("gen_ai.system", s("openai")),
            ("gen_ai.request.model", s("gpt-4o")),
            ("gen_ai.usage.prompt_tokens", AttrValue::Int(31)),
            ("gen_ai.usage.completion_tokens", AttrValue::Int(96)),
        ],
    );
    assert_eq!(old.kind, SpanKind::Llm);
    assert_eq!(old.provider.as_deref(), Some("openai"));
    assert_eq!(old.model.as_deref(), Some("gpt-4o"));
    assert_eq!((old.usage.input, old.usage.output), (Some(31), Some(96)));

    let both = span(
        "chat",
        &[
            ("gen_ai.system", s("az.ai.openai")),
            ("gen_ai.usage.prompt_tokens", AttrValue::Int(1)),
            ("gen_ai.usage.completion_tokens", AttrValue::Int(2)),
            ("gen_ai.provider.name", s("azure.ai.openai")),
            ("gen_ai.usage.input_tokens", AttrValue::Int(10)),
            ("gen_ai.usage.output_tokens", AttrValue::Int(20)),
        ],
    );
    assert_eq!(both.provider.as_deref(), Some("azure.ai.openai"));
    assert_eq!((both.usage.input, both.usage.output), (Some(10), Some(20)));
}

/// OpenInference as Langfuse and agent-prism files carry it: every value a string.
#[test]
fn openinference() {
    let llm = span(
        "ChatOpenAI",
        &[
            ("openinference.span.kind", s("LLM")),
            ("llm.model_name", s("gpt-4o-mini")),
            ("llm.provider", s("openai")),
            ("llm.system", s("openai-sdk")),
            ("llm.token_count.prompt", s("190")),
            ("llm.token_count.completion", s("164")),
            ("llm.token_count.total", s("354")),
            ("llm.token_count.prompt_details.cache_read", s("100")),
            ("llm.token_count.prompt_details.cache_write", s("7")),
            ("llm.token_count.completion_details.reasoning", s("0")),
            ("llm.cost.total", s("0.0001269")),
        ],
    );
    assert_eq!(llm.kind, SpanKind::Llm);
    assert_eq!(llm.model.as_deref(), Some("gpt-4o-mini"));
    assert_eq!(llm.provider.as_deref(), Some("openai"));
    assert_eq!(
        llm.usage,
        Usage {
            input: Some(190),
            output: Some(164),
            cache_read: Some(100),
            cache_write: Some(7),
            reasoning: Some(0),
            total: Some(354),
        }
    );
    assert_eq!(llm.reported_cost_usd, Some(0.0001269));

    let kinds = [
        ("TOOL", SpanKind::Tool),
        ("AGENT", SpanKind::Agent),
        ("CHAIN", SpanKind::Chain),
        ("RETRIEVER", SpanKind::Retrieval),
        ("EMBEDDING", SpanKind::Embedding),
        ("RERANKER", SpanKind::Retrieval),
        ("GUARDRAIL", SpanKind::Guardrail),
        ("EVALUATOR", SpanKind::Guardrail),
        ("UNKNOWN", SpanKind::Other),
    ];
    for (word, kind) in kinds {
        assert_eq!(kind_of("openinference.span.kind", word), kind, "{word}");
    }

    let tool = span(
        "duckduckgo_search",
        &[
            ("openinference.span.kind", s("TOOL")),
            ("tool.name", s("duckduckgo_search")),
            ("tool.parameters", s(r#"{"type":"object"}"#)),
            ("input.value", s(r#"{"query":"weather"}"#)),
            ("output.value", s("sunny")),
        ],
    );
    let call = tool.tool.expect("a tool call");
    assert_eq!(call.name, "duckduckgo_search");
    // `input.value` holds the arguments; `tool.parameters` is only a fallback.
    assert_eq!(call.arguments.as_deref(), Some(r#"{"query":"weather"}"#));
    assert_eq!(call.result.as_deref(), Some("sunny"));
}

#[test]
fn openllmetry() {
    let kinds = [
        ("workflow", SpanKind::Chain),
        ("task", SpanKind::Chain),
        ("agent", SpanKind::Agent),
        ("tool", SpanKind::Tool),
        ("llm", SpanKind::Llm),
    ];
    for (word, kind) in kinds {
        assert_eq!(kind_of("traceloop.span.kind", word), kind, "{word}");
    }
    assert_eq!(kind_of("llm.request.type", "chat"), SpanKind::Llm);
    assert_eq!(
        kind_of("llm.request.type", "embedding"),
        SpanKind::Embedding
    );
    let sp = span(
        "anthropic.chat",
        &[
            ("llm.request.type", s("chat")),
            ("gen_ai.system", s("Anthropic")),
            ("gen_ai.request.model", s("claude-3-5-haiku")),
            ("gen_ai.usage.prompt_tokens", AttrValue::Int(50)),
            ("gen_ai.usage.completion_tokens", AttrValue::Int(5)),
            ("gen_ai.usage.cache_read_input_tokens", AttrValue::Int(40)),
            (
                "gen_ai.usage.cache_creation_input_tokens",
                AttrValue::Int(3),
            ),
            ("llm.usage.total_tokens", AttrValue::Int(55)),
        ],
    );
    assert_eq!(sp.kind, SpanKind::Llm);
    assert_eq!(sp.provider.as_deref(), Some("Anthropic"));
    assert_eq!(
        sp.usage,
        Usage {
            input: Some(50),
            output: Some(5),
            cache_read: Some(40),
            cache_write: Some(3),
            reasoning: None,
            total: Some(55),
        }
    );
}

/// The Vercel AI SDK (`ai.*`) and LangSmith's OTel bridge, both seen in the Langfuse fixtures.
#[test]
fn vercel_ai_sdk_and_langsmith() {
    let sp = span(
        "ai.generateText.doGenerate",
        &[
            ("ai.operationId", s("ai.generateText.doGenerate")),
            ("ai.model.id", s("gpt-5")),
            ("ai.model.provider", s("openai.responses")),
            ("ai.response.model", s("gpt-5-2025-08-07")),
            ("ai.usage.promptTokens", s("62")),
            ("ai.usage.completionTokens", s("85")),
        ],
    );
    assert_eq!(sp.kind, SpanKind::Llm);
    assert_eq!(sp.model.as_deref(), Some("gpt-5-2025-08-07"));
    assert_eq!(sp.provider.as_deref(), Some("openai.responses"));
    assert_eq!((sp.usage.input, sp.usage.output), (Some(62), Some(85)));
    let tool = span(
        "getWeather",
        &[
            ("ai.operationId", s("ai.toolCall")),
            ("ai.toolCall.name", s("getWeather")),
            ("ai.toolCall.id", s("call_1")),
            ("ai.toolCall.args", s(r#"{"location":"SF"}"#)),
            ("ai.toolCall.result", s("64F")),
        ],
    );
    assert_eq!(tool.kind, SpanKind::Tool);
    let call = tool.tool.expect("tool call");
    assert_eq!(
        (call.name.as_str(), call.call_id.as_deref()),
        ("getWeather", Some("call_1"))
    );
    assert_eq!(call.arguments.as_deref(), Some(r#"{"location":"SF"}"#));
    assert_eq!(call.result.as_deref(), Some("64F"));
    assert_eq!(
        kind_of("ai.operationId", "ai.generateText"),
        SpanKind::Chain
    );
    assert_eq!(
        kind_of("langsmith.span.kind", "retriever"),
        SpanKind::Retrieval
    );
    assert_eq!(kind_of("langsmith.span.kind", "llm"), SpanKind::Llm);
}

/// Without an explicit kind, a model means a model call, a tool name a tool, an agent name an
/// agent; an explicit kind always wins over presence.
#[test]
fn presence_fallbacks() {
    assert_eq!(kind_of("gen_ai.request.model", "gpt-4o"), SpanKind::Llm);
    assert_eq!(kind_of("llm.model_name", "gpt-4o"), SpanKind::Llm);
    assert_eq!(kind_of("gen_ai.tool.name", "HelloTool"), SpanKind::Tool);
    assert_eq!(kind_of("tool.name", "search"), SpanKind::Tool);
    assert_eq!(kind_of("gen_ai.agent.name", "joke_agent"), SpanKind::Agent);
    assert_eq!(kind_of("http.route", "/v1/chat"), SpanKind::Other);
    let explicit = span(
        "agent.react.update",
        &[
            ("openinference.span.kind", s("AGENT")),
            ("tool.name", s("Wikipedia")),
        ],
    );
    assert_eq!(explicit.kind, SpanKind::Agent);
    assert!(explicit.tool.is_none());
    let agent = span(
        "invoke_agent triage",
        &[
            ("gen_ai.operation.name", s("invoke_agent")),
            ("gen_ai.agent.name", s("triage-agent")),
            ("gen_ai.request.model", s("model-a")),
        ],
    );
    assert_eq!(agent.kind, SpanKind::Agent);
    assert_eq!(agent_of(&agent), Some("triage-agent"));
}

#[test]
fn genai_tool_call() {
    let sp = span(
        "execute_tool summarize_findings",
        &[
            ("gen_ai.operation.name", s("execute_tool")),
            ("gen_ai.tool.call.id", s("call_7")),
            ("gen_ai.tool.call.arguments", s(r#"{"n":3}"#)),
            ("gen_ai.tool.call.result", s("done")),
            ("input.value", s("ignored: the GenAI arguments win")),
        ],
    );
    let call = sp.tool.expect("tool call");
    // No gen_ai.tool.name: the GenAI span name `execute_tool {name}` says it.
    assert_eq!(call.name, "summarize_findings");
    assert_eq!(call.call_id.as_deref(), Some("call_7"));
    assert_eq!(call.arguments.as_deref(), Some(r#"{"n":3}"#));
    assert_eq!(call.result.as_deref(), Some("done"));
    // Non-tool spans get no tool call, whatever input.value says.
    let llm = span(
        "chat",
        &[
            ("gen_ai.operation.name", s("chat")),
            ("input.value", s("hi")),
        ],
    );
    assert!(llm.tool.is_none());
}

#[test]
fn errors() {
    let sp = span(
        "chat",
        &[
            ("error.type", s("RateLimitError")),
            ("exception.message", s("429 Too Many Requests")),
        ],
    );
    assert_eq!(sp.status, Status::Error);
    assert_eq!(sp.error_type.as_deref(), Some("RateLimitError"));
    assert_eq!(sp.error_message.as_deref(), Some("429 Too Many Requests"));

    // exception.* attributes describe an error but do not by themselves fail the span.
    let sp = span(
        "x",
        &[
            ("exception.type", s("ValueError")),
            ("exception.message", s("bad")),
        ],
    );
    assert_eq!(sp.status, Status::Unset);
    assert_eq!(sp.error_type.as_deref(), Some("ValueError"));

    // An OTel exception event names the error of a span that failed.
    let mut sp = Span {
        status: Status::Error,
        events: vec![SpanEvent {
            time_ns: 5,
            name: "exception".into(),
            attrs: vec![
                Attr::new("exception.type", s("TimeoutError")),
                Attr::new("exception.message", s("tool timed out after 30s")),
            ],
        }],
        ..Span::default()
    };
    apply(&mut sp);
    assert_eq!(sp.error_type.as_deref(), Some("TimeoutError"));
    assert_eq!(
        sp.error_message.as_deref(),
        Some("tool timed out after 30s")
    );

    // A status the importer set (e.g. an OK from OTLP) is not overridden by error.type.
    let mut ok = Span {
        status: Status::Ok,
        attrs: vec![Attr::new("error.type", s("_OTHER"))],
        ..Span::default()
    };
    apply(&mut ok);
    assert_eq!(ok.status, Status::Ok);
}

/// Negative, NaN and non-numeric counts are dropped and flagged; whole floats and numeric
/// strings are fine.
#[test]
fn absurd_numbers_are_not_stored() {
    let sp = span(
        "chat",
        &[
            ("gen_ai.operation.name", s("chat")),
            ("gen_ai.usage.input_tokens", AttrValue::Int(-5)),
            ("gen_ai.usage.output_tokens", AttrValue::Float(f64::NAN)),
            ("llm.token_count.total", s("lots")),
            ("llm.cost.total", AttrValue::Float(-0.5)),
            ("gen_ai.usage.cache_read.input_tokens", s("12.0")),
            (
                "gen_ai.usage.reasoning.output_tokens",
                AttrValue::Float(3.0),
            ),
        ],
    );
    assert_eq!(sp.usage.input, None);
    assert_eq!(sp.usage.output, None);
    assert_eq!(sp.usage.total, None);
    assert_eq!(sp.reported_cost_usd, None);
    assert_eq!(sp.usage.cache_read, Some(12));
    assert_eq!(sp.usage.reasoning, Some(3));
    assert!(sp.has_flag(flags::BAD_NUMBER));
    // A bad value in one spelling does not hide a good one in another.
    let sp = span(
        "chat",
        &[
            ("gen_ai.usage.input_tokens", s("-1")),
            ("llm.token_count.prompt", s("40")),
        ],
    );
    assert_eq!(sp.usage.input, Some(40));
    assert!(sp.has_flag(flags::BAD_NUMBER));
}

/// Fields an importer already set (Langfuse's typed `model`, `usageDetails`, observation type)
/// are not replaced; only empty ones are filled.
#[test]
fn importer_fields_win() {
    let mut sp = Span {
        kind: SpanKind::Agent,
        model: Some("gpt-5-mini".into()),
        usage: Usage {
            input: Some(44),
            ..Usage::default()
        },
        attrs: vec![
            Attr::new("gen_ai.operation.name", s("chat")),
            Attr::new("gen_ai.request.model", s("other")),
            Attr::new("gen_ai.usage.input_tokens", s("77")),
            Attr::new("gen_ai.usage.output_tokens", s("86")),
        ],
        ..Span::default()
    };
    apply(&mut sp);
    assert_eq!(sp.kind, SpanKind::Agent);
    assert_eq!(sp.model.as_deref(), Some("gpt-5-mini"));
    assert_eq!((sp.usage.input, sp.usage.output), (Some(44), Some(86)));
}

/// A span with nothing the conventions know stays exactly as it was.
#[test]
fn unrelated_spans_are_untouched() {
    let before = Span {
        name: "GET /api/v1/pods".into(),
        attrs: vec![
            Attr::new("http.request.method", s("GET")),
            Attr::new("db.system.name", s("postgresql")),
            Attr::new("gen_ai.input.messages", s("[]")),
            Attr::new("llm.model_name", s("")),
        ],
        ..Span::default()
    };
    let mut after = before.clone();
    apply(&mut after);
    assert_eq!(after, before);
}
