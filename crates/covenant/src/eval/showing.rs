//! How values of an evaluation are shown in evidence: [`Shown`] of a [`Val`], [`Element`] of
//! an item. Apart from `shown.rs`, so that the facts reports read do not depend on values.

use std::sync::Arc;

use crate::number::Exact;
use crate::schema::Schema;
use crate::value::Scalar;

use super::shown::{Element, Shown, LIST_SHOWN};
use super::value::{ItemRef, Val};

impl Shown {
    pub fn of(v: &Val<'_>) -> Shown {
        match v {
            Val::Scalar(s, _) => Shown::Scalar(s.clone()),
            Val::Zero => Shown::Zero,
            Val::Record(..) => Shown::Record,
            Val::List(elems, _) => Shown::List {
                first: elems
                    .iter()
                    .take(LIST_SHOWN)
                    .map(|e| Shown::of(&e.val))
                    .collect(),
                more: elems.len() > LIST_SHOWN,
            },
            Val::Unknown(_) => Shown::Unknown,
        }
    }

    /// A tested value: the total of an empty list of money is a zero of the unit it meets
    /// (SPEC §2.6), `USD 0` against `USD 1M`, `0%` against a percent.
    pub fn tested(v: &Val<'_>, bound: &Val<'_>) -> Shown {
        match (v, bound) {
            (Val::Zero, Val::Scalar(Scalar::Percent(_), _)) => {
                Shown::Scalar(Scalar::Percent(Exact::ZERO))
            }
            (Val::Zero, Val::Scalar(Scalar::Money(c, _), _)) => {
                Shown::Scalar(Scalar::Money(*c, Exact::ZERO))
            }
            _ => Shown::of(v),
        }
    }
}

impl Element {
    pub fn of(schema: &Schema, item: &ItemRef<'_>) -> Element {
        let kind = Kind::of(schema, item);
        kind.element(item, Arc::from(kind.singular))
    }

    /// [`Element::of`], with the kind of the element's list found once in `kinds` (the
    /// evidence of a deal names the same few lists again and again).
    pub(crate) fn of_kept(schema: &Schema, item: &ItemRef<'_>, kinds: &mut Kinds) -> Element {
        let ty = item.record_ty().0;
        let at = kinds
            .0
            .iter()
            .position(|k| k.ty == ty && *k.list == *item.list);
        let kept = match at {
            Some(i) => kinds.0.get(i),
            None => {
                let kind = Kind::of(schema, item);
                kinds.0.push(KeptKind {
                    ty,
                    list: item.list.into(),
                    singular: Arc::from(kind.singular),
                    name: kind.name,
                });
                kinds.0.last()
            }
        };
        match kept {
            Some(k) => Kind {
                singular: &k.singular,
                name: k.name,
            }
            .element(item, Arc::clone(&k.singular)),
            None => Element::of(schema, item),
        }
    }
}

/// What an element's list and record type say of it: the list's singular (else the record
/// type's name), and the record's `name` field, if it has one.
struct Kind<'s> {
    singular: &'s str,
    name: Option<usize>,
}

impl<'s> Kind<'s> {
    fn of(schema: &'s Schema, item: &ItemRef<'_>) -> Kind<'s> {
        let rec = schema.record(item.record_ty());
        let singular = schema
            .root()
            .fields
            .iter()
            .chain(schema.records.iter().flat_map(|r| r.fields.iter()))
            .find(|f| f.name == item.list)
            .and_then(|f| f.singular.as_deref())
            .unwrap_or(&rec.name);
        Kind {
            singular,
            name: rec.field_index("name"),
        }
    }

    /// The element `item`, of this kind (`kind`: the singular, shared).
    fn element(&self, item: &ItemRef<'_>, kind: Arc<str>) -> Element {
        let name = self
            .name
            .and_then(|i| item.record.field(i))
            .and_then(|n| match &n.value {
                crate::deal::tree::NodeValue::Scalar(Scalar::Str(s)) => Some(s.clone()),
                _ => None,
            });
        Element {
            kind,
            name,
            index: item.index(),
        }
    }
}

/// The kinds of the lists whose elements evidence named so far (see [`Element::of_kept`]),
/// kept with the locator of a deal's evidence.
#[derive(Default)]
pub(crate) struct Kinds(Vec<KeptKind>);

struct KeptKind {
    ty: usize,
    list: Box<str>,
    singular: Arc<str>,
    name: Option<usize>,
}
