//! Where the ownership graph ([`crate::ownership::Graph`]) and evaluation's entities read a
//! deal's entities, owner edges and groups: field indices found by name through the schema,
//! worked out once per schema ([`super::plan::Plan`]) instead of once per deal.
//!
//! An extended standard schema (fields added to its records) finds the same fields; a schema
//! without the root's `entities` list (a custom schema that does not extend the standard one)
//! has no `entities_field`, and its graph is empty.

use std::sync::Arc;

use crate::schema::{Computed, RecordId, Schema, Type};

/// The fields of one list of entities (parties, or the items of `entities`) the graph reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ListFields {
    pub name: Option<usize>,
    pub kind: Option<usize>,
    /// `None` too when its owner record is not the one of the other list (not read).
    pub owners: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct GraphLayout {
    /// The root's `entities` list (the field computed as every entity).
    pub entities_field: Option<usize>,
    pub parties_field: Option<usize>,
    /// By list, parties then `entities`: its fields, `None` when the list is not one of
    /// records (its items are then no entities).
    pub lists: [Option<ListFields>; 2],
    /// The owner record the lists share, and its fields.
    pub owner_record: Option<RecordId>,
    pub owner_name: Option<usize>,
    pub owner_voting: Option<usize>,
    pub owner_controls: Option<usize>,
    /// By owner field index: the field read when it is missing (`prior_stake` → `stake`,
    /// `prior_voting` → `voting`); empty without an owner record.
    pub owner_fallback: Arc<[Option<usize>]>,
    /// The root's `groups` list when one of records, with a group's `name` and `members`.
    pub groups: Option<(usize, Option<usize>, Option<usize>)>,
    /// The root's fields named `parties` and `entities` (evaluation's entities).
    pub parties_named: Option<usize>,
    pub entities_named: Option<usize>,
}

impl GraphLayout {
    pub fn of(schema: &Schema) -> GraphLayout {
        let root = schema.root();
        let parties_field = root.field_index("parties");
        let mut layout = GraphLayout {
            entities_field: root
                .fields
                .iter()
                .position(|f| f.computed == Some(Computed::AllEntities)),
            parties_field,
            lists: [None; 2],
            owner_record: None,
            owner_name: None,
            owner_voting: None,
            owner_controls: None,
            owner_fallback: Arc::from(Vec::new()),
            groups: None,
            parties_named: parties_field,
            entities_named: root.field_index("entities"),
        };
        let Some(entities_field) = layout.entities_field else {
            return layout;
        };
        let lists = [(parties_field, true), (Some(entities_field), false)];
        let mut owner_record = None;
        for (field, is_party) in lists {
            let Some(record) = field.and_then(|f| record_list(schema, f)) else {
                continue;
            };
            let (fields, owners) = list_fields(schema, record);
            // Parties and entities share the owner record in any schema built on the standard
            // one; an owner list of another record type is not read.
            let owners_readable = match (owner_record, owners) {
                (None, Some(o)) => {
                    owner_record = Some(o);
                    true
                }
                (Some(known), Some(o)) => known == o,
                _ => false,
            };
            if let Some(slot) = layout.lists.get_mut(usize::from(!is_party)) {
                *slot = Some(ListFields {
                    owners: fields.owners.filter(|_| owners_readable),
                    ..fields
                });
            }
        }
        layout.owner_record = owner_record;
        if let Some(r) = owner_record {
            let r = schema.record(r);
            layout.owner_name = r.field_index("name");
            layout.owner_voting = r.field_index("voting");
            layout.owner_controls = r.field_index("controls");
            layout.owner_fallback = r
                .fields
                .iter()
                .map(|f| match f.name.as_str() {
                    "prior_stake" => r.field_index("stake"),
                    "prior_voting" => r.field_index("voting"),
                    _ => None,
                })
                .collect();
        }
        layout.groups = root.field_index("groups").and_then(|field| {
            let r = schema.record(record_list(schema, field)?);
            Some((field, r.field_index("name"), r.field_index("members")))
        });
        layout
    }
}

/// The record type of a list of records of the root.
fn record_list(schema: &Schema, field: usize) -> Option<RecordId> {
    match &schema.root().fields.get(field)?.ty {
        Type::List(item) => match **item {
            Type::Record(r) => Some(r),
            _ => None,
        },
        _ => None,
    }
}

/// The fields of an entity record (a party's or an `entities` item's), and the record type of
/// its `owners`.
fn list_fields(schema: &Schema, record: RecordId) -> (ListFields, Option<RecordId>) {
    let r = schema.record(record);
    let owners = r.field_index("owners");
    let owner_record = owners
        .and_then(|i| r.fields.get(i))
        .and_then(|f| match f.ty.element() {
            Type::Record(o) => Some(*o),
            _ => None,
        });
    let fields = ListFields {
        name: r.field_index("name"),
        kind: r.field_index("kind"),
        owners,
    };
    (fields, owner_record)
}
