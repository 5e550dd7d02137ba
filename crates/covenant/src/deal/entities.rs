//! The entities of a deal and their names (SPEC §7.1, §7.3): the checks that need the whole
//! deal, run on a deal whose values are valid, by both loaders.
//!
//! An entity is a party or an item of `entities`. The checks of names are in [`super::names`],
//! the ownership checks and the defaults in [`super::owners`], the cycles in
//! [`super::cycles`].
//!
//! Only a schema with the standard `entities` list ([`Computed::AllEntities`]) has entities: a
//! custom schema keeps v1's meaning, with no check here.

use super::tree::{Node, NodeValue, Record};
use crate::schema::{Computed, RecordId, Schema, Type};
use crate::source::Span;
use crate::value::Scalar;

/// The fields of an entity record (a party's first fields are an entity's, SPEC §7.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct EntityFields {
    pub name: usize,
    pub kind: usize,
    pub country: usize,
    pub state: usize,
    pub owners: usize,
}

/// The fields of an owner edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OwnerFields {
    pub name: usize,
    pub stake: usize,
    pub voting: usize,
    pub prior_stake: usize,
    pub prior_voting: usize,
    pub controls: usize,
}

/// The root fields that hold entities or name them, and a party's fields: enough for a deal
/// of parties alone (found by name, for each deal: a few comparisons).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Roots {
    /// The root's `parties` list and the fields of a party.
    pub parties: (usize, EntityFields),
    /// The root's `entities` and `groups` lists.
    pub entities: usize,
    pub groups: Option<usize>,
    /// The root's `board` and its `casting_vote`.
    pub casting_vote: Option<(usize, usize)>,
    /// The root's `approvals` and an approval's `parties` (SPEC §10).
    pub approval_parties: Option<(usize, usize)>,
}

impl Roots {
    /// The roots of `schema`, or `None` when it has no standard `entities` list.
    pub fn of(schema: &Schema) -> Option<Roots> {
        let root = schema.root();
        let entities = root
            .fields
            .iter()
            .position(|f| f.computed == Some(Computed::AllEntities))?;
        let parties = root.field_index("parties")?;
        let party = entity_fields(schema, list_record(schema, Schema::ROOT, parties)?)?;
        let casting_vote = root.field_index("board").and_then(|b| {
            let Type::Record(board) = root.fields.get(b)?.ty else {
                return None;
            };
            Some((b, schema.record(board).field_index("casting_vote")?))
        });
        let approval_parties = root.field_index("approvals").and_then(|a| {
            let record = list_record(schema, Schema::ROOT, a)?;
            Some((a, schema.record(record).field_index("parties")?))
        });
        Some(Roots {
            parties: (parties, party),
            entities,
            groups: root.field_index("groups"),
            casting_vote,
            approval_parties,
        })
    }
}

/// Where the entity data of a schema are: field indices, found by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    /// The root's `parties` and `entities` lists, and the fields of their records.
    pub parties: (usize, EntityFields),
    pub entities: (usize, EntityFields),
    /// The root's `groups` list and its records' `name`.
    pub groups: Option<(usize, usize)>,
    pub owner: OwnerFields,
}

impl Layout {
    /// The whole layout of a schema with these roots.
    pub fn of(schema: &Schema, roots: &Roots) -> Option<Layout> {
        let entity_record = list_record(schema, Schema::ROOT, roots.entities)?;
        let entity = entity_fields(schema, entity_record)?;
        let owner_record = list_record(schema, entity_record, entity.owners)?;
        let rs = schema.record(owner_record);
        let owner = OwnerFields {
            name: rs.field_index("name")?,
            stake: rs.field_index("stake")?,
            voting: rs.field_index("voting")?,
            prior_stake: rs.field_index("prior_stake")?,
            prior_voting: rs.field_index("prior_voting")?,
            controls: rs.field_index("controls")?,
        };
        let groups = roots.groups.and_then(|g| {
            let group = schema.record(list_record(schema, Schema::ROOT, g)?);
            Some((g, group.field_index("name")?))
        });
        Some(Layout {
            parties: roots.parties,
            entities: (roots.entities, entity),
            groups,
            owner,
        })
    }
}

/// The record type of the list field `field` of record `id`.
fn list_record(schema: &Schema, id: RecordId, field: usize) -> Option<RecordId> {
    match &schema.record(id).fields.get(field)?.ty {
        Type::List(elem) => match **elem {
            Type::Record(r) => Some(r),
            _ => None,
        },
        _ => None,
    }
}

fn entity_fields(schema: &Schema, id: RecordId) -> Option<EntityFields> {
    let rs = schema.record(id);
    Some(EntityFields {
        name: rs.field_index("name")?,
        kind: rs.field_index("kind")?,
        country: rs.field_index("country")?,
        state: rs.field_index("state")?,
        owners: rs.field_index("owners")?,
    })
}

/// One entity of a deal: parties first, then the items of `entities`, in deal order.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entity<'d> {
    pub record: &'d Record,
    pub fields: EntityFields,
    /// Its `name` and the span of the value, if it has one.
    pub name: Option<(&'d str, Span)>,
    pub is_party: bool,
}

impl<'d> Entity<'d> {
    /// The entity as a message names it: "`Acme Motors`", "a party without a name".
    pub fn called(&self) -> String {
        match self.name {
            Some((name, _)) => format!("`{name}`"),
            None if self.is_party => "a party without a name".into(),
            None => "an entity without a name".into(),
        }
    }

    /// The items of its `owners`, if it lists them.
    pub fn owners(&self) -> &'d [Node] {
        match self.record.field(self.fields.owners).map(|n| &n.value) {
            Some(NodeValue::List(items)) => items,
            _ => &[],
        }
    }
}

/// The entities of a deal, with an index by name (the first entity of a name).
pub(crate) struct Entities<'d> {
    pub all: Vec<Entity<'d>>,
    /// (name, entity) sorted by name, entities of one name in deal order.
    names: Vec<(&'d str, usize)>,
}

impl<'d> Entities<'d> {
    pub fn of(layout: &Layout, root: &'d Record) -> Entities<'d> {
        let listed = |(field, _): (usize, EntityFields)| match root.field(field).map(|n| &n.value) {
            Some(NodeValue::List(items)) => items.len(),
            _ => 0,
        };
        let mut all = Vec::with_capacity(listed(layout.parties) + listed(layout.entities));
        for (is_party, (field, fields)) in [(true, layout.parties), (false, layout.entities)] {
            for record in records(root.field(field)) {
                let name = text(record.field(fields.name));
                all.push(Entity {
                    record,
                    fields,
                    name,
                    is_party,
                });
            }
        }
        let mut names: Vec<(&'d str, usize)> = Vec::with_capacity(all.len());
        names.extend(
            all.iter()
                .enumerate()
                .filter_map(|(i, e)| Some((e.name?.0, i))),
        );
        names.sort_by_key(|(name, _)| *name);
        Entities { all, names }
    }

    /// The entities that have a name, sorted by it (those of one name in deal order).
    pub fn by_names(&self) -> impl Iterator<Item = usize> + '_ {
        self.names.iter().map(|(_, i)| *i)
    }

    /// Whether two entities have the same name.
    pub fn repeats_a_name(&self) -> bool {
        self.names
            .windows(2)
            .any(|pair| matches!(pair, [(a, _), (b, _)] if a == b))
    }

    /// The first entity named `name`.
    pub fn by_name(&self, name: &str) -> Option<usize> {
        let at = self.names.partition_point(|(n, _)| *n < name);
        self.names
            .get(at)
            .filter(|(n, _)| *n == name)
            .map(|(_, i)| *i)
    }
}

/// The records of a list node (an element that is not a record is skipped).
pub(crate) fn records(node: Option<&Node>) -> impl Iterator<Item = &Record> {
    let items: &[Node] = match node.map(|n| &n.value) {
        Some(NodeValue::List(items)) => items,
        _ => &[],
    };
    items.iter().filter_map(|n| match &n.value {
        NodeValue::Record(r) => Some(r),
        _ => None,
    })
}

/// A string value and its span.
pub(crate) fn text(node: Option<&Node>) -> Option<(&str, Span)> {
    match node {
        Some(Node {
            value: NodeValue::Scalar(Scalar::Str(s)),
            span,
        }) => Some((s, *span)),
        _ => None,
    }
}
