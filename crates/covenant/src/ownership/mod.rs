//! Ownership and control over a loaded deal (SPEC §7): the entity graph, look-through holdings
//! (§7.2), controllers and blocs (§7.3).
//!
//! This floor sits between deal loading and evaluation: it reads a validated deal's records and
//! knows nothing of expressions. Values are exact, unbounded rationals ([`BigRational`]) and are
//! *fractions* (1 is 100%); evaluation turns them into percents. Unknowns carry what a report
//! needs to say why ([`Unknown`]); the caller's own reason for a maybe-member of the holders is
//! carried through as `W`.

mod bloc;
mod control;
mod edges;
mod frac;
mod fraction;
mod graph;
mod look_through;
mod paths;
mod picture;
mod small;
#[cfg(test)]
mod tests;

use num_rational::BigRational;

pub use fraction::{fraction_of_percent, percent_of_fraction};
pub use picture::{Picture, PictureEdge, PictureEntity};

use crate::deal::tree::{Deal, Record};
use crate::number::Exact;
use crate::schema::Schema;
use crate::source::Span;

/// An entity of the deal: parties first (in deal order), then the items of `entities`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(pub u32);

impl EntityId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One entity: its record (a party or an `entities` item; their first fields agree, see
/// [`Schema::standard`]), its name and where it is.
#[derive(Clone, Copy, Debug)]
pub struct Entity<'d> {
    pub record: &'d Record,
    pub name: &'d str,
    /// A party of the deal (else an item of `entities`).
    pub is_party: bool,
    /// Its position in its list (`parties` or `entities`), from 0.
    pub index: usize,
    /// The span of its record in the deal's source.
    pub span: Span,
}

/// The target of a look-through: the JV itself (`deal`, held by its parties) or an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Deal,
    Entity(EntityId),
}

/// The measure `M` of a look-through: one percent field read on the parties (edges into the
/// deal) and on the owner edges (SPEC §7.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measure {
    /// The field's name, as evidence shows it (`voting`).
    pub name: String,
    /// Its index in the party record.
    pub party_field: usize,
    /// Its index in the owner record.
    pub owner_field: usize,
}

/// How an edge counts (SPEC §7.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Values multiply along a path and add over paths.
    Proportional,
    /// An edge into an entity other than the target counts 100% when its value is more than
    /// (`inclusive`: at least) `threshold` (a fraction), or it has `controls: true`; a holding
    /// over 100% counts 100%.
    Control {
        threshold: BigRational,
        inclusive: bool,
    },
}

/// Whether an entity is one of the holders `S`: for sure, or maybe (a filter that was unknown
/// for it: `W` says why, as the caller words it).
#[derive(Clone, Debug)]
pub enum Membership<W> {
    Sure,
    Maybe(W),
}

/// The holders `S` of a look-through, taken together.
#[derive(Clone, Debug)]
pub struct Holders<W> {
    /// By [`EntityId::index`]; `None` is not a member.
    pub members: Vec<Option<Membership<W>>>,
}

/// One edge of a path: `from` holds `value` of `to`, written at `span` (the owner item's
/// measure, or the party's, for the edge into the deal).
#[derive(Clone, Debug, PartialEq)]
pub struct PathEdge {
    pub from: EntityId,
    pub to: Target,
    /// The edge's measure, a fraction.
    pub value: BigRational,
    /// By control: what the edge counted for (1, for 100%), when not its value.
    pub counted: Option<BigRational>,
    pub span: Span,
}

/// One path from a holder to the target, and what it contributes.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    pub contribution: BigRational,
    /// From the holder down to the target.
    pub edges: Vec<PathEdge>,
}

/// The most paths evidence shows (SPEC §7.2).
pub const PATHS_SHOWN: usize = 10;

/// A look-through value with its evidence.
#[derive(Clone, Debug)]
pub struct LookThrough<W> {
    /// The holders' share of the target, a fraction.
    pub value: Result<BigRational, Unknown<W>>,
    /// The largest paths (ties by names), at most [`PATHS_SHOWN`]; empty when unknown.
    pub paths: Vec<Path>,
    /// How many paths are not shown, and what they add up to.
    pub more_paths: u64,
    pub more_value: BigRational,
}

/// Why a look-through, a controller or a bloc is unknown (SPEC §7.2, §7.3).
#[derive(Clone, Debug, PartialEq)]
pub enum Unknown<W> {
    /// The owners of `entity` add up to `listed` (a fraction under 1) of its measure: the rest
    /// is held by holders not listed. `span` is the entity's record.
    UnlistedOwners {
        entity: EntityId,
        measure: String,
        listed: BigRational,
        span: Span,
    },
    /// `entity` lists no `owners`, and it is not a `state`, an `individual` or `public`.
    NoOwners { entity: EntityId, span: Span },
    /// An edge into `to` lacks the measure (`field`); `span` is the owner item (or party).
    MissingMeasure {
        from: EntityId,
        to: Target,
        field: String,
        span: Span,
    },
    /// The parties add up to more than 100% of the measure: the JV's holdings are unknown.
    PartiesOver100 { measure: String, total: BigRational },
    /// Whether `entity` is one of the holders is unknown.
    MaybeMember { entity: EntityId, why: W },
    /// Control is joint: two owners of `entity` each control it (SPEC §7.3).
    JointControl {
        entity: EntityId,
        by: (EntityId, EntityId),
    },
    /// The owners of `entity` add up to `total`, over 100%, in a measure the deal loader does
    /// not check (a field a schema adds to owners). `span` is the entity's record.
    OwnersOver100 {
        entity: EntityId,
        measure: String,
        total: BigRational,
        span: Span,
    },
    /// The parties add up to `listed` (under 1, 0 with no parties) of the measure: the rest
    /// of the JV is held by holders not listed.
    UnlistedParties {
        measure: String,
        listed: BigRational,
    },
    /// The owner edges through `entity` form a cycle (a deal the loader rejects; never met in
    /// a validated deal).
    Cycle { entity: EntityId },
}

/// The entity graph of one deal.
#[derive(Clone, Debug, Default)]
pub struct Graph<'d> {
    entities: Vec<Entity<'d>>,
    shape: graph::Shape<'d>,
}

impl<'d> Graph<'d> {
    /// The graph of a validated deal; empty when the schema has no entities (a custom schema
    /// that does not extend the standard one). Names that name no entity (impossible in a
    /// validated deal) are left out.
    pub fn build(schema: &Schema, root: &'d Record) -> Graph<'d> {
        let (entities, shape) = graph::build(schema, root, None);
        Graph { entities, shape }
    }

    /// [`Graph::build`] of a loaded deal's root, with the owner edges its loading resolved
    /// (the same graph, for fewer look-ups of names).
    pub fn of_deal(schema: &Schema, deal: &'d Deal) -> Graph<'d> {
        let (entities, shape) = graph::build(schema, &deal.root, deal.owner_edges.as_deref());
        Graph { entities, shape }
    }

    pub fn entities(&self) -> &[Entity<'d>] {
        &self.entities
    }

    pub fn entity(&self, id: EntityId) -> Option<&Entity<'d>> {
        self.entities.get(id.index())
    }

    /// The entity whose record this is (a party or an `entities` item), by identity.
    pub fn id_of(&self, record: &Record) -> Option<EntityId> {
        let at = self.shape.by_record.of(record)?;
        u32::try_from(at).ok().map(EntityId)
    }

    /// The entity of this name (the first one, were names not unique).
    pub fn by_name(&self, name: &str) -> Option<EntityId> {
        self.shape.by_name.get(name)
    }

    /// The parties, in deal order (the first entities).
    pub fn parties(&self) -> impl Iterator<Item = EntityId> + '_ {
        (0..self.shape.parties).filter_map(|i| u32::try_from(i).ok().map(EntityId))
    }

    /// The share the holders hold of `target` (SPEC §7.2), with its paths. Memoised over the
    /// graph: one call is linear in its size.
    pub fn look_through<W: Clone>(
        &self,
        measure: &Measure,
        holders: &Holders<W>,
        mode: &Mode,
        target: Target,
    ) -> LookThrough<W> {
        look_through::Walk::new(self, measure, holders, mode, target).run()
    }

    /// [`Graph::look_through`]'s value alone (the same value, or the same unknown): no path
    /// is kept, so `paths` is empty and `more_paths` and `more_value` are zero.
    pub fn look_through_value<W: Clone>(
        &self,
        measure: &Measure,
        holders: &Holders<W>,
        mode: &Mode,
        target: Target,
    ) -> LookThrough<W> {
        look_through::Walk::new(self, measure, holders, mode, target)
            .value_only()
            .run()
    }

    /// The controller of `id` (SPEC §7.3).
    pub fn controller<W>(&self, id: EntityId) -> Controller<W> {
        control::controller(self, id)
    }

    /// The bloc of `id` (SPEC §7.3): the first group, in deal order, among those linked to it
    /// by shared members; else the entity's own name.
    pub fn bloc(&self, id: EntityId) -> Bloc<'d> {
        let group = self.shape.bloc_of.get(id.index()).copied().flatten();
        let name = group
            .and_then(|g| self.shape.groups.get(g))
            .and_then(|g| g.name)
            .or_else(|| self.entity(id).map(|e| e.name));
        Bloc {
            name: name.unwrap_or(""),
            group,
        }
    }

    /// The name of group `group` (by its position in `groups`), and the entities its members
    /// name, for evidence.
    pub fn group(&self, group: usize) -> Option<(&'d str, &[EntityId])> {
        let g = self.shape.groups.get(group)?;
        Some((g.name.unwrap_or(""), &g.members))
    }
}

/// One link of a chain of control: `holder` holds `voting` (or `controls: true`) of the entity
/// before it in the chain, written at `span`.
#[derive(Clone, Debug, PartialEq)]
pub struct ControlLink {
    pub holder: EntityId,
    pub voting: Option<Exact>,
    pub controls: bool,
    pub span: Span,
}

/// The controller of an entity (SPEC §7.3).
#[derive(Clone, Debug, PartialEq)]
pub enum Controller<W> {
    /// `entity` controls, through `chain` (from the first holder up; empty: its own controller).
    Known {
        entity: EntityId,
        chain: Vec<ControlLink>,
    },
    Unknown {
        chain: Vec<ControlLink>,
        why: Unknown<W>,
    },
}

/// The bloc of an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bloc<'d> {
    pub name: &'d str,
    /// The group (by its position in `groups`), or `None` for an entity in no group.
    pub group: Option<usize>,
}
