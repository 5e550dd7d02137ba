//! Names of entities and groups (SPEC §7.1, §7.3): unique across parties, `entities` and
//! groups (`covenant::deal::duplicate-entity`), and every name in `owners`, group `members`,
//! `board.casting_vote` and approval `parties` names an entity
//! (`covenant::deal::unknown-entity`, with a did-you-mean).

use std::collections::HashMap;

use super::entities::{records, text, Entities, Layout};
use super::error::{self, Diags};
use super::tree::{Node, NodeValue, Record};
use crate::schema::{Schema, Type};
use crate::source::Span;
use crate::value::Scalar;

/// The places that name an entity, as paths of field names from the root, with the words a
/// message uses for them. A new place is one line.
const REFERENCES: &[(&[&str], &str)] = &[
    (&["parties", "owners", "name"], "the owner"),
    (&["entities", "owners", "name"], "the owner"),
    (&["groups", "members"], "the group member"),
    (&["board", "casting_vote"], "the casting vote"),
    (&["approvals", "parties"], APPROVAL_PARTY),
];

/// An approval's `parties` name the entities it is limited to (SPEC §10).
const APPROVAL_PARTY: &str = "the approval's party";

/// The most unknown names that get a did-you-mean by spelling (each compares with every
/// entity); the rest get the help without it, so a deal of many unknown names stays linear.
const SPELLING_SEARCHES: usize = 64;

/// `covenant::deal::duplicate-entity`: a name used by two parties, entities or groups; each
/// repeat is reported against the first use, in the order of the repeats.
pub(crate) fn duplicates(layout: &Layout, root: &Record, entities: &Entities<'_>, d: &mut Diags) {
    // A usual deal repeats no name: its entities' names are sorted already, and each of its
    // few groups is looked up among them and compared with the groups before it.
    let groups = || {
        layout.groups.into_iter().flat_map(|(field, name)| {
            records(root.field(field)).filter_map(move |g| Some((text(g.field(name))?, Use::Group)))
        })
    };
    let few_groups = groups().nth(16).is_none();
    let group_repeats = || {
        groups().enumerate().any(|(i, ((name, _), _))| {
            entities.by_name(name).is_some() || groups().take(i).any(|((n, _), _)| n == name)
        })
    };
    if !entities.repeats_a_name() && few_groups && !group_repeats() {
        return;
    }
    let named = entities.all.iter().filter_map(|e| {
        let place = if e.is_party { Use::Party } else { Use::Entity };
        Some((e.name?, place))
    });
    report_repeats(named.chain(groups()).collect(), d);
}

/// Report each name of `uses` (in deal order) used before.
pub(crate) fn report_repeats(uses: Vec<((&str, Span), Use)>, d: &mut Diags) {
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
pub(crate) enum Use {
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
/// the order of the text). `owners_known`: the owners' names of the entities of this layout
/// all name an entity (their places are not walked again).
pub(crate) fn unknown_names(
    references: &[Option<Steps>],
    owners_known: Option<&Layout>,
    root: &Record,
    entities: &Entities<'_>,
    d: &mut Diags,
) {
    let known = owners_known
        .map(|l| [l.parties, l.entities].map(|(list, fields)| [list, fields.owners, l.owner.name]));
    let mut unknown: Vec<(&str, Span, &'static str)> = Vec::new();
    for ((_, place), steps) in REFERENCES.iter().zip(references) {
        let Some(steps) = steps else {
            continue;
        };
        if known.is_some_and(|k| k.iter().any(|path| steps.path() == path)) {
            continue;
        }
        walk(root, steps.path(), &mut |name, span| {
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
            help: names.help(name, place, i < SPELLING_SEARCHES),
            src: d.src(),
        };
        d.push(e.into());
    }
}

/// One of the [`REFERENCES`] in a schema: the field index of each step (every record at one
/// step of the path has the same type), worked out once per schema ([`super::plan::Plan`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Steps {
    steps: [usize; 4],
    len: usize,
}

impl Steps {
    fn path(&self) -> &[usize] {
        self.steps.get(..self.len).unwrap_or_default()
    }
}

/// The [`Steps`] of each of the [`REFERENCES`] in `schema`, in order: `None` for a path the
/// schema does not have (no name is read there).
pub(crate) fn reference_steps(schema: &Schema) -> Vec<Option<Steps>> {
    REFERENCES
        .iter()
        .map(|(path, _)| steps_of(schema, path))
        .collect()
}

/// The field indices of `path` (field names from the root, through lists and records).
fn steps_of(schema: &Schema, path: &[&str]) -> Option<Steps> {
    let mut steps = [0usize; 4];
    let mut id = Schema::ROOT;
    for (k, name) in path.iter().enumerate() {
        let rs = schema.record(id);
        let i = rs.field_index(name)?;
        *steps.get_mut(k)? = i;
        if let Some(Type::Record(next)) = rs.fields.get(i).map(|f| f.ty.element()) {
            id = *next;
        }
    }
    Some(Steps {
        steps,
        len: path.len(),
    })
}

/// Call `f` with each string below `record` at `steps` (field indices, through lists and
/// records) and its span.
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
    fn help(&self, name: &str, place: &str, by_spelling: bool) -> String {
        let key = fold(name);
        let close = self
            .folded
            .get(&key)
            .copied()
            .or_else(|| by_spelling.then(|| self.nearest(&key)).flatten());
        let names_what = if place == APPROVAL_PARTY {
            "an approval's `parties` name"
        } else {
            "an owner, a group member or a casting vote names"
        };
        match close {
            Some(best) => {
                format!("did you mean `{best}`? {names_what} a party or an item of `entities`")
            }
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
