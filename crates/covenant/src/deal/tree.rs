//! A loaded deal: typed values in schema slots, each with its source span.

use crate::source::{SourceFile, Span};
use crate::value::Scalar;

/// A deal value with the span of its text in the deal's source.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: NodeValue,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeValue {
    /// An explicit `null` (YAML `~`/`null`/empty, JSON `null`): read as missing.
    Null,
    Scalar(Scalar),
    List(Vec<Node>),
    Record(Record),
}

/// A record: one slot per field of its schema record type, in schema order.
/// `None` is a missing field (absent from the document).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Record {
    pub fields: Vec<Option<Node>>,
}

impl Record {
    pub fn field(&self, index: usize) -> Option<&Node> {
        self.fields.get(index).and_then(Option::as_ref)
    }
}

/// One deal, validated against its schema.
#[derive(Clone, Debug)]
pub struct Deal {
    /// The deal's text. For a `.jsonl` batch, the text of its one line, named `batch.jsonl:17`.
    pub source: SourceFile,
    /// The physical line of `source` in its file (1 except for a `.jsonl` batch line).
    pub first_line: usize,
    /// The report path: `deals/acme.yaml` or `batch.jsonl:17`.
    pub path: String,
    pub root: Record,
    pub root_span: Span,
    /// What validation found of the deal's entities (SPEC §7.1), kept for the ownership
    /// floor; `None` for a deal without the standard entities' layout.
    pub(crate) owner_edges: Option<Box<OwnerEdges>>,
}

/// The owner edges validation resolved in a deal (SPEC §7.1), by position, so the ownership
/// graph need not look their names up again. The entities are the record items of `parties`,
/// then of `entities`, as in [`crate::ownership::EntityId`]. Positions, not references: the
/// defaults of §7.1 are filled in after validation, and `root` is public, so a reader checks
/// each edge against the deal as it is (the owner item's name is still the owner's name)
/// before trusting it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct OwnerEdges {
    /// How many entities the deal had.
    pub entities: usize,
    /// In deal order (by `to`, then `item`): each owner item whose name named an entity.
    pub edges: Vec<OwnerEdge>,
    /// The entities that had a name (a string), sorted by it.
    pub by_name: Vec<u32>,
}

/// Entity `from` is named by item `item` of the `owners` of entity `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct OwnerEdge {
    pub to: u32,
    pub item: u32,
    pub from: u32,
}

impl Deal {
    /// The deal's file: the path without a batch's `:N` line suffix.
    pub fn file(&self) -> &str {
        match self.path.rsplit_once(':') {
            Some((file, n)) if self.first_line > 1 || file.ends_with(".jsonl") => {
                if n.parse::<usize>().is_ok() {
                    file
                } else {
                    &self.path
                }
            }
            _ => &self.path,
        }
    }

    /// 1-based (line, column) in the deal's file of a span's start.
    pub fn line_col(&self, span: Span) -> (usize, usize) {
        let (line, col) = self.source.line_col(span.start);
        (line + self.first_line - 1, col)
    }
}
