//! The entities of a deal (SPEC §7.1) and the computed fields that read them: `entities`
//! (the parties, then the items of `entities`), an entity's `controller` and `bloc`, and an
//! owner's fields of the entity it names (`owner country`, `owner controller`).

use std::cell::{OnceCell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use crate::deal::plan::Plan;
use crate::deal::tree::{Deal, Node, NodeValue, Record, RecordIds};
use crate::lookup::{ByName, FastMap};
use crate::ownership::{self, EntityId, Graph, Holders};
use crate::resolve::ir::Step;
use crate::schema::{Computed, Schema};
use crate::source::Span;
use crate::value::{Scalar, Text};

use super::super::note::{Internal, Joint, Over100, Reason, Unlisted};
use super::super::shown::Element;
use super::super::value::{origin_path, unknown, why, ItemRef, Origin, OriginSpan, Val, Why};
use super::Evaluator;

/// What evaluation keeps of a deal's ownership, built on first use: the entities, the
/// ownership graph, and the holders of look-throughs whose holders read no item.
#[derive(Default)]
pub(crate) struct Ownership<'d> {
    entities: OnceCell<Entities<'d>>,
    graph: OnceCell<Graph<'d>>,
    /// By the address of the holders' expression (which reads no item, so its value is the
    /// same for the whole deal).
    pub(super) holders: RefCell<FastMap<usize, Rc<Holders<Rc<Why>>>>>,
}

/// The entities of a deal, parties first, by name and by record.
pub(crate) struct Entities<'d> {
    pub list: Vec<EntityRef<'d>>,
    /// Why the entities are unknown: the deal's `parties` are missing.
    pub unknown: Option<Rc<Why>>,
    by_name: ByName<'d, usize>,
    /// By the record's address: the items of `parties` and `entities` the list holds.
    by_record: RecordIds<'d>,
}

/// One entity: its record as an element of `parties` or `entities`, where it is, its name.
#[derive(Clone, Copy)]
pub(crate) struct EntityRef<'d> {
    pub item: ItemRef<'d>,
    pub span: Span,
    pub name: Option<&'d str>,
}

impl<'d> EntityRef<'d> {
    pub fn value(&self) -> Val<'d> {
        Val::Record(self.item.record, self.origin())
    }

    pub fn origin(&self) -> Origin<'d> {
        Origin {
            span: OriginSpan::of(Some(self.span)),
            item: Some(self.item),
            field: None,
            parent: None,
        }
    }

    /// The name as evidence shows it (the position when it has none).
    pub fn label(&self) -> Arc<str> {
        match self.name {
            Some(n) => Arc::from(n),
            None => Arc::from(format!("{} #{}", self.item.list, self.item.index() + 1)),
        }
    }
}

impl<'d> Entities<'d> {
    fn build(schema: &'d Schema, deal: &'d Deal) -> Entities<'d> {
        let mut out = Entities {
            list: Vec::new(),
            unknown: None,
            by_name: ByName::default(),
            by_record: RecordIds::default(),
        };
        if !crate::resolve::typeck::has_entities(schema) {
            return out;
        }
        let plan = Plan::kept_or_made(schema);
        let plan = &*plan;
        let root = schema.root();
        let lists = [
            ("parties", plan.graph.parties_named, Schema::PARTY),
            ("entities", plan.graph.entities_named, Schema::ENTITY),
        ];
        let listed = |field: Option<usize>| match field.and_then(|i| deal.root.field(i)) {
            Some(n) => match &n.value {
                NodeValue::List(nodes) => nodes.len(),
                _ => 0,
            },
            None => 0,
        };
        out.list
            .reserve(listed(plan.graph.parties_named) + listed(plan.graph.entities_named));
        let mut items: [&'d [Node]; 2] = [&[], &[]];
        for ((list, field, record_ty), slot) in lists.into_iter().zip(&mut items) {
            let Some(index) = field else {
                continue;
            };
            let name: &'d str = root.fields.get(index).map_or("", |f| f.name.as_str());
            match deal.root.field(index).map(|n| (&n.value, n.span)) {
                Some((NodeValue::List(nodes), _)) => {
                    *slot = nodes;
                    for (i, node) in nodes.iter().enumerate() {
                        if let NodeValue::Record(r) = &node.value {
                            out.list.push(EntityRef {
                                item: ItemRef::new(r, record_ty, name, i),
                                span: node.span,
                                name: name_of(r),
                            });
                        }
                    }
                }
                // A missing `entities` list is empty; missing parties are unknown entities.
                _ if list == "entities" => {}
                other => {
                    let field = Arc::from(name);
                    let reason = match other {
                        Some((NodeValue::Null, _)) => Reason::Null { field },
                        _ => Reason::Missing { field },
                    };
                    out.unknown = Some(Rc::new(Why {
                        reason,
                        span: other.map(|(_, span)| span),
                        element: None,
                        path: Some(name.into()),
                    }));
                }
            }
        }
        out.index(deal.owner_edges.as_deref().map(|k| k.by_name.as_slice()));
        out.by_record = RecordIds::new(items);
        out
    }

    /// Index the list by name (the first entity of a name) and by record; `sorted`, the
    /// entities by name as deal loading sorted them (checked before it is used).
    fn index(&mut self, sorted: Option<&[u32]>) {
        let named = self.list.iter().filter(|e| e.name.is_some()).count();
        let list = &self.list;
        let in_order = sorted.map(|order| {
            let mut in_order = Vec::with_capacity(named);
            for &at in order {
                let at = at as usize;
                if let Some(name) = list.get(at).and_then(|e| e.name) {
                    in_order.push((name, at));
                }
            }
            in_order
        });
        self.by_name = ByName::in_order_or_new(named, in_order, || {
            let named = list.iter().enumerate();
            named.filter_map(|(at, e)| Some((e.name?, at))).collect()
        });
    }

    /// The entity whose record this is.
    pub fn of_record(&self, r: &Record) -> Option<usize> {
        self.by_record.of(r)
    }

    pub fn named(&self, name: &str) -> Option<usize> {
        self.by_name.get(name)
    }

    pub fn get(&self, at: usize) -> Option<&EntityRef<'d>> {
        self.list.get(at)
    }

    /// The entity of an id of the ownership graph (parties first, then `entities`: the same
    /// order as this list).
    pub fn of_id(&self, id: EntityId) -> Option<&EntityRef<'d>> {
        self.list.get(id.index())
    }

    pub fn label(&self, id: EntityId) -> Arc<str> {
        self.of_id(id)
            .map_or_else(|| Arc::from("?"), EntityRef::label)
    }

    /// Where an entity is, as evidence names it.
    pub fn element(&self, schema: &Schema, id: EntityId) -> Option<Element> {
        self.of_id(id).map(|e| Element::of(schema, &e.item))
    }
}

/// The `name` of an entity record (field 0 of parties and entities alike).
fn name_of(r: &Record) -> Option<&str> {
    match &r.field(0)?.value {
        NodeValue::Scalar(Scalar::Str(t)) => Some(t.as_str()),
        _ => None,
    }
}

pub(crate) fn entity_id(at: usize) -> EntityId {
    EntityId(u32::try_from(at).unwrap_or(u32::MAX))
}

impl<'d> Evaluator<'d> {
    /// The deal's entities, graph and kept holders, made empty on first use.
    pub(super) fn ownership(&self) -> &Ownership<'d> {
        self.ownership.get_or_init(Box::default)
    }

    pub(crate) fn entities(&self) -> &Entities<'d> {
        self.ownership()
            .entities
            .get_or_init(|| Entities::build(&self.policy.schema, self.deal))
    }

    pub(crate) fn graph(&self) -> &Graph<'d> {
        self.ownership()
            .graph
            .get_or_init(|| Graph::of_deal(&self.policy.schema, self.deal))
    }

    /// The value of a computed field (SPEC §7, §8) of record `r`; None for a field that is
    /// read from its slot after all (`entities` without entities in the schema, a definition).
    pub(super) fn computed_field(
        &self,
        c: &Computed,
        r: &'d Record,
        origin: &Origin<'d>,
        step: &Step,
    ) -> Option<Val<'d>> {
        match c {
            Computed::AllEntities if crate::resolve::typeck::has_entities(&self.policy.schema) => {
                Some(self.all_entities())
            }
            Computed::Controller => Some(self.controller_of(r)),
            Computed::Bloc => Some(self.bloc_of(r)),
            Computed::Linked(i) => Some(self.linked(r, origin, *i, step)),
            Computed::AllEntities | Computed::Define(_) => None,
        }
    }

    /// Every entity, parties first; unknown when the deal's parties are missing.
    fn all_entities(&self) -> Val<'d> {
        let e = self.entities();
        if let Some(w) = &e.unknown {
            return Val::Unknown(w.clone());
        }
        let elems = e
            .list
            .iter()
            .map(|x| super::super::value::Elem {
                val: x.value(),
                maybe: None,
            })
            .collect();
        Val::List(Rc::new(elems), None)
    }

    /// The entity of record `r`, or the unknown to give instead.
    fn entity_of(&self, r: &Record) -> Result<usize, Val<'d>> {
        self.entities()
            .of_record(r)
            .ok_or_else(|| unknown(why(Reason::Internal(Internal::ItemOutOfScope))))
    }

    /// `controller` (SPEC §7.3): the controlling entity, or why it is unknown.
    fn controller_of(&self, r: &Record) -> Val<'d> {
        let at = match self.entity_of(r) {
            Ok(at) => at,
            Err(v) => return v,
        };
        match self.graph().controller::<Rc<Why>>(entity_id(at)) {
            ownership::Controller::Known { entity, .. } => match self.entities().of_id(entity) {
                Some(e) => e.value(),
                None => unknown(why(Reason::Internal(Internal::ItemOutOfScope))),
            },
            ownership::Controller::Unknown { why, .. } => unknown(self.why_of(&why)),
        }
    }

    /// `bloc` (SPEC §7.3): the name of the entity's bloc, its own name when in no group.
    pub(crate) fn bloc_of(&self, r: &Record) -> Val<'d> {
        let at = match self.entity_of(r) {
            Ok(at) => at,
            Err(v) => return v,
        };
        let Some(e) = self.entities().get(at) else {
            return unknown(why(Reason::Internal(Internal::ItemOutOfScope)));
        };
        let name = match self.bloc_name_at(at, e) {
            Some(name) => name,
            None => {
                let field = Arc::from("name");
                return unknown(Why {
                    reason: Reason::Missing { field },
                    span: Some(e.span),
                    element: Some(Element::of(&self.policy.schema, &e.item)),
                    path: origin_path(&e.origin()).map(String::into_boxed_str),
                });
            }
        };
        Val::Scalar(Scalar::Str(Text::from(name)), e.origin())
    }

    /// The name [`Evaluator::bloc_of`] gives `r`'s bloc, borrowed from the deal; None where
    /// it gives an unknown.
    pub(crate) fn bloc_name(&self, r: &Record) -> Option<&'d str> {
        let entities = self.entities();
        let at = entities.of_record(r)?;
        self.bloc_name_at(at, entities.get(at)?)
    }

    /// The bloc's name of entity `at`: its group's, else its own.
    fn bloc_name_at(&self, at: usize, e: &EntityRef<'d>) -> Option<&'d str> {
        let bloc = self.graph().bloc(entity_id(at));
        match bloc.group {
            Some(_) => Some(bloc.name),
            None => e.name,
        }
    }

    /// An owner edge's field `i` of the entity it names (`owner country`).
    fn linked(&self, owner: &'d Record, origin: &Origin<'d>, i: usize, step: &Step) -> Val<'d> {
        let entity = self.linked_entity(owner, origin);
        if !matches!(entity, Val::Record(..)) {
            return entity;
        }
        let into = Step {
            field: i,
            record: Schema::ENTITY,
            name: step.name.clone(),
            map: false,
            flatten: false,
        };
        self.step(&entity, &into)
    }

    /// The entity an owner edge names, as a value; unknown when it names none.
    pub(super) fn linked_entity(&self, owner: &'d Record, origin: &Origin<'d>) -> Val<'d> {
        let Some(name) = name_of(owner) else {
            let o = Origin {
                field: Some("name"),
                ..*origin
            };
            return unknown(Why {
                reason: Reason::Missing {
                    field: Arc::from("name"),
                },
                span: origin.span.get(),
                element: origin.item.map(|i| Element::of(&self.policy.schema, &i)),
                path: origin_path(&o).map(String::into_boxed_str),
            });
        };
        let entities = self.entities();
        let Some(e) = entities.named(name).and_then(|at| entities.get(at)) else {
            return unknown(Why {
                reason: Reason::NoSuchEntity(Arc::from(name)),
                span: origin.span.get(),
                element: origin.item.map(|i| Element::of(&self.policy.schema, &i)),
                path: origin_path(origin).map(String::into_boxed_str),
            });
        };
        e.value()
    }

    /// An unknown of the ownership floor, as evaluation words it.
    pub(crate) fn why_of(&self, u: &ownership::Unknown<Rc<Why>>) -> Why {
        use ownership::Unknown as U;
        let schema = &self.policy.schema;
        let entities = self.entities();
        let at_entity = |id: EntityId, reason: Reason, span: Option<Span>| Why {
            reason,
            span,
            element: entities.element(schema, id),
            path: entities
                .of_id(id)
                .and_then(|e| origin_path(&e.origin()))
                .map(String::into_boxed_str),
        };
        match u {
            U::UnlistedOwners {
                entity,
                measure,
                listed,
                span,
            } => {
                let reason = Reason::UnlistedOwners(Box::new(Unlisted {
                    entity: Some(entities.label(*entity)),
                    measure: Arc::from(measure.as_str()),
                    listed: super::super::holdings::share_of(listed).percent,
                }));
                at_entity(*entity, reason, Some(*span))
            }
            U::UnlistedParties { measure, listed } => {
                why(Reason::UnlistedOwners(Box::new(Unlisted {
                    entity: None,
                    measure: Arc::from(measure.as_str()),
                    listed: super::super::holdings::share_of(listed).percent,
                })))
            }
            U::NoOwners { entity, span } => {
                let field = Arc::from("owners");
                at_entity(*entity, Reason::Missing { field }, Some(*span))
            }
            U::MissingMeasure {
                from, to, field, ..
            } => self.missing_measure(*from, *to, field, u),
            U::PartiesOver100 { measure, total } => why(Reason::OwnersOver100(Box::new(Over100 {
                entity: None,
                measure: Arc::from(measure.as_str()),
                total: super::super::holdings::share_of(total).percent,
            }))),
            U::OwnersOver100 {
                entity,
                measure,
                total,
                span,
            } => {
                let reason = Reason::OwnersOver100(Box::new(Over100 {
                    entity: Some(entities.label(*entity)),
                    measure: Arc::from(measure.as_str()),
                    total: super::super::holdings::share_of(total).percent,
                }));
                at_entity(*entity, reason, Some(*span))
            }
            U::Cycle { entity } => {
                let reason = Reason::OwnershipCycle(entities.label(*entity));
                let span = entities.of_id(*entity).map(|e| e.span);
                at_entity(*entity, reason, span)
            }
            U::MaybeMember { why, .. } => (**why).clone(),
            U::JointControl { entity, by } => {
                let reason = Reason::JointControl(Box::new(Joint {
                    entity: entities.label(*entity),
                    by: (entities.label(by.0), entities.label(by.1)),
                }));
                let span = entities.of_id(*entity).map(|e| e.span);
                at_entity(*entity, reason, span)
            }
        }
    }

    /// An edge into `to` that lacks its measure: missing, for the party (an edge into the
    /// deal) or the owner item naming `from`.
    fn missing_measure(
        &self,
        from: EntityId,
        to: ownership::Target,
        field: &str,
        u: &ownership::Unknown<Rc<Why>>,
    ) -> Why {
        let entities = self.entities();
        let span = match u {
            ownership::Unknown::MissingMeasure { span, .. } => Some(*span),
            _ => None,
        };
        let element = match to {
            ownership::Target::Deal => entities.element(&self.policy.schema, from),
            ownership::Target::Entity(_) => Some(Element {
                kind: Arc::from("owner"),
                name: Some(Text::from(entities.label(from))),
                index: 0,
            }),
        };
        Why {
            reason: Reason::Missing {
                field: Arc::from(field),
            },
            span,
            element,
            path: None,
        }
    }
}
