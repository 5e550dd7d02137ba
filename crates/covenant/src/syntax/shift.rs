//! Moving a parsed item to another place in its file: every span of the item shifted by the
//! same number of bytes. A cached item whose text moved (an edit before it) is reused so,
//! without parsing it again (see [`super::cache`]).

use crate::source::Span;

use super::ast::*;
use super::lower::Entry;

/// Something with spans, moved by `by` bytes (forward when positive).
pub(super) trait Shift {
    fn shift(&mut self, by: isize);
}

impl Shift for Span {
    fn shift(&mut self, by: isize) {
        self.start = self.start.saturating_add_signed(by);
        self.end = self.end.saturating_add_signed(by);
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, by: isize) {
        if let Some(x) = self {
            x.shift(by);
        }
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, by: isize) {
        self.iter_mut().for_each(|x| x.shift(by));
    }
}

impl<T: Shift> Shift for Box<T> {
    fn shift(&mut self, by: isize) {
        (**self).shift(by);
    }
}

impl<T> Shift for Spanned<T> {
    fn shift(&mut self, by: isize) {
        self.span.shift(by);
    }
}

impl Shift for Entry {
    fn shift(&mut self, by: isize) {
        match self {
            Entry::Header(h) => h.shift(by),
            Entry::Item(i) => i.shift(by),
        }
    }
}

impl Shift for Header {
    fn shift(&mut self, by: isize) {
        self.title.shift(by);
        self.version.shift(by);
        self.jurisdiction.shift(by);
        self.effective.shift(by);
        self.status.shift(by);
        self.schema.shift(by);
        self.schema_extends.shift(by);
        if let Some(c) = &mut self.calendar {
            c.name.shift(by);
            c.file.shift(by);
            c.span.shift(by);
        }
        if let Some(fx) = &mut self.fx {
            fx.text.shift(by);
            fx.file.shift(by);
            fx.url.shift(by);
            fx.span.shift(by);
        }
        self.cites.shift(by);
        self.span.shift(by);
    }
}

impl Shift for Cite {
    fn shift(&mut self, by: isize) {
        self.text.shift(by);
        self.section.shift(by);
        self.url.shift(by);
        self.version.shift(by);
        self.span.shift(by);
    }
}

impl Shift for Window {
    fn shift(&mut self, by: isize) {
        self.from.shift(by);
        self.until.shift(by);
        self.on.shift(by);
        self.span.shift(by);
    }
}

impl Shift for Item {
    fn shift(&mut self, by: isize) {
        match self {
            Item::Use(u) => u.shift(by),
            Item::Let(l) => {
                l.name_span.shift(by);
                l.value.shift(by);
                l.span.shift(by);
            }
            Item::Define(d) => {
                d.item.shift(by);
                d.name_span.shift(by);
                d.value.shift(by);
                d.span.shift(by);
            }
            Item::Rule(r) => {
                r.id.shift(by);
                r.title.shift(by);
                r.clauses.shift(by);
                r.span.shift(by);
            }
        }
    }
}

impl Shift for Clause {
    fn shift(&mut self, by: isize) {
        match self {
            Clause::Severity(s) => s.shift(by),
            Clause::Status(s) => s.shift(by),
            Clause::Overrides(ids) => ids.shift(by),
            Clause::Cite(c) => c.shift(by),
            Clause::Effective(w) => w.shift(by),
            Clause::When(e) | Clause::Require(e) | Clause::Unless(e) | Clause::Waivable(e) => {
                e.shift(by)
            }
            Clause::Help(h) => h.shift(by),
        }
    }
}

impl Shift for Phrase {
    fn shift(&mut self, by: isize) {
        for part in &mut self.parts {
            match part {
                PhrasePart::Word { span, .. } | PhrasePart::Dot(span) | PhrasePart::Deal(span) => {
                    span.shift(by)
                }
            }
        }
        self.span.shift(by);
    }
}

impl Shift for ItemName {
    fn shift(&mut self, by: isize) {
        self.span.shift(by);
    }
}

impl Shift for Expr {
    fn shift(&mut self, by: isize) {
        self.span.shift(by);
        self.kind.shift(by);
    }
}

impl Shift for ExprKind {
    fn shift(&mut self, by: isize) {
        match self {
            ExprKind::Quant {
                subject,
                name,
                filter,
                body,
                ..
            } => {
                subject.shift(by);
                name.shift(by);
                filter.shift(by);
                body.shift(by);
            }
            ExprKind::Or(xs) | ExprKind::And(xs) | ExprKind::List(xs) => xs.shift(by),
            ExprKind::Not(x) | ExprKind::Paren(x) | ExprKind::YearOf(x) => x.shift(by),
            ExprKind::Compare { lhs, rhs, .. } => {
                lhs.shift(by);
                rhs.shift(by);
            }
            ExprKind::In { elem, list, .. } => {
                elem.shift(by);
                list.shift(by);
            }
            ExprKind::Within {
                lhs,
                tolerance,
                rhs,
            } => {
                lhs.shift(by);
                tolerance.shift(by);
                rhs.shift(by);
            }
            ExprKind::Arith { first, rest } => {
                first.shift(by);
                rest.iter_mut().for_each(|(_, x)| x.shift(by));
            }
            ExprKind::PercentOf { percent, of } => {
                percent.shift(by);
                of.shift(by);
            }
            ExprKind::Aggregate { arg, .. } => arg.shift(by),
            ExprKind::Per { arg, key, .. } => {
                arg.shift(by);
                key.shift(by);
            }
            ExprKind::LookThrough(l) => {
                l.measure.shift(by);
                l.holders.shift(by);
                l.target.shift(by);
                if let Some(c) = &mut l.control {
                    c.threshold.shift(by);
                    c.span.shift(by);
                }
            }
            ExprKind::Convert(c) => {
                c.amount.shift(by);
                c.currency.shift(by);
                c.on.shift(by);
            }
            ExprKind::Where { list, name, cond } => {
                list.shift(by);
                name.shift(by);
                cond.shift(by);
            }
            ExprKind::Projection { list, phrase } => {
                list.shift(by);
                phrase.shift(by);
            }
            ExprKind::Presence { subject, .. } => subject.shift(by),
            ExprKind::Must { subject, pred, .. } => {
                subject.shift(by);
                pred.shift(by);
            }
            ExprKind::Literal(_) => {}
            ExprKind::Phrase(p) => p.shift(by),
            ExprKind::Duration {
                count, unit_span, ..
            } => {
                count.shift(by);
                unit_span.shift(by);
            }
            ExprKind::Table(t) => t.shift(by),
        }
    }
}

impl Shift for MustPred {
    fn shift(&mut self, by: isize) {
        match self {
            MustPred::Be(x) | MustPred::BeIn(x) | MustPred::BeOneOf(x) | MustPred::BeCmp(_, x) => {
                x.shift(by)
            }
            MustPred::Have(p) => p.shift(by),
            MustPred::Stay { list, .. } => list.shift(by),
            MustPred::Presence(_) => {}
        }
    }
}

impl Shift for Table {
    fn shift(&mut self, by: isize) {
        self.keys.shift(by);
        for row in &mut self.rows {
            row.value.shift(by);
            row.span.shift(by);
            for cell in &mut row.cells {
                cell.span.shift(by);
                match &mut cell.kind {
                    CellKind::Any => {}
                    CellKind::From { from, until } => {
                        from.shift(by);
                        until.shift(by);
                    }
                    CellKind::Value(x) => x.shift(by),
                }
            }
        }
        if let Some(o) = &mut self.otherwise {
            o.value.shift(by);
            o.span.shift(by);
        }
        self.head.shift(by);
    }
}
