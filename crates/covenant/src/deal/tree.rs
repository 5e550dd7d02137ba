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
        match crate::source::file_and_line(&self.path) {
            Some((file, _)) if self.first_line > 1 || file.ends_with(".jsonl") => file,
            _ => &self.path,
        }
    }

    /// 1-based (line, column) in the deal's file of a span's start.
    pub fn line_col(&self, span: Span) -> (usize, usize) {
        let (line, col) = self.source.line_col(span.start);
        (line + self.first_line - 1, col)
    }
}

/// The positions of the records of a few lists (a deal's `parties`, then its `entities`),
/// counted over the lists in order, found from a record's address: no index to build for a
/// deal. Only the list items themselves are found (a record inside one is not).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RecordIds<'d> {
    lists: [&'d [Node]; 2],
    /// Every item of the lists is a record: an item's position is its index.
    dense: bool,
}

impl<'d> RecordIds<'d> {
    pub fn new(lists: [&'d [Node]; 2]) -> RecordIds<'d> {
        let dense = lists
            .iter()
            .all(|l| l.iter().all(|n| matches!(n.value, NodeValue::Record(_))));
        RecordIds { lists, dense }
    }

    /// The position of `record` among the records of the lists, if it is one of their items.
    pub fn of(&self, record: &Record) -> Option<usize> {
        let mut before = 0;
        for list in self.lists {
            let records = |items: &[Node]| {
                items
                    .iter()
                    .filter(|n| matches!(n.value, NodeValue::Record(_)))
                    .count()
            };
            if let Some(i) = item_of(list, record) {
                let within = if self.dense {
                    i
                } else {
                    records(list.get(..i)?)
                };
                return Some(before + within);
            }
            before += if self.dense {
                list.len()
            } else {
                records(list)
            };
        }
        None
    }
}

/// The index of the item of `list` whose value is `record` (the same record, by address).
fn item_of(list: &[Node], record: &Record) -> Option<usize> {
    let size = std::mem::size_of::<Node>().max(1);
    let offset = (std::ptr::from_ref(record) as usize).checked_sub(list.as_ptr() as usize)?;
    let i = offset / size;
    match &list.get(i)?.value {
        NodeValue::Record(r) if std::ptr::eq(r, record) => Some(i),
        _ => None,
    }
}
