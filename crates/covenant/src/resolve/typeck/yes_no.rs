//! Yes/no lists (SPEC §8): in a quantifier a yes/no element matches only when it is true, and
//! an aggregate of yes/no values is an error.

use crate::schema::Type;
use crate::source::Span;

use super::super::ir::{Base, Expr, ExprKind as K, Step};
use super::error::BoolAggregate;
use super::Lowerer;

/// A mapped phrase of yes/no values split at its records: `party investing` is the records
/// `parties` and, on each, the condition `investing`.
pub(super) struct Split {
    /// The list of records (`parties`), evaluated where the phrase was.
    pub items: Expr,
    /// The yes/no field read on each record, with the record as item 0.
    pub cond: Expr,
}

impl Lowerer<'_> {
    /// The records a phrase of yes/no values maps over and the field it reads on each, when
    /// the phrase is a path whose last list holds records (`party investing`, `foreign partner
    /// investing`, `technology source code escrow`).
    pub(super) fn split_yes_no(&self, list: &Expr) -> Option<Split> {
        let K::Path { base, steps } = &list.kind else {
            return None;
        };
        if *list.ty.element() != Type::Bool {
            return None;
        }
        let field_ty = |s: &Step| self.field_type(s);
        // The last step that reads a list gives the items; the steps after it read each item.
        let last_list = steps
            .iter()
            .rposition(|s| field_ty(s).is_some_and(|t| t.is_list()));
        let (items_steps, item_steps) = match last_list {
            Some(k) => steps.split_at(k + 1),
            None => steps.split_at(0),
        };
        let items_ty = match items_steps.last() {
            Some(s) => Type::list(field_ty(s)?.element().clone()),
            None => match base {
                Base::Let(i) => self.defs.def_type(*i)?,
                _ => return None,
            },
        };
        if item_steps.is_empty() || !matches!(items_ty.element(), Type::Record(_)) {
            return None;
        }
        let items_text = phrase_text(&self.base_words(base), items_steps);
        let items = Expr {
            kind: K::Path {
                base: base.clone(),
                steps: items_steps.to_vec(),
            },
            ty: items_ty,
            loc: list.loc,
            text: items_text.into(),
            hoist: None,
        };
        let on_item: Vec<Step> = item_steps
            .iter()
            .map(|s| Step {
                map: false,
                flatten: false,
                ..s.clone()
            })
            .collect();
        let cond = Expr {
            kind: K::Path {
                base: Base::Item(0),
                steps: on_item,
            },
            ty: Type::Bool,
            loc: list.loc,
            text: list.text.clone(),
            hoist: None,
        };
        Some(Split { items, cond })
    }

    /// A quantifier's list with its yes/no condition (SPEC §8): over a phrase of yes/no values
    /// the items stay the records and the value is a condition on each (`some party investing`
    /// = `some party where investing`); over other yes/no values each item is its own
    /// condition. Any other list is returned as it is, without a condition.
    pub(super) fn yes_no_items(&self, list: Expr) -> (Expr, Option<Expr>) {
        if *list.ty.element() != Type::Bool {
            return (list, None);
        }
        if let Some(Split { items, cond }) = self.split_yes_no(&list) {
            return (items, Some(cond));
        }
        let cond = Expr {
            kind: K::Item,
            ty: Type::Bool,
            loc: list.loc,
            text: list.text.clone(),
            hoist: None,
        };
        (list, Some(cond))
    }

    /// `covenant::type::bool-aggregate`: a total, count, max, min or average of yes/no values,
    /// with the count of the records where the value is true as help.
    pub(super) fn bool_aggregate(&mut self, name: &'static str, x: &Expr, span: Span) {
        let help = match self.split_yes_no(x) {
            Some(Split { items, cond }) => {
                let field = match &cond.kind {
                    K::Path { steps, .. } => phrase_text("", steps),
                    _ => cond.text.to_string(),
                };
                format!(
                    "count the items where it is true: `count of ({} where {field})`",
                    items.text
                )
            }
            None => match self.item_names(x).first() {
                Some(item) => format!(
                    "a counting quantifier counts the values that are true: `at least 1 {}`",
                    item.replace('_', " ")
                ),
                None => {
                    "a counting quantifier counts the values that are true: `at least 1 …`".into()
                }
            },
        };
        self.type_error(BoolAggregate {
            name,
            text: x.text.clone(),
            src: self.named(),
            span: span.into(),
            help,
        });
    }

    /// The type of the field a step reads: an item definition's is its value's (SPEC §8).
    pub(super) fn field_type(&self, s: &Step) -> Option<Type> {
        let field = self.schema.record(s.record).fields.get(s.field)?;
        match crate::resolve::phrase::define_of(self.schema, field) {
            Some(i) => self.defs.def_type(i),
            None => Some(field.ty.clone()),
        }
    }

    /// The words that name a path's base: a definition's name, else nothing (the root's
    /// fields and the current item's are reachable by their own names).
    fn base_words(&self, base: &Base) -> String {
        match base {
            Base::Let(i) => self.defs.def_name(*i).0,
            _ => String::new(),
        }
    }
}

/// A path as words: `foreign partner` + `[stake]` → `foreign partner stake`.
fn phrase_text(base: &str, steps: &[Step]) -> String {
    let mut words: Vec<String> = Vec::new();
    if !base.is_empty() {
        words.push(base.to_string());
    }
    words.extend(steps.iter().map(|s| s.name.replace('_', " ")));
    words.join(" ")
}
