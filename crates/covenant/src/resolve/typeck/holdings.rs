//! Typing the ownership forms: `look-through M of S in T [by control …]` (SPEC §7.2) and
//! `AGG X per K` (SPEC §7.3).

use crate::number::Exact;
use crate::schema::{RecordId, Schema, Type};
use crate::source::Span;
use crate::syntax::ast::{self, AggKind};
use crate::value::Scalar;

use super::super::ir::{Base, Control, Expr, ExprKind as K, LookThrough, Measure, Per, Step};
use super::super::phrase::{self, Frame};
use super::error::{BadKey, BadMeasure, NotAnEntity};
use super::{scalar_kind, Ctx, Lowerer};

/// Whether records of type `id` are entities (SPEC §7.1): the parties and the items of
/// `entities` of the standard schema (or of one that extends it).
pub fn is_entity_record(schema: &Schema, id: RecordId) -> bool {
    (id == Schema::PARTY || id == Schema::ENTITY) && has_entities(schema)
}

/// Whether `schema` has the entity records of the standard schema, in their places.
pub fn has_entities(schema: &Schema) -> bool {
    let named = |id: RecordId, name: &str| schema.records.get(id.0).is_some_and(|r| r.name == name);
    named(Schema::PARTY, "party")
        && named(Schema::ENTITY, "entity")
        && named(Schema::OWNER, "owner")
}

/// How many entities a value of type `ty` is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Entities {
    /// The deal root (`deal`): a target only.
    Deal,
    One,
    Many,
    None,
}

fn entities(schema: &Schema, ty: &Type) -> Entities {
    match ty {
        Type::Record(id) if *id == Schema::ROOT => Entities::Deal,
        Type::Record(id) if is_entity_record(schema, *id) => Entities::One,
        Type::List(t) => match **t {
            Type::Record(id) if is_entity_record(schema, id) => Entities::Many,
            _ => Entities::None,
        },
        _ => Entities::None,
    }
}

impl Lowerer<'_> {
    pub(super) fn look_through(
        &mut self,
        l: &ast::LookThrough,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        let holders = self.expr(&l.holders, frames, ctx)?;
        if !matches!(
            entities(self.schema, &holders.ty),
            Entities::One | Entities::Many
        ) {
            return self.not_an_entity("holders", &holders);
        }
        let target = self.expr(&l.target, frames, ctx)?;
        let many = match entities(self.schema, &target.ty) {
            Entities::None => return self.not_an_entity("target", &target),
            e => e,
        };
        let deal = many == Entities::Deal;
        let measure = self.measure(&l.measure, deal)?;
        let control = match &l.control {
            Some(c) => Some(self.control(c, frames, ctx)?),
            None => None,
        };
        let ty = if many == Entities::Many {
            Type::list(Type::Percent)
        } else {
            Type::Percent
        };
        let node = LookThrough {
            measure,
            holders,
            holders_fixed: false,
            target: (!deal).then_some(target),
            control,
        };
        Some(self.mk(K::LookThrough(Box::new(node)), ty, span))
    }

    fn not_an_entity(&mut self, role: &'static str, x: &Expr) -> Option<Expr> {
        let help = match (role, &x.ty) {
            ("holders", Type::Record(id)) if *id == Schema::ROOT => {
                "`deal` is a target only: the holders are entities, such as `(entities where \
                 kind = \"state\")`"
                    .to_string()
            }
            _ if !has_entities(self.schema) => {
                "this schema has no entities: look-through reads the parties and `entities` \
                 of the standard schema"
                    .to_string()
            }
            ("holders", _) => "the holders are entities: a party, an entity or a list of them, \
                               such as `(entities where kind = \"state\")`"
                .to_string(),
            _ => "the target is `deal`, an entity (such as `party`) or a list of entities \
                  (such as `parties`)"
                .to_string(),
        };
        self.type_error(NotAnEntity {
            role,
            text: x.text.clone(),
            ty: x.ty.clone(),
            src: self.named(),
            span: x.loc.span.into(),
            help,
        });
        None
    }

    /// The measure `M`: a stored percent field of the owner edges and, into the deal, of the
    /// parties (SPEC §7.2).
    fn measure(&mut self, m: &ast::Phrase, deal: bool) -> Option<Measure> {
        let owner = self.percent_field(m, Schema::OWNER);
        let party = self.percent_field(m, Schema::PARTY);
        let missing = match (owner, party) {
            (None, _) => Some("the owner edges"),
            (Some(_), None) if deal => Some("the parties"),
            _ => None,
        };
        if let Some(edges) = missing {
            let both: Vec<String> = self
                .schema
                .record(Schema::OWNER)
                .fields
                .iter()
                .filter(|f| f.ty == Type::Percent && f.computed.is_none())
                .filter(|f| {
                    self.schema
                        .record(Schema::PARTY)
                        .field_index(&f.name)
                        .is_some()
                })
                .map(|f| format!("`{}`", f.name.replace('_', " ")))
                .collect();
            self.type_error(BadMeasure {
                text: self.source.slice(m.span).into(),
                edges,
                src: self.named(),
                span: m.span.into(),
                help: format!("measure by a percent of every edge: {}", both.join(", ")),
            });
            return None;
        }
        let owner_field = owner?;
        let name = self
            .schema
            .record(Schema::OWNER)
            .fields
            .get(owner_field)
            .map_or_else(String::new, |f| f.name.replace('_', " "));
        Some(Measure {
            name: name.into(),
            party_field: party,
            owner_field,
        })
    }

    /// The stored percent field of `record` that the phrase `m` names, if any.
    fn percent_field(&self, m: &ast::Phrase, record: RecordId) -> Option<usize> {
        if !has_entities(self.schema) {
            return None;
        }
        let frame = Frame::new(Type::Record(record), Vec::new());
        let none = |_: usize| None;
        let r = phrase::resolve(self.schema, &[frame], &[], &none, m).ok()?;
        let [step] = r.steps.as_slice() else {
            return None;
        };
        let field = self.schema.record(record).fields.get(step.field)?;
        let fits = matches!(r.base, Base::Item(0))
            && step.record == record
            && field.ty == Type::Percent
            && field.computed.is_none();
        fits.then_some(step.field)
    }

    /// `by control [more than | at least P]`; `P` is `50%` when not written.
    fn control(&mut self, c: &ast::Control, frames: &mut Vec<Frame>, ctx: Ctx) -> Option<Control> {
        let fifty = self.mk(
            K::Const(Scalar::Percent(Exact::from_int(50))),
            Type::Percent,
            c.span,
        );
        let threshold = match &c.threshold {
            Some(p) => {
                let p = self.scalar_operand(p, frames, ctx, "`by control`")?;
                self.same_unit(&p.ty, &Type::Percent, p.loc.span, &p, &fifty)?;
                p
            }
            None => Expr {
                text: "50%".into(),
                ..fifty
            },
        };
        Some(Control {
            threshold,
            inclusive: c.inclusive,
        })
    }

    /// `AGG X per K` (SPEC §7.3): the aggregate is typed as without `per`; `K` is read on the
    /// items of `X`, or on the records of the last list `X` maps over.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn per(
        &mut self,
        kind: AggKind,
        arg: &ast::Expr,
        key: &ast::Phrase,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        let agg = self.aggregate(kind, arg, frames, ctx, span)?;
        let value_ty = agg.ty.clone();
        let K::Aggregate { arg: x, .. } = agg.kind else {
            return None;
        };
        let of = x.text.clone();
        let (source, tail) = per_source(*x);
        frames.push(Frame::new(
            source.ty.element().clone(),
            self.item_names(&source),
        ));
        let key = self.phrase(key, frames);
        frames.pop();
        let key = key?;
        let key_is_entity = match &key.ty {
            Type::Record(id) if is_entity_record(self.schema, *id) => true,
            t if scalar_kind(t).is_some() => false,
            t => return self.bad_key(&key, t.clone()),
        };
        let node = Per {
            kind,
            source,
            tail,
            key,
            key_is_entity,
            value_ty: value_ty.clone(),
            of,
        };
        Some(self.mk(K::Per(Box::new(node)), Type::list(value_ty), span))
    }

    fn bad_key(&mut self, key: &Expr, ty: Type) -> Option<Expr> {
        let what = match &ty {
            Type::List(_) => format!("`{}` is a list", key.text),
            _ => format!("`{}` is a record that is not an entity", key.text),
        };
        self.type_error(BadKey {
            text: key.text.clone(),
            what,
            src: self.named(),
            span: key.loc.span.into(),
            help: "group by one value of each item, such as `per bloc`, `per country` or `per \
                   controller`"
                .to_string(),
        });
        None
    }
}

/// The items a `per` key is read on, and the steps from one of them to its values: a path
/// whose last step maps over a list of records is split before that step (`non eu party
/// voting` → the parties, then `voting`); any other list gives its own items.
fn per_source(x: Expr) -> (Expr, Vec<Step>) {
    let K::Path { base, steps } = &x.kind else {
        return (x, Vec::new());
    };
    let split = match steps.split_last() {
        Some((last, before)) if last.map && !matches!(x.ty.element(), Type::Record(_)) => {
            Some((last.clone(), before.to_vec()))
        }
        _ => None,
    };
    let Some((last, before)) = split else {
        return (x, Vec::new());
    };
    let source = Expr {
        kind: K::Path {
            base: base.clone(),
            steps: before,
        },
        ty: Type::list(Type::Record(last.record)),
        loc: x.loc,
        text: x.text.clone(),
        hoist: None,
    };
    (source, vec![last])
}
