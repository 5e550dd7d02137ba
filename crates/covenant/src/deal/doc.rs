//! The generic document tree every parser produces before validation: scalars with their kind
//! and source text, sequences, and mappings with key spans. Byte spans are into the deal's text.

use std::collections::HashMap;

use super::error::{self, DealError, Diags};
use super::Limits;
use crate::source::Span;
pub(crate) use crate::value::looks_like_date;

/// The deepest nesting any parser or the validator will recurse to, whatever the limits say:
/// recursion is bounded so hostile input cannot overflow the stack.
pub(crate) const HARD_MAX_DEPTH: usize = 1024;

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Doc {
    pub kind: DocKind,
    pub span: Span,
}

impl Doc {
    /// The plain JSON value (see [`super::document_json`]): a number as an integer when it is
    /// whole and fits, else as a float; one that is neither (`.inf`) as its text.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            DocKind::Seq(items) => Value::Array(items.iter().map(Doc::to_json).collect()),
            DocKind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
            DocKind::Scalar(Lit::Str { value, .. }) => Value::String(value.clone()),
            DocKind::Scalar(Lit::Bool(b)) => Value::Bool(*b),
            DocKind::Scalar(Lit::Null) => Value::Null,
            DocKind::Scalar(Lit::Date(t) | Lit::DateTime(t)) => Value::String(t.clone()),
            DocKind::Scalar(Lit::Number(t)) => number_json(t),
        }
    }
}

fn number_json(text: &str) -> serde_json::Value {
    let exact = crate::number::read::exact_from_text(text).ok();
    let whole = exact
        .filter(|n| n.is_integer())
        .and_then(|n| n.to_i128())
        .and_then(|n| i64::try_from(n).ok());
    if let Some(n) = whole {
        return n.into();
    }
    let float = exact.and_then(|_| text.replace('_', "").parse::<f64>().ok());
    float
        .and_then(serde_json::Number::from_f64)
        .map_or_else(|| text.into(), serde_json::Value::Number)
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum DocKind {
    Scalar(Lit),
    Seq(Vec<Doc>),
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Doc,
}

/// A scalar as the document wrote it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Lit {
    /// A string; `plain` for a YAML plain scalar the core schema reads as a string.
    Str {
        value: String,
        plain: bool,
    },
    /// A number, kept as its source text (`0.1`, `1e3`, `0x1F`, `1_000`).
    Number(String),
    Bool(bool),
    Null,
    /// A TOML local date (`2026-03-01`), as text.
    Date(String),
    /// A TOML date-time, local time or offset date-time, as text.
    DateTime(String),
}

impl Lit {
    /// How the value is described to the user: "a number `12`".
    pub fn describe(&self) -> String {
        match self {
            Lit::Str { value, .. } => {
                if looks_like_date(value) {
                    format!("a date `{value}`")
                } else {
                    format!("a string `{}`", shorten(value))
                }
            }
            Lit::Number(t) => format!("a number `{}`", shorten(t)),
            Lit::Bool(b) => format!("a boolean `{b}`"),
            Lit::Null => "null".into(),
            Lit::Date(t) => format!("a date `{}`", shorten(t)),
            Lit::DateTime(t) => format!("a date-time `{}`", shorten(t)),
        }
    }

    /// The text of the scalar as it would be written inside quotes.
    pub fn text(&self) -> &str {
        match self {
            Lit::Str { value, .. } => value,
            Lit::Number(t) | Lit::Date(t) | Lit::DateTime(t) => t,
            Lit::Bool(true) => "true",
            Lit::Bool(false) => "false",
            Lit::Null => "null",
        }
    }
}

impl Doc {
    pub fn describe(&self) -> String {
        match &self.kind {
            DocKind::Scalar(l) => l.describe(),
            DocKind::Seq(_) => "a list".into(),
            DocKind::Map(_) => "a mapping".into(),
        }
    }
}

/// At most 40 characters of user text for a message.
pub(crate) fn shorten(t: &str) -> String {
    // Of at most 40 bytes, at most 40 characters: kept whole without counting them.
    if t.len() <= 40 {
        return t.to_owned();
    }
    let mut chars = t.chars();
    let head: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// Depth, node and string-length limits, checked while a parser builds the tree.
pub(crate) struct Budget {
    pub max_depth: usize,
    pub max_nodes: usize,
    pub max_string_len: usize,
    pub nodes: usize,
}

impl Budget {
    pub fn new(limits: &Limits) -> Budget {
        Budget {
            max_depth: limits.max_depth.min(HARD_MAX_DEPTH),
            max_nodes: limits.max_nodes,
            max_string_len: limits.max_string_len,
            nodes: 0,
        }
    }

    /// Count `n` more nodes.
    pub fn add_nodes(&mut self, n: usize, span: Span, d: &Diags) -> Result<(), DealError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.max_nodes {
            return Err(error::TooManyValues {
                limit: self.max_nodes,
                span,
                src: d.src(),
            }
            .into());
        }
        Ok(())
    }

    /// Check the nesting depth when entering a collection at `depth` (the root is depth 1).
    pub fn enter(&self, depth: usize, span: Span, d: &Diags) -> Result<(), DealError> {
        if depth > self.max_depth {
            return Err(error::NestedTooDeep {
                limit: self.max_depth,
                span,
                src: d.src(),
            }
            .into());
        }
        Ok(())
    }

    pub fn check_string(&self, len: usize, span: Span, d: &Diags) -> Result<(), DealError> {
        if len > self.max_string_len {
            return Err(error::StringTooLong {
                len,
                limit: self.max_string_len,
                span,
                src: d.src(),
            }
            .into());
        }
        Ok(())
    }
}

/// Builds a mapping, reporting a duplicate key (keeping the first) as it goes.
///
/// A small mapping (the usual deal record) is searched linearly; past [`MapBuilder::LINEAR`]
/// entries an index by key takes over.
#[derive(Default)]
pub(crate) struct MapBuilder {
    pub entries: Vec<Entry>,
    /// Key → position in `entries`, built once the mapping is large.
    index: Option<HashMap<String, usize>>,
}

impl MapBuilder {
    const LINEAR: usize = 16;

    pub fn insert(&mut self, entry: Entry, d: &mut Diags) {
        let first = match &self.index {
            Some(index) => index.get(&entry.key).copied(),
            None => self.entries.iter().position(|e| e.key == entry.key),
        };
        if let Some(first) = first.and_then(|i| self.entries.get(i)) {
            let e = duplicate_key(d, &entry.key, entry.key_span, Some(first.key_span));
            d.push(e);
            return;
        }
        if let Some(index) = &mut self.index {
            index.insert(entry.key.clone(), self.entries.len());
        } else if self.entries.len() >= Self::LINEAR {
            let index = self.entries.iter().enumerate();
            let mut index: HashMap<String, usize> =
                index.map(|(i, e)| (e.key.clone(), i)).collect();
            index.insert(entry.key.clone(), self.entries.len());
            self.index = Some(index);
        }
        self.entries.push(entry);
    }
}

pub(crate) fn duplicate_key(d: &Diags, key: &str, second: Span, first: Option<Span>) -> DealError {
    error::DuplicateKey {
        key: shorten(key),
        span: second,
        first,
        src: d.src(),
    }
    .into()
}
