//! Span-kind vocabularies of the conventions exporters use. Each table maps a convention's own
//! words to a [`SpanKind`]; a word a table does not know decides nothing, so the next
//! convention (or the attribute-presence fallback) gets its say.

use crate::model::SpanKind;

/// OTel GenAI `gen_ai.operation.name` (plus `chain`, which LangSmith's OTel bridge writes, and
/// `retrieval`, which newer GenAI conventions define).
const OPERATION_NAME: &[(&str, SpanKind)] = &[
    ("chat", SpanKind::Llm),
    ("text_completion", SpanKind::Llm),
    ("generate_content", SpanKind::Llm),
    ("completion", SpanKind::Llm),
    ("embeddings", SpanKind::Embedding),
    ("execute_tool", SpanKind::Tool),
    ("invoke_agent", SpanKind::Agent),
    ("create_agent", SpanKind::Agent),
    ("retrieval", SpanKind::Retrieval),
    ("chain", SpanKind::Chain),
];

/// OpenInference `openinference.span.kind`. There is no evaluator kind in the model; an
/// evaluator checks another step's output, which is what a guardrail does.
const OPENINFERENCE: &[(&str, SpanKind)] = &[
    ("LLM", SpanKind::Llm),
    ("TOOL", SpanKind::Tool),
    ("AGENT", SpanKind::Agent),
    ("CHAIN", SpanKind::Chain),
    ("RETRIEVER", SpanKind::Retrieval),
    ("RERANKER", SpanKind::Retrieval),
    ("EMBEDDING", SpanKind::Embedding),
    ("GUARDRAIL", SpanKind::Guardrail),
    ("EVALUATOR", SpanKind::Guardrail),
];

/// OpenLLMetry `traceloop.span.kind`: workflows and tasks are orchestration steps.
const TRACELOOP: &[(&str, SpanKind)] = &[
    ("workflow", SpanKind::Chain),
    ("task", SpanKind::Chain),
    ("agent", SpanKind::Agent),
    ("tool", SpanKind::Tool),
    ("llm", SpanKind::Llm),
];

/// OpenLLMetry `llm.request.type`.
const REQUEST_TYPE: &[(&str, SpanKind)] = &[
    ("chat", SpanKind::Llm),
    ("completion", SpanKind::Llm),
    ("embedding", SpanKind::Embedding),
    ("rerank", SpanKind::Retrieval),
];

/// Vercel AI SDK `ai.operationId`: the `do*` inner spans are the provider calls; the outer
/// `ai.generateText`-style spans wrap a multi-step loop with tool calls.
const VERCEL: &[(&str, SpanKind)] = &[
    ("ai.generateText.doGenerate", SpanKind::Llm),
    ("ai.streamText.doStream", SpanKind::Llm),
    ("ai.generateObject.doGenerate", SpanKind::Llm),
    ("ai.streamObject.doStream", SpanKind::Llm),
    ("ai.toolCall", SpanKind::Tool),
    ("ai.embed", SpanKind::Embedding),
    ("ai.embed.doEmbed", SpanKind::Embedding),
    ("ai.embedMany", SpanKind::Embedding),
    ("ai.embedMany.doEmbed", SpanKind::Embedding),
    ("ai.generateText", SpanKind::Chain),
    ("ai.streamText", SpanKind::Chain),
    ("ai.generateObject", SpanKind::Chain),
    ("ai.streamObject", SpanKind::Chain),
];

/// LangSmith `langsmith.span.kind`.
const LANGSMITH: &[(&str, SpanKind)] = &[
    ("llm", SpanKind::Llm),
    ("chain", SpanKind::Chain),
    ("tool", SpanKind::Tool),
    ("retriever", SpanKind::Retrieval),
    ("embedding", SpanKind::Embedding),
];

/// The convention families that name a span's kind outright, most specific first.
#[derive(Debug, Clone, Copy)]
pub(super) enum Family {
    OperationName,
    OpenInference,
    Traceloop,
    RequestType,
    Vercel,
    LangSmith,
}

impl Family {
    /// Lower ranks win when several families speak on one span.
    pub(super) fn rank(self) -> u8 {
        self as u8
    }

    /// The kind this family's word means, if it knows the word (case-insensitive, no allocation).
    pub(super) fn kind_of(self, word: &str) -> Option<SpanKind> {
        let table = match self {
            Family::OperationName => OPERATION_NAME,
            Family::OpenInference => OPENINFERENCE,
            Family::Traceloop => TRACELOOP,
            Family::RequestType => REQUEST_TYPE,
            Family::Vercel => VERCEL,
            Family::LangSmith => LANGSMITH,
        };
        let word = word.trim();
        table
            .iter()
            .find(|(w, _)| w.eq_ignore_ascii_case(word))
            .map(|&(_, k)| k)
    }
}
