//! Which lists are element sides (SPEC §2.4, §2.6): only a phrase that maps over a list
//! distributes. A list field compared with a value is `covenant::type::list-comparison`, never
//! a vacuous pass (`waivers = "X"` on a deal without waivers).

use crate::schema::Type;
use crate::source::Span;
use crate::syntax::ast::CmpOp;

use super::super::ir::{Base, Expr, ExprKind as K};
use super::error::ListComparison;
use super::{scalar_kind, Definitions, Lowerer};

/// The test a list field was given, for the help line.
#[derive(Clone, Copy)]
pub(super) enum Test<'x> {
    Compare(CmpOp),
    Within,
    /// `x in L` with the list field as `x`; the list `L`.
    In(&'x Expr),
    /// The list field itself as a condition (a list of yes/no values).
    Condition,
}

/// Whether a list-valued expression is a mapped phrase (`foreign partner stake`, `data
/// transfers`, or a definition bound to one): the lists that distribute.
pub fn is_mapped(x: &Expr, defs: &dyn Definitions) -> bool {
    match &x.kind {
        K::Path { base, steps } => {
            steps.iter().any(|s| s.map)
                || (steps.is_empty() && matches!(base, Base::Let(i) if defs.def_is_mapped(*i)))
        }
        K::Filter { list, .. } => is_mapped(list, defs),
        K::Project { steps, .. } => steps.iter().any(|s| s.map),
        // One value per target or per key (SPEC §7.2, §7.3).
        K::LookThrough(l) => x.ty.is_list() && l.target.is_some(),
        K::Per(_) => true,
        // The year of each date (SPEC §9) distributes as the dates do.
        K::YearOf(arg) => is_mapped(arg, defs),
        // Each element converts (SPEC §11): a list distributes as the list converted does.
        K::Convert(c) => is_mapped(&c.amount, defs),
        _ => false,
    }
}

impl Lowerer<'_> {
    /// A list read from a field (`waivers`, `parties`, an item's `transfers`, or a definition
    /// bound to one): a list, never an element side.
    pub(super) fn is_list_field(&self, x: &Expr) -> bool {
        if let K::YearOf(arg) = &x.kind {
            return self.is_list_field(arg);
        }
        x.ty.is_list()
            && matches!(x.kind, K::Path { .. } | K::Filter { .. })
            && !self.is_list_value(x)
            && !is_mapped(x, self.defs)
    }

    /// `covenant::type::list-comparison` when `list` is a list field met by the single value
    /// `other` (SPEC §2.6); None then.
    pub(super) fn not_a_list_field(
        &mut self,
        list: &Expr,
        other: Option<&Expr>,
        test: Test<'_>,
        span: Span,
    ) -> Option<()> {
        let other_is_value = other.is_none_or(|o| scalar_kind(&o.ty).is_some());
        if !self.is_list_field(list) || !other_is_value {
            return Some(());
        }
        let help = self.list_field_help(list, other, test);
        self.type_error(ListComparison {
            text: list.text.clone(),
            src: self.named(),
            span: span.into(),
            help,
        });
        None
    }

    fn list_field_help(&self, list: &Expr, other: Option<&Expr>, test: Test<'_>) -> String {
        let item = self
            .item_names(list)
            .first()
            .map_or_else(|| "item".to_string(), |s| s.replace('_', " "));
        let records = matches!(list.ty.element(), Type::Record(_));
        let other = other.map_or("…", |o| &o.text);
        match test {
            _ if records => format!(
                "compare a field of each {item}, such as `{item} name = {other}`, or quantify \
                 with `some`, `every` or `no`"
            ),
            Test::Compare(CmpOp::Eq) => format!("write `{} contains {other}`", list.text),
            Test::Compare(CmpOp::Ne) => format!("write `not ({} contains {other})`", list.text),
            Test::In(l) => format!(
                "say which items must be in it: `every {item}: {item} in {}` or `some {item} \
                 where {item} in {}`",
                l.text, l.text
            ),
            Test::Condition => format!(
                "say which items must hold: `some {item}`, `no {item}` or `every {item}: {item}`"
            ),
            Test::Compare(_) | Test::Within => format!(
                "say which items must hold: `every {item}: …` or `some {item} where …`, or \
                 compare one value (`max`, `min`, `total`, `count of`)"
            ),
        }
    }
}
