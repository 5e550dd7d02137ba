//! What loading needs to know of a schema, worked out once per schema instead of once per deal:
//! each record's stored fields ([`crate::schema::RecordSchema::stored_fields`], a scan of its
//! fields), whether their names need JSON escapes (the fast path matches keys on the bytes of
//! the text only for names that do not), and the field indices the checks of a whole deal find
//! by name (the stake total, SPEC §7.1's entities).
//!
//! The plan is kept in the schema ([`crate::schema::LoadPlan`], an opaque cell there: the
//! schema is a floor below the loader) and made at the first deal the schema loads; a schema is
//! built whole before it loads a deal (compiling a policy changes it, loading never does).
//! Debug builds check the kept plan against a fresh one at every load.

use super::entities::{Layout, Roots};
use super::graph_layout::GraphLayout;
use super::names::{reference_steps, Steps};
use super::suggest::KeyHelps;
use crate::json_bytes::plain_run;
use crate::schema::{Constraint, Field, RecordId, Schema, Type};

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Plan {
    /// One per record of the schema, in order.
    records: Vec<RecordPlan>,
    /// The root's `parties` list and a party's `stake` percent, when the schema has both
    /// ([`super::stakes`]).
    pub stakes: Option<(usize, usize)>,
    /// The entity fields of SPEC §7.1 ([`super::graph_checks`]).
    pub roots: Option<Roots>,
    pub layout: Option<Layout>,
    /// The field indices of the places that name an entity ([`super::names`]).
    pub references: Vec<Option<Steps>>,
    /// Where the ownership graph and evaluation's entities read a deal ([`GraphLayout`]).
    pub graph: GraphLayout,
    /// The root's `approvals` list and its record type, read by evaluation (SPEC §10).
    pub approvals: Option<(usize, RecordId)>,
    /// The helps of the unknown keys met so far: a cache, left out when two plans are compared.
    pub key_helps: KeyHelps,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RecordPlan {
    /// How many fields a deal document holds: the prefix [`crate::schema::RecordSchema::stored_fields`].
    pub stored: usize,
    /// No stored field's name has a byte JSON escapes (`"`, `\`, a control character).
    pub plain_names: bool,
    /// With at most 64 stored fields, the bits of the required ones and of the optional lists
    /// that default to empty (SPEC §1), by field index; `None` with more fields.
    pub masks: Option<Masks>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Masks {
    pub required: u64,
    pub default_empty: u64,
    /// The fields whose value the fast path reads as a string when it is one
    /// ([`read_as_text`]).
    pub text: u64,
}

/// Whether the fast path reads a string value of `field` as its text ([`super::fast`]): a
/// string, percent, money or date, but not a date that may be `never`.
pub(crate) fn read_as_text(field: &Field) -> bool {
    matches!(
        field.ty,
        Type::String | Type::Percent | Type::Money | Type::Date
    ) && !matches!(field.constraint, Constraint::DateOrNever)
}

impl Plan {
    pub fn of(schema: &Schema) -> Plan {
        let records = schema
            .records
            .iter()
            .map(|r| {
                let stored = r.stored_fields();
                RecordPlan {
                    stored: stored.len(),
                    plain_names: stored
                        .iter()
                        .all(|f| plain_run(f.name.as_bytes()) == f.name.len()),
                    masks: (stored.len() <= 64).then(|| {
                        let bits = |keep: &dyn Fn(&Field) -> bool| {
                            stored
                                .iter()
                                .enumerate()
                                .filter(|(_, f)| keep(f))
                                .fold(0u64, |m, (i, _)| m | 1 << i)
                        };
                        Masks {
                            required: bits(&|f| f.required),
                            default_empty: bits(&|f| {
                                !f.required && f.default_empty && f.ty.is_list()
                            }),
                            text: bits(&read_as_text),
                        }
                    }),
                }
            })
            .collect();
        let roots = Roots::of(schema);
        let layout = roots.as_ref().and_then(|r| Layout::of(schema, r));
        Plan {
            records,
            stakes: stakes_fields(schema),
            roots,
            layout,
            references: reference_steps(schema),
            graph: GraphLayout::of(schema),
            approvals: approvals_field(schema),
            key_helps: KeyHelps::default(),
        }
    }

    /// The plan kept in `schema` ([`crate::schema::LoadPlan`]), made at its first deal, or
    /// `None` (never: the cell holds only a plan) for the caller to make one. Debug builds
    /// check the kept plan is still the schema's.
    pub fn kept(schema: &Schema) -> Option<&Plan> {
        let plan = schema
            .plan
            .get_or_init(|| Box::new(Plan::of(schema)))
            .downcast_ref::<Plan>();
        debug_assert!(
            plan.is_some_and(|p| *p == Plan::of(schema)),
            "a schema changed after it loaded a deal"
        );
        plan
    }

    /// The kept plan ([`Plan::kept`]), or one made for this call when there is none.
    pub fn kept_or_made(schema: &Schema) -> std::borrow::Cow<'_, Plan> {
        match Plan::kept(schema) {
            Some(plan) => std::borrow::Cow::Borrowed(plan),
            None => std::borrow::Cow::Owned(Plan::of(schema)),
        }
    }

    /// The plan of record `id` ([`Schema::record`]'s record for an id out of range).
    pub fn record(&self, schema: &Schema, id: RecordId) -> RecordPlan {
        match self.records.get(id.0).or_else(|| self.records.last()) {
            Some(r) => *r,
            None => RecordPlan {
                stored: schema.record(id).stored_fields().len(),
                plain_names: false,
                masks: None,
            },
        }
    }
}

/// The root's `parties` list of records and a party's `stake`, if a percent.
fn stakes_fields(schema: &Schema) -> Option<(usize, usize)> {
    let root = schema.root();
    let parties = root.field_index("parties")?;
    let Some(Type::List(item)) = root.fields.get(parties).map(|f| &f.ty) else {
        return None;
    };
    let Type::Record(party) = **item else {
        return None;
    };
    let stake = schema.record(party).field_index("stake")?;
    Some((parties, stake))
}

/// The root's `approvals` list of records (SPEC §10) and their record type: where evaluation
/// reads a deal's approvals.
fn approvals_field(schema: &Schema) -> Option<(usize, RecordId)> {
    let root = schema.root();
    let i = root.field_index("approvals")?;
    match root.fields.get(i)?.ty.element() {
        Type::Record(id) => Some((i, *id)),
        _ => None,
    }
}
