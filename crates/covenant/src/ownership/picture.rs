//! The holding structure of a deal as a diagram draws it (`POST /v1/ownership`, the web
//! page's ownership picture): its entities (parties first), and each holding as an edge — an
//! owner item into the entity that lists it, a party into the JV — with the stake and votes the
//! deal writes and where it writes them.
//!
//! It is read from the graph the rules evaluate ([`Graph::build`]), so the picture shows the
//! holdings the rules saw (owners that name no entity are left out, as evaluation leaves
//! them). Values are shown as the deal wrote them (`51%`), never computed.

use super::fraction::{bool_field, exact_percent, str_field};
use super::graph::record_list;
use super::Graph;
use crate::deal::tree::{NodeValue, Record};
use crate::schema::{Computed, RecordId, Schema, Type};
use crate::source::Span;

/// An entity of the picture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PictureEntity {
    pub name: String,
    /// A party of the deal (else an item of `entities`).
    pub party: bool,
    pub kind: Option<String>,
    pub country: Option<String>,
    /// The state that is, or owns, it (`state`), when the deal says.
    pub state: Option<String>,
    /// The entity's record in the deal.
    pub span: Span,
}

/// A holding: `from` holds `stake` and `voting` of `to` (`None`: the JV).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PictureEdge {
    pub from: String,
    pub to: Option<String>,
    pub stake: Option<String>,
    pub voting: Option<String>,
    /// `controls: true` on the owner item.
    pub controls: bool,
    /// Where the holding is written: its `voting` (else its `stake`, else the owner item or
    /// party record), as look-through evidence places an edge.
    pub span: Span,
}

/// The entities and holdings of a deal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Picture {
    pub entities: Vec<PictureEntity>,
    pub edges: Vec<PictureEdge>,
}

/// The fields a picture reads, by name, of one record type.
#[derive(Clone, Copy, Debug, Default)]
struct Fields {
    kind: Option<usize>,
    country: Option<usize>,
    state: Option<usize>,
    owners: Option<usize>,
    name: Option<usize>,
    stake: Option<usize>,
    voting: Option<usize>,
    controls: Option<usize>,
}

impl Fields {
    fn of(schema: &Schema, record: Option<RecordId>) -> Fields {
        let Some(r) = record.map(|r| schema.record(r)) else {
            return Fields::default();
        };
        Fields {
            kind: r.field_index("kind"),
            country: r.field_index("country"),
            state: r.field_index("state"),
            owners: r.field_index("owners"),
            name: r.field_index("name"),
            stake: r.field_index("stake"),
            voting: r.field_index("voting"),
            controls: r.field_index("controls"),
        }
    }
}

impl Graph<'_> {
    /// The picture of the graph; `schema` is the one the deal was loaded with.
    pub fn picture(&self, schema: &Schema) -> Picture {
        let root = schema.root();
        let party_record = root
            .field_index("parties")
            .and_then(|f| record_list(schema, f));
        let entity_record = root
            .fields
            .iter()
            .position(|f| f.computed == Some(Computed::AllEntities))
            .and_then(|f| record_list(schema, f));
        let owner_record = entity_record.and_then(|r| owner_record_of(schema, r));
        let (party, entity, owner) = (
            Fields::of(schema, party_record),
            Fields::of(schema, entity_record),
            Fields::of(schema, owner_record),
        );
        let mut picture = Picture::default();
        for e in self.entities() {
            let fields = if e.is_party { party } else { entity };
            let text = |f: Option<usize>| f.and_then(|f| str_field(e.record, f)).map(String::from);
            picture.entities.push(PictureEntity {
                name: e.name.to_string(),
                party: e.is_party,
                kind: text(fields.kind),
                country: text(fields.country),
                state: text(fields.state),
                span: e.span,
            });
            if e.is_party {
                picture.edges.push(PictureEdge {
                    from: e.name.to_string(),
                    to: None,
                    stake: percent(e.record, fields.stake),
                    voting: percent(e.record, fields.voting),
                    controls: false,
                    span: written_at(e.record, &fields, e.span),
                });
            }
            for item in owner_items(e.record, fields.owners) {
                let Some(name) = owner.name.and_then(|f| str_field(item.0, f)) else {
                    continue;
                };
                if self.by_name(name).is_none() {
                    continue;
                }
                picture.edges.push(PictureEdge {
                    from: name.to_string(),
                    to: Some(e.name.to_string()),
                    stake: percent(item.0, owner.stake),
                    voting: percent(item.0, owner.voting),
                    controls: owner
                        .controls
                        .and_then(|f| bool_field(item.0, f))
                        .is_some_and(|(b, _)| b),
                    span: written_at(item.0, &owner, item.1),
                });
            }
        }
        picture
    }
}

/// The record type of the `owners` items of an entity record.
fn owner_record_of(schema: &Schema, entity: RecordId) -> Option<RecordId> {
    let r = schema.record(entity);
    let owners = r.fields.get(r.field_index("owners")?)?;
    match owners.ty.element() {
        Type::Record(o) => Some(*o),
        _ => None,
    }
}

/// The owner items of an entity's record, each with its span.
fn owner_items(record: &Record, owners: Option<usize>) -> Vec<(&Record, Span)> {
    let Some(NodeValue::List(items)) = owners.and_then(|f| record.field(f)).map(|n| &n.value)
    else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|n| match &n.value {
            NodeValue::Record(r) => Some((r, n.span)),
            _ => None,
        })
        .collect()
}

/// Where a holding is written: its votes, else its stake, else the whole record (`item`).
fn written_at(record: &Record, fields: &Fields, item: Span) -> Span {
    [fields.voting, fields.stake]
        .into_iter()
        .flatten()
        .find_map(|f| exact_percent(record, f))
        .map_or(item, |(_, span)| span)
}

/// A percent field as the deal wrote it (`51%`).
fn percent(record: &Record, field: Option<usize>) -> Option<String> {
    let (p, _) = exact_percent(record, field?)?;
    Some(format!("{}%", p.display()))
}
