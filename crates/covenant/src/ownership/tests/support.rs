//! Deals for the ownership tests: loaded from YAML (real spans), or built record by record
//! (graphs too large or too odd for a document: deep chains, cycles, random graphs).

use num_rational::BigRational;

use crate::deal::tree::{Node, NodeValue, Record};
use crate::deal::{self, Format, LoadOptions};
use crate::number::Exact;
use crate::ownership::{EntityId, Graph, Holders, Measure, Membership, Mode};
use crate::schema::{RecordId, Schema};
use crate::source::{SourceFile, Span};
use crate::value::Scalar;

/// A deal loaded from YAML against the standard schema.
pub fn load(yaml: &str) -> deal::Deal {
    let loaded = deal::load(
        SourceFile::new("deal.yaml", yaml),
        "deal.yaml".into(),
        1,
        Format::Yaml,
        &Schema::standard(),
        &LoadOptions::default(),
    );
    match loaded {
        Ok(l) => l.deal,
        Err(e) => panic!("the deal must load: {:?}", e.errors),
    }
}

/// The measure `name` of the standard schema.
pub fn measure(name: &str) -> Measure {
    let s = Schema::standard();
    Measure {
        name: name.into(),
        party_field: s.record(Schema::PARTY).field_index(name).unwrap(),
        owner_field: s.record(Schema::OWNER).field_index(name).unwrap(),
    }
}

/// A percent string (`"29.4"`) as a fraction.
pub fn pct(text: &str) -> BigRational {
    crate::ownership::fraction_of_percent(Exact::parse(text).unwrap())
}

pub fn control(percent: &str, inclusive: bool) -> Mode {
    Mode::Control {
        threshold: pct(percent),
        inclusive,
    }
}

/// Holders: `sure` for sure, `maybe` maybe (the reason is the name).
pub fn holders(g: &Graph<'_>, sure: &[&str], maybe: &[&'static str]) -> Holders<&'static str> {
    let mut members = vec![None; g.entities().len()];
    for name in sure {
        members[id(g, name).index()] = Some(Membership::Sure);
    }
    for name in maybe {
        members[id(g, name).index()] = Some(Membership::Maybe(*name));
    }
    Holders { members }
}

pub fn id(g: &Graph<'_>, name: &str) -> EntityId {
    g.by_name(name)
        .unwrap_or_else(|| panic!("no entity named {name}"))
}

/// An owner edge to build: `name` holds `percent` (stake and voting; `None`: missing).
#[derive(Clone, Debug)]
pub struct OwnerSpec {
    pub name: String,
    pub percent: Option<Exact>,
    pub controls: bool,
}

/// An entity to build; `owners: None` leaves the field out.
#[derive(Clone, Debug)]
pub struct EntitySpec {
    pub name: String,
    pub kind: &'static str,
    /// A party's stake and voting in the JV (`None`: missing); ignored for `entities` items.
    pub party: Option<Exact>,
    pub owners: Option<Vec<OwnerSpec>>,
}

pub fn owner(name: &str, percent: &str) -> OwnerSpec {
    OwnerSpec {
        name: name.into(),
        percent: Exact::parse(percent),
        controls: false,
    }
}

pub fn entity(name: &str, kind: &'static str, owners: Option<Vec<OwnerSpec>>) -> EntitySpec {
    EntitySpec {
        name: name.into(),
        kind,
        party: None,
        owners,
    }
}

/// Builds records with distinct, increasing spans (each value its own).
pub struct Builder {
    schema: Schema,
    next: usize,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            schema: Schema::standard(),
            next: 0,
        }
    }
}

impl Builder {
    fn node(&mut self, value: NodeValue) -> Node {
        self.next += 1;
        Node {
            value,
            span: Span::new(self.next, self.next + 1),
        }
    }

    fn record(&self, id: RecordId) -> Record {
        Record {
            fields: vec![None; self.schema.record(id).stored_fields().len()],
        }
    }

    fn set(&mut self, r: &mut Record, of: RecordId, field: &str, value: NodeValue) {
        let i = self.schema.record(of).field_index(field).unwrap();
        r.fields[i] = Some(self.node(value));
    }

    fn text(s: &str) -> NodeValue {
        NodeValue::Scalar(Scalar::Str(s.into()))
    }

    fn owner(&mut self, o: &OwnerSpec) -> Node {
        let mut r = self.record(Schema::OWNER);
        self.set(&mut r, Schema::OWNER, "name", Self::text(&o.name));
        if let Some(p) = o.percent {
            for f in ["stake", "voting"] {
                self.set(
                    &mut r,
                    Schema::OWNER,
                    f,
                    NodeValue::Scalar(Scalar::Percent(p)),
                );
            }
        }
        if o.controls {
            let yes = NodeValue::Scalar(Scalar::Bool(true));
            self.set(&mut r, Schema::OWNER, "controls", yes);
        }
        self.node(NodeValue::Record(r))
    }

    fn entity(&mut self, e: &EntitySpec, of: RecordId) -> Node {
        let mut r = self.record(of);
        self.set(&mut r, of, "name", Self::text(&e.name));
        self.set(&mut r, of, "kind", Self::text(e.kind));
        if let Some(owners) = &e.owners {
            let items = owners.iter().map(|o| self.owner(o)).collect();
            self.set(&mut r, of, "owners", NodeValue::List(items));
        }
        if of == Schema::PARTY {
            if let Some(p) = e.party {
                for f in ["stake", "voting"] {
                    self.set(&mut r, of, f, NodeValue::Scalar(Scalar::Percent(p)));
                }
            }
        }
        self.node(NodeValue::Record(r))
    }

    /// The root record of a deal with these parties, entities and groups.
    pub fn root(
        &mut self,
        parties: &[EntitySpec],
        entities: &[EntitySpec],
        groups: &[(&str, &[&str])],
    ) -> Record {
        let mut root = self.record(Schema::ROOT);
        let p = parties
            .iter()
            .map(|e| self.entity(e, Schema::PARTY))
            .collect();
        self.set(&mut root, Schema::ROOT, "parties", NodeValue::List(p));
        let e = entities
            .iter()
            .map(|e| self.entity(e, Schema::ENTITY))
            .collect();
        self.set(&mut root, Schema::ROOT, "entities", NodeValue::List(e));
        let g = groups
            .iter()
            .map(|(name, members)| {
                let mut r = self.record(Schema::GROUP);
                self.set(&mut r, Schema::GROUP, "name", Self::text(name));
                let m = members.iter().map(|m| self.node(Self::text(m))).collect();
                self.set(&mut r, Schema::GROUP, "members", NodeValue::List(m));
                self.node(NodeValue::Record(r))
            })
            .collect();
        self.set(&mut root, Schema::ROOT, "groups", NodeValue::List(g));
        root
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }
}
