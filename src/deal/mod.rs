//! Deal loading: YAML, JSON, TOML and JSON-lines documents → typed values with positions.
//! (Placeholder API until the loader lands.)

pub mod tree;

use std::path::Path;

use crate::schema::Schema;
use crate::source::SourceFile;
use tree::Deal;

pub enum Format {
    Yaml,
    Json,
    Toml,
}

pub fn format_of(path: &Path) -> Option<Format> {
    match path.extension()?.to_str()? {
        "yaml" | "yml" => Some(Format::Yaml),
        "json" => Some(Format::Json),
        "toml" => Some(Format::Toml),
        _ => None,
    }
}

#[derive(Default, Clone)]
pub struct LoadOptions {
    pub strict: bool,
}

pub struct Loaded {
    pub deal: Deal,
    pub warnings: Vec<DealError>,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("not built")]
pub struct DealError;

pub struct DealErrors {
    pub errors: Vec<DealError>,
    pub warnings: Vec<DealError>,
}

pub fn load(
    _source: SourceFile,
    _path: String,
    _first_line: usize,
    _format: Format,
    _schema: &Schema,
    _opts: &LoadOptions,
) -> Result<Loaded, DealErrors> {
    Err(DealErrors {
        errors: vec![DealError],
        warnings: vec![],
    })
}

pub fn jsonl_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l))
}

pub mod json_schema {
    pub fn schema_from_json_schema(
        _text: &str,
        _name: &str,
    ) -> Result<crate::schema::Schema, String> {
        Err("not built yet".into())
    }
}
