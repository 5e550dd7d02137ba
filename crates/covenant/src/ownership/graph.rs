//! Building the entity graph of a deal: its entities (parties first), its owner edges, its
//! groups, and the indexes that make a look-up by name or by record one hash probe.
//!
//! Fields are found by name through the schema, so an extended standard schema (with fields
//! added to its records) builds the same graph; a schema without the root's `entities` list
//! (a custom schema that does not extend the standard one) builds an empty graph.

use super::bloc::{self, Group};
use super::fraction::str_field;
use super::{Entity, EntityId};
use std::sync::Arc;

use crate::deal::graph_layout::{GraphLayout, ListFields};
use crate::deal::plan::Plan;
use crate::deal::tree::{self, Node, NodeValue, OwnerEdges, Record, RecordIds};
use crate::lookup::ByName;
use crate::schema::{RecordId, Schema, Type};
use crate::source::Span;

/// The kind of an entity, as far as ownership reads it (SPEC §7.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// Held by no one when it lists no owners.
    State,
    Individual,
    /// A listed company: what its owners do not hold is float, held by no entity.
    Public,
    /// Any other kind, or none.
    Other,
}

impl Kind {
    fn of(text: Option<&str>) -> Kind {
        match text {
            Some("state") => Kind::State,
            Some("individual") => Kind::Individual,
            Some("public") => Kind::Public,
            _ => Kind::Other,
        }
    }
}

/// One owner edge: `owner` holds of the entity what `record` (the owner item) says.
#[derive(Clone, Copy, Debug)]
pub(super) struct OwnerEdge<'d> {
    pub owner: EntityId,
    pub record: &'d Record,
    /// The owner item's span.
    pub span: Span,
}

/// Where the owner record keeps what control reads.
#[derive(Clone, Debug, Default)]
pub(super) struct OwnerFields {
    pub voting: Option<usize>,
    pub controls: Option<usize>,
    /// By owner field index: the field read when it is missing (`prior_stake` → `stake`,
    /// `prior_voting` → `voting`: upstream holdings are unchanged unless stated, SPEC §7.1).
    pub fallback: Arc<[Option<usize>]>,
}

/// Everything of the graph beyond its list of entities.
#[derive(Clone, Debug, Default)]
pub(super) struct Shape<'d> {
    pub kinds: Vec<Kind>,
    /// The owner edges of entity `i` are `edges[edge_start[i]..edge_start[i + 1]]`.
    pub edge_start: Vec<usize>,
    pub edges: Vec<OwnerEdge<'d>>,
    /// How many edges leave each entity (as an owner, and as a party into the deal): how
    /// often one look-through can read its holding.
    pub out_degree: Vec<u32>,
    /// The parties are the entities `0..parties`.
    pub parties: usize,
    pub by_name: ByName<'d, EntityId>,
    /// By the record's address.
    pub by_record: RecordIds<'d>,
    pub owner: OwnerFields,
    pub groups: Vec<Group<'d>>,
    /// By entity: the group that names its bloc.
    pub bloc_of: Vec<Option<usize>>,
}

/// A list of records of the root: its field index and its record type.
pub(super) fn record_list(schema: &Schema, field: usize) -> Option<RecordId> {
    match &schema.root().fields.get(field)?.ty {
        Type::List(item) => match **item {
            Type::Record(r) => Some(r),
            _ => None,
        },
        _ => None,
    }
}

fn list_items(root: &Record, field: Option<usize>) -> &[Node] {
    match field.and_then(|f| root.field(f)).map(|n| &n.value) {
        Some(NodeValue::List(items)) => items,
        _ => &[],
    }
}

fn record_of(node: &Node) -> Option<&Record> {
    match &node.value {
        NodeValue::Record(r) => Some(r),
        _ => None,
    }
}

/// The entities and the shape of a deal's graph; `kept`, the owner edges deal loading
/// resolved, saves looking their names up again (each is checked against the deal first).
pub(super) fn build<'d>(
    schema: &Schema,
    root: &'d Record,
    kept: Option<&OwnerEdges>,
) -> (Vec<Entity<'d>>, Shape<'d>) {
    let plan = Plan::kept_or_made(schema);
    let plan = &*plan;
    let g = &plan.graph;
    let Some(entities_field) = g.entities_field else {
        return (Vec::new(), Shape::default());
    };
    // By list: the parties', then the `entities` items' (none when not a list of records).
    let fields = [(g.parties_field, true), (Some(entities_field), false)];
    let lists = fields.map(|(field, is_party)| {
        let known = g.lists.get(usize::from(!is_party)).copied().flatten();
        known.map_or(&[][..], |_| list_items(root, field))
    });
    let [parties, others] = lists;
    let mut entities = Vec::with_capacity(parties.len() + others.len());
    for (items, is_party) in [(parties, true), (others, false)] {
        let Some(fields) = g.lists.get(usize::from(!is_party)).copied().flatten() else {
            continue;
        };
        for (index, node) in items.iter().enumerate() {
            let Some(record) = record_of(node) else {
                continue;
            };
            entities.push(Entity {
                record,
                name: fields.name.and_then(|f| str_field(record, f)).unwrap_or(""),
                is_party,
                index,
                span: node.span,
            });
        }
    }
    let mut shape = shape_of(root, &entities, g, kept);
    shape.by_record = RecordIds::new(lists);
    (entities, shape)
}

fn shape_of<'d>(
    root: &'d Record,
    entities: &[Entity<'d>],
    g: &GraphLayout,
    kept: Option<&OwnerEdges>,
) -> Shape<'d> {
    let mut shape = Shape {
        parties: entities.iter().take_while(|e| e.is_party).count(),
        kinds: Vec::with_capacity(entities.len()),
        edge_start: Vec::with_capacity(entities.len() + 1),
        // Most entities of a usual deal list one owner or none.
        edges: Vec::with_capacity(entities.len()),
        ..Shape::default()
    };
    let mut named = 0;
    for (i, e) in entities.iter().enumerate() {
        if u32::try_from(i).is_err() {
            break;
        }
        if !e.name.is_empty() {
            named += 1;
        }
    }
    // The order deal loading sorted the names in, when it still holds.
    let in_order = kept.map(|k| {
        let mut sorted = Vec::with_capacity(named);
        for &i in &k.by_name {
            if let Some(e) = entities.get(i as usize).filter(|e| !e.name.is_empty()) {
                sorted.push((e.name, EntityId(i)));
            }
        }
        sorted
    });
    shape.by_name = ByName::in_order_or_new(named, in_order, || {
        let mut names = Vec::with_capacity(entities.len());
        for (i, e) in entities.iter().enumerate() {
            let Ok(id) = u32::try_from(i).map(EntityId) else {
                break;
            };
            if !e.name.is_empty() {
                names.push((e.name, id));
            }
        }
        names
    });
    // With every name once, an owner item whose name is its kept owner's names that owner.
    let mut kept = kept
        .filter(|_| shape.by_name.len() == named)
        .map(|k| k.edges.iter().peekable());
    let owner_name = g.owner_name;
    shape.out_degree = vec![0; entities.len()];
    for (i, e) in entities.iter().enumerate() {
        // An entity is in a list only when the list's record type is known.
        let layout = g
            .lists
            .get(usize::from(!e.is_party))
            .copied()
            .flatten()
            .unwrap_or(ListFields {
                name: None,
                kind: None,
                owners: None,
            });
        shape.edge_start.push(shape.edges.len());
        shape
            .kinds
            .push(Kind::of(layout.kind.and_then(|f| str_field(e.record, f))));
        if i < shape.parties {
            bump(&mut shape.out_degree, i);
        }
        for (at, item) in list_items(e.record, layout.owners).iter().enumerate() {
            let Some(record) = record_of(item) else {
                continue;
            };
            let name = owner_name.and_then(|f| str_field(record, f));
            let known = kept
                .as_mut()
                .and_then(|k| kept_owner(k, i, at, name, entities));
            let Some(owner) = known.or_else(|| name.and_then(|n| shape.by_name.get(n))) else {
                continue;
            };
            bump(&mut shape.out_degree, owner.index());
            shape.edges.push(OwnerEdge {
                owner,
                record,
                span: item.span,
            });
        }
    }
    shape.edge_start.push(shape.edges.len());
    if g.owner_record.is_some() {
        shape.owner = OwnerFields {
            voting: g.owner_voting,
            controls: g.owner_controls,
            fallback: g.owner_fallback.clone(),
        };
    }
    shape.groups = groups(root, g, &shape.by_name);
    shape.bloc_of = bloc::blocs(&shape.groups, entities.len());
    shape
}

/// The owner deal loading kept for item `at` of the `owners` of entity `to`, when the item
/// still names it (`name`, not empty); `edges` is moved past the item.
fn kept_owner(
    edges: &mut std::iter::Peekable<std::slice::Iter<'_, tree::OwnerEdge>>,
    to: usize,
    at: usize,
    name: Option<&str>,
    entities: &[Entity<'_>],
) -> Option<EntityId> {
    let place = |e: &tree::OwnerEdge| (e.to as usize, e.item as usize);
    while edges.next_if(|e| place(e) < (to, at)).is_some() {}
    let edge = edges.next_if(|e| place(e) == (to, at))?;
    let owner = entities.get(edge.from as usize)?;
    let name = name.filter(|n| !n.is_empty())?;
    (owner.name == name).then_some(EntityId(edge.from))
}

fn bump(counts: &mut [u32], i: usize) {
    if let Some(c) = counts.get_mut(i) {
        *c = c.saturating_add(1);
    }
}

fn groups<'d>(root: &'d Record, g: &GraphLayout, by_name: &ByName<'d, EntityId>) -> Vec<Group<'d>> {
    let Some((field, name, members)) = g.groups else {
        return Vec::new();
    };
    list_items(root, Some(field))
        .iter()
        .filter_map(record_of)
        .map(|g| Group {
            name: name.and_then(|f| str_field(g, f)),
            members: list_items(g, members)
                .iter()
                .filter_map(|m| match &m.value {
                    NodeValue::Scalar(crate::value::Scalar::Str(s)) => by_name.get(s.as_str()),
                    _ => None,
                })
                .collect(),
        })
        .collect()
}
