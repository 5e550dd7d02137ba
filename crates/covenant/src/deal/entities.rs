//! The entities of a deal and their names (SPEC §7.1, §7.3): the checks that need the whole
//! deal, run on a deal whose values are valid, by both loaders.
//!
//! An entity is a party or an item of `entities`. Their names, and the names of `groups`, are
//! unique (`covenant::deal::duplicate-entity`); a name in `owners`, group `members` and
//! `board.casting_vote` names an entity (`covenant::deal::unknown-entity`). The ownership
//! checks and the defaults are in [`super::owners`], the cycles in [`super::cycles`].
//!
//! Only a schema with the standard `entities` list ([`Computed::AllEntities`]) has entities: a
//! custom schema keeps v1's meaning, with no check here.

use std::collections::HashMap;

use super::error::{self, Diags};
use super::tree::{Node, NodeValue, Record};
use crate::schema::{Computed, RecordId, Schema, Type};
use crate::source::Span;
use crate::value::Scalar;

/// The places that name an entity, as paths of field names from the root, with the words a
/// message uses for them. A new place is one line.
const REFERENCES: &[(&[&str], &str)] = &[
    (&["parties", "owners", "name"], "the owner"),
    (&["entities", "owners", "name"], "the owner"),
    (&["groups", "members"], "the group member"),
    (&["board", "casting_vote"], "the casting vote"),
];

/// The most unknown names that get a did-you-mean by spelling (each compares with every
/// entity); the rest get the help without it, so a deal of many unknown names stays linear.
const SPELLING_SEARCHES: usize = 64;

/// The fields of an entity record (a party's first fields are an entity's, SPEC §7.1).
#[derive(Clone, Copy, Debug)]
pub(crate) struct EntityFields {
    pub name: usize,
    pub kind: usize,
    pub country: usize,
    pub state: usize,
    pub owners: usize,
}

/// The fields of an owner edge.
#[derive(Clone, Copy, Debug)]
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
#[derive(Clone, Copy, Debug)]
pub(crate) struct Roots {
    /// The root's `parties` list and the fields of a party.
    pub parties: (usize, EntityFields),
    /// The root's `entities` and `groups` lists.
    pub entities: usize,
    pub groups: Option<usize>,
    /// The root's `board` and its `casting_vote`.
    pub casting_vote: Option<(usize, usize)>,
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
        Some(Roots {
            parties: (parties, party),
            entities,
            groups: root.field_index("groups"),
            casting_vote,
        })
    }
}

/// Where the entity data of a schema are: field indices, found by name.
#[derive(Clone, Copy, Debug)]
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
        let mut all = Vec::new();
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
        let mut names: Vec<(&'d str, usize)> = all
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((e.name?.0, i)))
            .collect();
        names.sort_by_key(|(name, _)| *name);
        Entities { all, names }
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

/// `covenant::deal::duplicate-entity`: a name used by two parties, entities or groups; each
/// repeat is reported against the first use, in the order of the repeats.
pub(crate) fn duplicates(layout: &Layout, root: &Record, entities: &Entities<'_>, d: &mut Diags) {
    let groups = layout.groups.into_iter().flat_map(|(field, name)| {
        records(root.field(field)).filter_map(move |g| Some((text(g.field(name))?, Use::Group)))
    });
    let named = entities.all.iter().filter_map(|e| {
        let place = if e.is_party { Use::Party } else { Use::Entity };
        Some((e.name?, place))
    });
    report_repeats(named.chain(groups).collect(), d);
}

/// Report each name of `uses` (in deal order) used before.
fn report_repeats(uses: Vec<((&str, Span), Use)>, d: &mut Diags) {
    // Sorted by name, each repeat follows its first use: no hashing for the few parties of a
    // usual deal.
    let name = |i: usize| uses.get(i).map(|((name, _), _)| *name);
    let mut order: Vec<usize> = (0..uses.len()).collect();
    order.sort_by_key(|&i| name(i));
    let mut repeats: Vec<(usize, usize)> = Vec::new();
    let mut first = None;
    for pair in order.windows(2) {
        let (Some(&a), Some(&b)) = (pair.first(), pair.get(1)) else {
            continue;
        };
        if name(a) == name(b) {
            repeats.push((b, *first.get_or_insert(a)));
        } else {
            first = None;
        }
    }
    repeats.sort_unstable();
    for (repeat, first) in repeats {
        let (Some(((name, span), place)), Some(((_, first_span), first_place))) =
            (uses.get(repeat), uses.get(first))
        else {
            continue;
        };
        let e = error::DuplicateEntity {
            name: super::doc::shorten(name),
            both: both(*first_place, *place),
            span: *span,
            first: *first_span,
            help: duplicate_help(*first_place, *place),
            src: d.src(),
        };
        d.push(e.into());
    }
}

/// Where a name is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Use {
    Party,
    Entity,
    Group,
}

fn both(first: Use, second: Use) -> String {
    let one = |u: Use| match u {
        Use::Party => "a party",
        Use::Entity => "an entity",
        Use::Group => "a group",
    };
    match (first, second) {
        (Use::Party, Use::Party) => "two parties".into(),
        (Use::Entity, Use::Entity) => "two entities".into(),
        (Use::Group, Use::Group) => "two groups".into(),
        (a, b) => format!("both {} and {}", one(a), one(b)),
    }
}

fn duplicate_help(first: Use, second: Use) -> String {
    match (first, second) {
        (Use::Party, Use::Entity) | (Use::Entity, Use::Party) => {
            "a party is an entity already: give the party its `kind`, `state` and `owners`, and \
             remove the item from `entities`"
                .into()
        }
        (Use::Group, _) | (_, Use::Group) => {
            "a group's name differs from every other group's and entity's, as a `bloc` is named \
             by either (SPEC §7.3): rename the group"
                .into()
        }
        _ => "each party and entity has its own name (SPEC §7.1): rename one, or merge the two"
            .into(),
    }
}

/// `covenant::deal::unknown-entity`: a name at one of the [`REFERENCES`] that names no
/// entity, in the order of the places, each in deal order (the same in every format, whatever
/// the order of the text).
pub(crate) fn unknown_names(
    schema: &Schema,
    root: &Record,
    entities: &Entities<'_>,
    d: &mut Diags,
) {
    let mut unknown: Vec<(&str, Span, &'static str)> = Vec::new();
    for (path, place) in REFERENCES {
        names_at(schema, root, path, &mut |name, span| {
            if entities.by_name(name).is_none() {
                unknown.push((name, span, place));
            }
        });
    }
    if unknown.is_empty() {
        return;
    }
    let names = Spelling::new(entities);
    for (i, (name, span, place)) in unknown.into_iter().enumerate() {
        let e = error::UnknownEntity {
            place,
            name: super::doc::shorten(name),
            span,
            help: names.help(name, i < SPELLING_SEARCHES),
            src: d.src(),
        };
        d.push(e.into());
    }
}

/// Call `f` with each string at `path` (field names from the root, through lists and
/// records) and its span.
fn names_at<'d>(
    schema: &Schema,
    root: &'d Record,
    path: &[&str],
    f: &mut dyn FnMut(&'d str, Span),
) {
    // Every record at one step of the path has the same type: each step is one field index.
    let mut steps = [0usize; 4];
    let mut id = Schema::ROOT;
    for (k, name) in path.iter().enumerate() {
        let rs = schema.record(id);
        let (Some(i), Some(step)) = (rs.field_index(name), steps.get_mut(k)) else {
            return;
        };
        *step = i;
        if let Some(Type::Record(next)) = rs.fields.get(i).map(|f| f.ty.element()) {
            id = *next;
        }
    }
    walk(root, steps.get(..path.len()).unwrap_or_default(), f);
}

/// [`names_at`] below `record`, by field indices (as deep as a path is long).
fn walk<'d>(record: &'d Record, steps: &[usize], f: &mut dyn FnMut(&'d str, Span)) {
    let Some((&i, rest)) = steps.split_first() else {
        return;
    };
    let Some(node) = record.field(i) else {
        return;
    };
    let nodes: &[Node] = match &node.value {
        NodeValue::List(items) => items,
        _ => std::slice::from_ref(node),
    };
    for n in nodes {
        match &n.value {
            NodeValue::Scalar(Scalar::Str(s)) if rest.is_empty() => f(s, n.span),
            NodeValue::Record(r) if !rest.is_empty() => walk(r, rest, f),
            _ => {}
        }
    }
}

/// The entity names, for a did-you-mean.
struct Spelling<'d> {
    /// Lower case, trimmed → the name.
    folded: HashMap<String, &'d str>,
    lower: Vec<(String, &'d str)>,
}

impl<'d> Spelling<'d> {
    fn new(entities: &Entities<'d>) -> Spelling<'d> {
        let mut names: Vec<&'d str> = entities
            .all
            .iter()
            .filter_map(|e| Some(e.name?.0))
            .collect();
        names.dedup();
        let lower: Vec<(String, &'d str)> = names.iter().map(|n| (fold(n), *n)).collect();
        let mut folded = HashMap::with_capacity(lower.len());
        for (l, n) in &lower {
            folded.entry(l.clone()).or_insert(*n);
        }
        Spelling { folded, lower }
    }

    /// The help of an unknown `name`: the entity it most likely means (same but for case and
    /// spaces; by spelling when `by_spelling`), else how to add it.
    fn help(&self, name: &str, by_spelling: bool) -> String {
        let key = fold(name);
        let close = self
            .folded
            .get(&key)
            .copied()
            .or_else(|| by_spelling.then(|| self.nearest(&key)).flatten());
        match close {
            Some(best) => format!(
                "did you mean `{best}`? an owner, a group member or a casting vote names a party or an item of `entities`"
            ),
            None => format!(
                "add `{}` to `entities` (with its `kind` and `country`), or correct the name",
                super::doc::shorten(name)
            ),
        }
    }

    fn nearest(&self, key: &str) -> Option<&'d str> {
        let len = key.chars().count();
        self.lower
            .iter()
            .filter_map(|(l, n)| {
                let l_len = l.chars().count();
                let most = (l_len / 4).clamp(1, 4);
                if len.abs_diff(l_len) > most {
                    return None;
                }
                let dist = strsim::damerau_levenshtein(key, l);
                (dist <= most).then_some((dist, *n))
            })
            .min_by_key(|(dist, _)| *dist)
            .map(|(_, n)| n)
    }
}

/// Lower case, with runs of white space as one space, trimmed.
fn fold(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The checks of SPEC §7.1 on a deal whose values are valid, then its defaults
/// ([`super::owners::apply_defaults`]). Nothing for a schema without entities.
pub(crate) fn check(schema: &Schema, root: &mut Record, d: &mut Diags) {
    let Some(roots) = Roots::of(schema) else {
        return;
    };
    if !has_graph(&roots, root) {
        // Parties alone, owned by no one listed: only their names can clash.
        let (field, fields) = roots.parties;
        let names = || records(root.field(field)).filter_map(|p| text(p.field(fields.name)));
        // A usual deal has a few parties: compared in pairs, nothing is allocated.
        let few = names().nth(16).is_none();
        let repeated = few
            && names()
                .enumerate()
                .any(|(i, (name, _))| names().take(i).any(|(n, _)| n == name));
        if !few || repeated {
            report_repeats(names().map(|n| (n, Use::Party)).collect(), d);
        }
        super::owners::apply_defaults(&[roots.parties], None, root);
        return;
    }
    let Some(layout) = Layout::of(schema, &roots) else {
        return;
    };
    {
        let entities = Entities::of(&layout, root);
        duplicates(&layout, root, &entities, d);
        unknown_names(schema, root, &entities, d);
        super::owners::over_100(&layout, &entities, d);
        let o = layout.owner;
        let edges = super::cycles::edges(&entities, o.name, [o.stake, o.voting]);
        super::cycles::check(&entities, &edges, d);
    }
    let lists = [layout.parties, layout.entities];
    super::owners::apply_defaults(&lists, Some(layout.owner), root);
}

/// Whether the deal has more than parties to check: items of `entities`, groups, a casting
/// vote, or a party's `owners`.
fn has_graph(roots: &Roots, root: &Record) -> bool {
    let listed = |field: usize| match root.field(field).map(|n| &n.value) {
        Some(NodeValue::List(items)) => !items.is_empty(),
        _ => false,
    };
    let (parties, party) = roots.parties;
    listed(roots.entities)
        || roots.groups.is_some_and(listed)
        || roots.casting_vote.is_some_and(|(board, vote)| {
            matches!(root.field(board).map(|n| &n.value), Some(NodeValue::Record(b)) if b.field(vote).is_some())
        })
        || records(root.field(parties)).any(|p| p.field(party.owners).is_some())
}
