//! Deal loading: YAML, JSON, TOML and JSON-lines documents → typed values with positions.
//!
//! Each format has a position-keeping parser into a small generic tree ([`doc`]): JSON by a
//! recursive-descent parser ([`json`]), YAML from `saphyr-parser` events with the core schema
//! ([`yaml`]), TOML from `toml_edit` ([`toml`]). One validator ([`validate`]) then maps that tree
//! onto the schema: one slot per field, typed scalars, `Null`, lists and nested records.
//!
//! A JSON deal first tries [`fast`], a one-pass loader straight into schema slots that gives up
//! at anything unusual; the full path then runs and reports. Both then run the checks that need
//! the whole deal ([`stakes`], [`entities`]: names, owners, cycles and defaults of SPEC §7.1).
//!
//! Every error of a deal is collected ([`DealErrors`]); unknown keys are warnings unless
//! [`LoadOptions::strict`]. Limits on depth, node count (YAML alias expansion included) and
//! string length keep hostile input from exhausting the stack or memory.

mod constraints;
mod cycles;
mod dates;
pub(crate) mod doc;
mod entities;
pub mod error;
mod fast;
#[doc(hidden)]
pub mod fuzzing;
mod graph_checks;
pub(crate) mod graph_layout;
mod json;
pub mod json_schema;
mod kinds;
mod names;
mod owners;
pub(crate) mod plan;
mod ranges;
pub mod schema_extends;
mod stakes;
mod suggest;
mod toml;
pub mod tree;
mod validate;
mod yaml;

#[cfg(test)]
mod tests;

use std::path::Path;

pub use error::{DealError, DealErrorKind, DealErrors};
pub use tree::{Deal, Node, NodeValue, Record};

use crate::schema::Schema;
use crate::source::{SourceFile, Span};
use doc::Budget;
use error::Diags;

/// A deal document format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Yaml,
    Json,
    Toml,
}

/// The format of a deal file by its extension (`.yaml`, `.yml`, `.json`, `.toml`, any case).
/// A `.jsonl` batch is not one document: split it with [`jsonl_lines`] and load each line as
/// [`Format::Json`].
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "yaml" | "yml" => Some(Format::Yaml),
        "json" => Some(Format::Json),
        "toml" => Some(Format::Toml),
        _ => None,
    }
}

/// Limits that keep a hostile deal from exhausting the stack or memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The deepest nesting of mappings and lists (the top-level mapping is 1). Recursion is
    /// also capped at 1024 whatever this says; TOML input is capped at 80 by `toml_edit`.
    pub max_depth: usize,
    /// The most values (scalars, lists, mappings) in one deal, counting every use of a YAML
    /// alias as a full copy of its anchored value.
    pub max_nodes: usize,
    /// The longest string, key or scalar, in bytes.
    pub max_string_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 128,
            max_nodes: 1_000_000,
            max_string_len: 1 << 20,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Unknown keys are errors instead of warnings.
    pub strict: bool,
    pub limits: Limits,
}

/// A deal that loaded, with its warnings (unknown keys).
#[derive(Clone, Debug)]
pub struct Loaded {
    pub deal: Deal,
    pub warnings: Vec<DealError>,
}

/// Load one deal: parse `source` as `format`, then validate it against `schema`.
///
/// `path` is the report path (`deals/acme.yaml`, `batch.jsonl:17`), `first_line` the physical
/// line of the source's first line in its file (1 except for a `.jsonl` batch line). A
/// byte-order mark at the start is skipped; spans stay offsets into `source.text`.
pub fn load(
    source: SourceFile,
    path: String,
    first_line: usize,
    format: Format,
    schema: &Schema,
    opts: &LoadOptions,
) -> Result<Loaded, DealErrors> {
    let (_, base) = without_bom(&source.text);
    if format == Format::Json {
        // A clean deal loads in one pass, keys the schema does not know reported as the full
        // loader reports them; anything unusual goes to the full loader below.
        let fast = fast::load_json_fast_with_unknown(&source.text, base, schema, &opts.limits)
            .filter(|(_, _, unknown)| !opts.strict || unknown.is_empty());
        if let Some((mut root, root_span, unknown)) = fast {
            // The checks the full loader runs on a validated deal run here too; a deal they
            // refuse goes to the full loader, which reports it.
            let mut d = Diags::new(&source);
            for k in unknown {
                let e = validate::unknown_key(schema, k.record, &k.key, k.span, false, &d);
                d.push(e);
            }
            let owner_edges = after_validation(schema, &mut root, &mut d);
            let Diags {
                errors, warnings, ..
            } = d;
            if errors.is_empty() {
                return Ok(Loaded {
                    deal: Deal {
                        source,
                        first_line,
                        path,
                        root,
                        root_span,
                        owner_edges,
                    },
                    warnings,
                });
            }
        }
    }
    load_full(source, path, first_line, format, schema, opts)
}

/// The text past a byte-order mark, and the mark's length.
pub(super) fn without_bom(text: &str) -> (&str, usize) {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (text, 0),
    }
}

/// [`load`] by the full loader: every diagnostic of the deal. Public only for
/// [`fuzzing::load_without_fast_path`].
#[doc(hidden)]
pub fn load_full(
    source: SourceFile,
    path: String,
    first_line: usize,
    format: Format,
    schema: &Schema,
    opts: &LoadOptions,
) -> Result<Loaded, DealErrors> {
    let (body, base) = without_bom(&source.text);
    let mut d = Diags::new(&source);
    let mut root = parse_and_validate(body, base, format, schema, opts, &mut d);
    let mut owner_edges = None;
    if let (Some((root, _)), true) = (&mut root, d.errors.is_empty()) {
        owner_edges = after_validation(schema, root, &mut d);
    }
    let Diags {
        errors, warnings, ..
    } = d;
    match root {
        Some((root, root_span)) if errors.is_empty() => Ok(Loaded {
            deal: Deal {
                source,
                first_line,
                path,
                root,
                root_span,
                owner_edges,
            },
            warnings,
        }),
        _ => Err(DealErrors {
            errors,
            warnings,
            file: source,
        }),
    }
}

fn parse_and_validate(
    body: &str,
    base: usize,
    format: Format,
    schema: &Schema,
    opts: &LoadOptions,
    d: &mut Diags,
) -> Option<(Record, Span)> {
    if let Some(nul) = body.find('\0') {
        let e = error::NulByte {
            span: Span::new(base + nul, base + nul + 1),
            src: d.src(),
        };
        d.push(e.into());
        return None;
    }
    let mut budget = Budget::new(&opts.limits);
    let parsed = match format {
        Format::Json => json::parse(body, base, &mut budget, d),
        Format::Yaml => yaml::parse(body, base, &mut budget, d),
        Format::Toml => toml::parse(body, base, &mut budget, d),
    };
    let doc = match parsed {
        Ok(doc) => doc,
        Err(e) => {
            d.push(e);
            return None;
        }
    };
    let validator = validate::Validator {
        schema,
        strict: opts.strict,
    };
    let root = validator.root(&doc, d)?;
    Some((root, doc.span))
}

/// The checks of a deal whose values are valid that need the whole deal, run by both loaders:
/// the stake total (a warning), then the entities and their ownership (SPEC §7.1), which also
/// fill in the defaults of §7.1. What the entity checks found of the owner edges, kept in the
/// [`Deal`] for the ownership graph.
fn after_validation(
    schema: &Schema,
    root: &mut Record,
    d: &mut Diags,
) -> Option<Box<tree::OwnerEdges>> {
    let fresh;
    let plan = match plan::Plan::kept(schema) {
        Some(plan) => plan,
        None => {
            fresh = plan::Plan::of(schema);
            &fresh
        }
    };
    stakes::check(plan, root, d);
    graph_checks::check(plan, root, d)
}

/// Parse a YAML document into the generic position-keeping tree, without a schema: for other
/// YAML files of the project (test suites). Duplicate keys, syntax errors, several documents
/// and unsupported tags are errors, as in a deal; spans are byte offsets into `source.text`.
pub(crate) fn parse_yaml_tree(source: &SourceFile) -> Result<doc::Doc, Vec<DealError>> {
    parse_tree(source, Format::Yaml)
}

/// A document as the plain JSON value it stands for, before any schema: YAML read with the 1.2
/// core schema as a deal is, a TOML date or time as its text. What an editor validates against
/// `covenant schema --json`; for tools, and for the tests that check the schema against the
/// example deals. The error is the first problem's message.
pub fn document_json(text: &str, format: Format) -> Result<serde_json::Value, String> {
    let source = SourceFile::new("document", text);
    match parse_tree(&source, format) {
        Ok(doc) => Ok(doc.to_json()),
        Err(errors) => Err(errors
            .first()
            .map_or_else(|| "unreadable".to_string(), ToString::to_string)),
    }
}

/// Parse a document of `format` into the generic tree, without a schema (see
/// [`parse_yaml_tree`]).
fn parse_tree(source: &SourceFile, format: Format) -> Result<doc::Doc, Vec<DealError>> {
    let mut d = Diags::new(source);
    let (body, base) = without_bom(&source.text);
    let mut budget = Budget::new(&Limits::default());
    let parsed = match format {
        Format::Json => json::parse(body, base, &mut budget, &mut d),
        Format::Yaml => yaml::parse(body, base, &mut budget, &mut d),
        Format::Toml => toml::parse(body, base, &mut budget, &mut d),
    };
    match parsed {
        Ok(doc) if d.errors.is_empty() => Ok(doc),
        Ok(_) => Err(d.errors),
        Err(e) => {
            d.errors.push(e);
            Err(d.errors)
        }
    }
}

/// The non-blank lines of a `.jsonl` batch with their 1-based physical line numbers. Blank
/// lines are skipped but still counted; a `\r` before the `\n` is dropped.
pub fn jsonl_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n').enumerate().filter_map(|(i, line)| {
        let line = line.strip_suffix('\r').unwrap_or(line);
        (!line.trim().is_empty()).then_some((i + 1, line))
    })
}
