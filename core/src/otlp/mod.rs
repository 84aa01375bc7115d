//! The OTLP/JSON reader's per-span layer: the byte scanner that cuts a streamed document into
//! pieces, the typed wire structs and their parse, id normalization, and the conversion of a
//! wire span into a model [`Span`](crate::model::Span). The importer around it (documents,
//! runs, problems) is `spoor::ingest::otlp`.

pub mod convert;
pub mod ids;
pub mod scan;
pub mod value;
pub mod wire;
