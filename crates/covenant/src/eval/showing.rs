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
        let rec = schema.record(item.record_ty());
        let singular = schema
            .root()
            .fields
            .iter()
            .chain(schema.records.iter().flat_map(|r| r.fields.iter()))
            .find(|f| f.name == item.list)
            .and_then(|f| f.singular.as_deref())
            .unwrap_or(&rec.name);
        let name = rec
            .field_index("name")
            .and_then(|i| item.record.field(i))
            .and_then(|n| match &n.value {
                crate::deal::tree::NodeValue::Scalar(Scalar::Str(s)) => Some(s.clone()),
                _ => None,
            });
        Element {
            kind: Arc::from(singular),
            name,
            index: item.index(),
        }
    }
}
