//! The deal's `approvals` as evaluation reads them (SPEC §10): each approval's values, with
//! the spans warnings point at. Fields are found by name in the schema's approval record,
//! so an extension's fields (`$defs.Approval`) change nothing; a missing or `null` value is
//! absent.

use jiff::civil::Date;

use crate::deal::plan::Plan;
use crate::deal::tree::{Deal, Node, NodeValue, Record};
use crate::schema::{RecordSchema, Schema, Type};
use crate::source::Span;
use crate::value::Scalar;

use super::super::waiver::Expiry;

/// One approval of the deal.
#[derive(Clone, Debug)]
pub(crate) struct Approval<'d> {
    /// Its position in `approvals`, from 0.
    pub index: usize,
    /// The whole approval.
    pub span: Span,
    pub id: Option<&'d str>,
    pub kind: Option<&'d str>,
    pub authority: Option<At<&'d str>>,
    /// The rule ids it names.
    pub rules: Vec<At<&'d str>>,
    /// The entities it is limited to, and the span of the list (when it names any).
    pub parties: Vec<At<&'d str>>,
    pub parties_span: Option<Span>,
    pub granted: Option<At<Date>>,
    pub expires: Option<At<Expiry>>,
    pub reference: Option<&'d str>,
}

impl Approval<'_> {
    /// Whether it names rule `id`.
    pub fn names(&self, id: &str) -> bool {
        self.rules.iter().any(|(r, _)| *r == id)
    }

    /// Which of `authority`, `granted`, `expires` it lacks.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.authority.is_none() {
            out.push("authority");
        }
        if self.granted.is_none() {
            out.push("granted");
        }
        if self.expires.is_none() {
            out.push("expires");
        }
        out
    }

    /// How messages name it: `approval `MIT-2025-031``, or `approval 2` without an id.
    pub fn name(&self) -> String {
        match self.id {
            Some(id) => format!("approval `{id}`"),
            None => format!("approval {} of `approvals`", self.index + 1),
        }
    }
}

/// The approvals of `deal`, in deal order (none when the schema has no `approvals` list).
pub(crate) fn read<'d>(schema: &Schema, deal: &'d Deal) -> Vec<Approval<'d>> {
    // Found once per schema (in its load plan), not by name for every deal.
    let Some((index, id)) = Plan::kept_or_made(schema).approvals else {
        return Vec::new();
    };
    let record = schema.record(id);
    let Some(NodeValue::List(items)) = deal.root.field(index).map(|n| &n.value) else {
        return Vec::new();
    };
    if items.is_empty() {
        return Vec::new();
    }
    let fields = Fields::of(record);
    items
        .iter()
        .enumerate()
        .filter_map(|(i, n)| match &n.value {
            NodeValue::Record(r) => Some(fields.approval(i, n.span, r)),
            _ => None,
        })
        .collect()
}

/// The approval record's fields, by index.
struct Fields {
    id: Option<usize>,
    kind: Option<usize>,
    authority: Option<usize>,
    rules: Option<usize>,
    parties: Option<usize>,
    granted: Option<usize>,
    expires: Option<usize>,
    reference: Option<usize>,
}

impl Fields {
    fn of(r: &RecordSchema) -> Fields {
        let typed = |name: &str, ty: Type| {
            r.field_index(name)
                .filter(|&i| r.fields.get(i).is_some_and(|f| f.ty == ty))
        };
        let strings = Type::list(Type::String);
        Fields {
            id: typed("id", Type::String),
            kind: typed("kind", Type::String),
            authority: typed("authority", Type::String),
            rules: typed("rules", strings.clone()),
            parties: typed("parties", strings),
            granted: typed("granted", Type::Date),
            expires: typed("expires", Type::Date),
            reference: typed("reference", Type::String),
        }
    }

    fn approval<'d>(&self, index: usize, span: Span, r: &'d Record) -> Approval<'d> {
        let node = |i: Option<usize>| i.and_then(|i| r.field(i));
        let text = |i| node(i).and_then(string);
        let parties_node = node(self.parties);
        let parties = strings(parties_node);
        Approval {
            index,
            span,
            id: text(self.id).map(|(s, _)| s),
            kind: text(self.kind).map(|(s, _)| s),
            authority: text(self.authority),
            rules: strings(node(self.rules)),
            parties_span: (!parties.is_empty())
                .then(|| parties_node.map(|n| n.span))
                .flatten(),
            parties,
            granted: node(self.granted).and_then(|n| match &n.value {
                NodeValue::Scalar(Scalar::Date(d)) => Some((*d, n.span)),
                _ => None,
            }),
            expires: node(self.expires).and_then(|n| match &n.value {
                NodeValue::Scalar(s) => expiry_of(s).map(|e| (e, n.span)),
                _ => None,
            }),
            reference: text(self.reference).map(|(s, _)| s),
        }
    }
}

fn string(n: &Node) -> Option<At<&str>> {
    match &n.value {
        NodeValue::Scalar(Scalar::Str(s)) => Some((&**s, n.span)),
        _ => None,
    }
}

/// The strings of a list node (its `null`s left out).
fn strings(n: Option<&Node>) -> Vec<At<&str>> {
    match n.map(|n| &n.value) {
        Some(NodeValue::List(items)) => items.iter().filter_map(string).collect(),
        _ => Vec::new(),
    }
}

/// A date and where it is written.
pub(crate) type At<T> = (T, Span);

/// `expires` as the deal writes it.
pub(crate) fn expiry_of(s: &Scalar) -> Option<Expiry> {
    match s {
        Scalar::Date(d) => Some(Expiry::On(*d)),
        Scalar::Never => Some(Expiry::Never),
        _ => None,
    }
}
