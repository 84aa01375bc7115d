//! Kind colours, shared by the canvas minimap, SVG export and (mirrored) the CSS.

use crate::model::SpanKind;

pub fn kind_color(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Agent => "#8250df",
        SpanKind::Llm => "#1f6feb",
        SpanKind::Tool => "#d4a72c",
        SpanKind::Retrieval => "#1a7f37",
        SpanKind::Embedding => "#0e8a8a",
        SpanKind::Chain => "#6e7781",
        SpanKind::Planning => "#bf3989",
        SpanKind::Iteration => "#8c959f",
        SpanKind::Guardrail => "#cf222e",
        SpanKind::Other => "#57606a",
    }
}
