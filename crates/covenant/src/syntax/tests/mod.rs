//! Unit tests of the grammar and the lowering. Expressions are compared through a compact
//! S-expression form (`sx`), so a test states the tree shape in one line.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cite;
mod errors;
mod exprs;
mod fx;
mod holdings;
mod items;
mod lexical;
mod tables;
mod time;

use crate::source::{SourceFile, Span};
use crate::syntax::ast::*;
use crate::syntax::{parse, parse_expr, ParseErrors};

/// Parse one clause expression and print its shape.
pub(super) fn ex(text: &str) -> String {
    let file = SourceFile::new("test.policy", text);
    match parse_expr(&file) {
        Ok(e) => {
            check_spans(&file, &e);
            sx(&e)
        }
        Err(errs) => panic!("`{text}` did not parse: {}", messages(&errs)),
    }
}

/// Parse a whole file, failing the test on errors.
pub(super) fn file(text: &str) -> PolicyFile {
    let f = SourceFile::new("test.policy", text);
    match parse(&f) {
        Ok(p) => {
            for item in &p.items {
                if let Item::Rule(r) = item {
                    for c in &r.clauses {
                        if let Clause::When(e) | Clause::Require(e) | Clause::Unless(e) = c {
                            check_spans(&f, e);
                        }
                    }
                }
            }
            p
        }
        Err(errs) => panic!("did not parse: {}\n{text}", messages(&errs)),
    }
}

/// Parse a whole file that must fail; returns its errors.
pub(super) fn errors(text: &str) -> ParseErrors {
    match parse(&SourceFile::new("test.policy", text)) {
        Ok(_) => panic!("`{text}` parsed but should not"),
        Err(e) => e,
    }
}

/// The rules of a file.
pub(super) fn rules(p: &PolicyFile) -> Vec<&crate::syntax::ast::Rule> {
    p.items
        .iter()
        .filter_map(|i| match i {
            Item::Rule(r) => Some(r),
            _ => None,
        })
        .collect()
}

/// The single `require` expression of a one-line or bare rule, as an S-expression.
pub(super) fn require_of(r: &crate::syntax::ast::Rule) -> String {
    match r.clauses.as_slice() {
        [Clause::Require(e)] => sx(e),
        other => panic!("expected one require clause, got {other:?}"),
    }
}

pub(super) fn messages(errs: &ParseErrors) -> String {
    errs.iter()
        .map(|e| format!("{e}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Every expression's span lies in the file and holds no surrounding white space.
fn check_spans(file: &SourceFile, e: &Expr) {
    let text = file.slice(e.span);
    assert!(
        e.span.end <= file.text.len(),
        "span {:?} out of range",
        e.span
    );
    assert!(!text.is_empty(), "empty span for {e:?}");
    assert_eq!(text, text.trim(), "span of {e:?} has white space around it");
    for child in children(e) {
        assert!(
            child.span.start >= e.span.start && child.span.end <= e.span.end,
            "child span {:?} outside parent {:?}",
            child.span,
            e.span
        );
        check_spans(file, child);
    }
}

fn children(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::Quant {
            subject,
            filter,
            body,
            ..
        } => {
            let mut v = vec![subject.as_ref()];
            v.extend(filter.as_deref());
            v.extend(body.as_deref());
            v
        }
        ExprKind::Or(terms) | ExprKind::And(terms) => terms.iter().collect(),
        ExprKind::Not(a) | ExprKind::Paren(a) => vec![a],
        ExprKind::Compare { lhs, rhs, .. } => vec![lhs, rhs],
        ExprKind::Arith { first, rest } => std::iter::once(first.as_ref())
            .chain(rest.iter().map(|(_, t)| t))
            .collect(),
        ExprKind::In { elem, list, .. } => vec![elem, list],
        ExprKind::Within {
            lhs,
            tolerance,
            rhs,
        } => vec![lhs, tolerance, rhs],
        ExprKind::PercentOf { percent, of } => vec![percent, of],
        ExprKind::Aggregate { arg, .. } | ExprKind::Per { arg, .. } => vec![arg],
        ExprKind::LookThrough(l) => {
            let mut v = vec![&l.holders, &l.target];
            v.extend(l.control.as_ref().and_then(|c| c.threshold.as_deref()));
            v
        }
        ExprKind::Convert(c) => std::iter::once(&c.amount).chain(&c.on).collect(),
        ExprKind::Where { list, cond, .. } => vec![list, cond],
        ExprKind::Projection { list, .. } | ExprKind::Presence { subject: list, .. } => vec![list],
        ExprKind::Must { subject, pred, .. } => {
            let mut v = vec![subject.as_ref()];
            match pred {
                MustPred::Be(x)
                | MustPred::BeIn(x)
                | MustPred::BeOneOf(x)
                | MustPred::BeCmp(_, x) => v.push(x),
                MustPred::Stay { list, .. } => v.push(list),
                MustPred::Have(_) | MustPred::Presence(_) => {}
            }
            v
        }
        ExprKind::List(items) => items.iter().collect(),
        ExprKind::Literal(_) | ExprKind::Phrase(_) => vec![],
        ExprKind::Duration { count, .. } => vec![count],
        ExprKind::YearOf(arg) => vec![arg],
        ExprKind::Table(t) => {
            let mut v: Vec<&Expr> = t.keys.iter().collect();
            for row in &t.rows {
                for cell in &row.cells {
                    match &cell.kind {
                        CellKind::Any => {}
                        CellKind::From { from, until } => {
                            v.push(from);
                            v.extend(until.as_ref());
                        }
                        CellKind::Value(x) => v.push(x),
                    }
                }
                v.push(&row.value);
            }
            v.extend(t.otherwise.as_ref().map(|o| &o.value));
            v
        }
    }
}

/// A compact S-expression of an expression's shape.
pub(super) fn sx(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Quant {
            kind,
            subject,
            name,
            filter,
            body,
        } => {
            let head = match kind {
                QuantKind::Every => "every".to_string(),
                QuantKind::Some => "some".to_string(),
                QuantKind::No => "no".to_string(),
                QuantKind::AtLeast(n) => format!("at-least {n}"),
                QuantKind::AtMost(n) => format!("at-most {n}"),
                QuantKind::Exactly(n) => format!("exactly {n}"),
            };
            let mut s = format!("({head} {}", sx(subject));
            if let Some(n) = name {
                s += &format!(" as {}", n.words.join("_"));
            }
            if let Some(f) = filter {
                s += &format!(" where {}", sx(f));
            }
            if let Some(b) = body {
                s += &format!(" : {}", sx(b));
            }
            s + ")"
        }
        ExprKind::Or(terms) => format!(
            "(or {})",
            terms.iter().map(sx).collect::<Vec<_>>().join(" ")
        ),
        ExprKind::And(terms) => format!(
            "(and {})",
            terms.iter().map(sx).collect::<Vec<_>>().join(" ")
        ),
        ExprKind::Not(a) => format!("(not {})", sx(a)),
        ExprKind::Compare { op, lhs, rhs } => format!("({} {} {})", op.symbol(), sx(lhs), sx(rhs)),
        ExprKind::In {
            elem,
            list,
            negated,
            written_as,
        } => {
            let op = match (negated, written_as) {
                (true, _) => "not-in",
                (false, InForm::In) => "in",
                (false, InForm::Contains) => "in/contains",
                (false, InForm::IsOneOf) => "in/one-of",
            };
            format!("({op} {} {})", sx(elem), sx(list))
        }
        ExprKind::Within {
            lhs,
            tolerance,
            rhs,
        } => {
            format!("(within {} {} {})", sx(lhs), sx(tolerance), sx(rhs))
        }
        // Written as the left-nested tree it computes: `(+ (+ a b) c)`.
        ExprKind::Arith { first, rest } => rest.iter().fold(sx(first), |acc, (op, t)| {
            format!("({} {acc} {})", op.symbol(), sx(t))
        }),
        ExprKind::PercentOf { percent, of } => format!("(of {} {})", sx(percent), sx(of)),
        ExprKind::Aggregate { kind, arg } => format!("({} {})", agg(*kind), sx(arg)),
        ExprKind::Per { kind, arg, key } => {
            format!("(per ({} {}) {})", agg(*kind), sx(arg), phrase(key))
        }
        ExprKind::LookThrough(l) => {
            let control = match &l.control {
                None => String::new(),
                Some(c) => {
                    let cmp = if c.inclusive { ">=" } else { ">" };
                    let p = c.threshold.as_deref().map_or("50%".to_string(), sx);
                    format!(" (control {cmp} {p})")
                }
            };
            let (m, s, t) = (phrase(&l.measure), sx(&l.holders), sx(&l.target));
            format!("(look-through {m} {s} {t}{control})")
        }
        ExprKind::Convert(c) => match &c.on {
            Some(on) => format!("(convert {} {} {})", sx(&c.amount), c.currency.node, sx(on)),
            None => format!("(convert {} {})", sx(&c.amount), c.currency.node),
        },
        ExprKind::Where {
            list,
            name: Some(n),
            cond,
        } => format!("(where {} as {} {})", sx(list), n.words.join("_"), sx(cond)),
        ExprKind::Where { list, cond, .. } => format!("(where {} {})", sx(list), sx(cond)),
        ExprKind::Projection { list, phrase: ph } => {
            format!("(project {} {})", sx(list), phrase(ph))
        }
        ExprKind::Presence {
            subject,
            negated,
            word,
        } => {
            let not = if *negated { "not-" } else { "" };
            format!("(is-{not}{} {})", word.as_str(), sx(subject))
        }
        ExprKind::Must {
            subject,
            negated,
            pred,
        } => {
            let p = match pred {
                MustPred::Be(v) => format!("(be {})", sx(v)),
                MustPred::BeIn(v) => format!("(be-in {})", sx(v)),
                MustPred::BeOneOf(v) => format!("(be-one-of {})", sx(v)),
                MustPred::BeCmp(op, v) => format!("(be{} {})", op.symbol(), sx(v)),
                MustPred::Have(ph) => format!("(have {})", phrase(ph)),
                MustPred::Presence(w) => format!("(be-{})", w.as_str()),
                MustPred::Stay {
                    list,
                    with_in: true,
                } => format!("(stay-in {})", sx(list)),
                MustPred::Stay {
                    list,
                    with_in: false,
                } => format!("(stay {})", sx(list)),
            };
            let m = if *negated { "must-not" } else { "must" };
            format!("({m} {} {p})", sx(subject))
        }
        ExprKind::List(items) => {
            format!("[{}]", items.iter().map(sx).collect::<Vec<_>>().join(" "))
        }
        ExprKind::Literal(l) => match l {
            Literal::Number(n) => n.display(),
            Literal::Percent(n) => format!("{}%", n.display()),
            Literal::Money(c, n) => format!("{c}:{}", n.display()),
            Literal::Date(d) => format!("#{d}"),
            Literal::Str(s) => format!("{s:?}"),
            Literal::Bool(b) => b.to_string(),
        },
        ExprKind::Phrase(p) => phrase(p),
        ExprKind::Paren(inner) => format!("(paren {})", sx(inner)),
        ExprKind::Duration { count, unit, .. } => {
            format!("({} {})", unit.words(true), sx(count))
        }
        ExprKind::YearOf(arg) => format!("(year-of {})", sx(arg)),
        ExprKind::Table(t) => table_sx(t),
    }
}

/// `(table (KEY…) (CELL… => VALUE)… [(otherwise VALUE)])`.
fn table_sx(t: &crate::syntax::ast::Table) -> String {
    let keys: Vec<String> = t.keys.iter().map(sx).collect();
    let mut out = format!("(table ({})", keys.join(" "));
    for row in &t.rows {
        let cells: Vec<String> = row
            .cells
            .iter()
            .map(|c| match &c.kind {
                CellKind::Any => "any".to_string(),
                CellKind::From { from, until: None } => format!("(from {})", sx(from)),
                CellKind::From {
                    from,
                    until: Some(u),
                } => format!("(from {} until {})", sx(from), sx(u)),
                CellKind::Value(x) => sx(x),
            })
            .collect();
        out += &format!(" ({} => {})", cells.join(" "), sx(&row.value));
    }
    if let Some(o) = &t.otherwise {
        out += &format!(" (otherwise {})", sx(&o.value));
    }
    out.push(')');
    out
}

/// Words joined with `_`, `.` kept, back-quoted words in back quotes, `deal` as `$deal`.
pub(super) fn phrase(p: &Phrase) -> String {
    let mut s = String::new();
    for part in &p.parts {
        let piece = match part {
            PhrasePart::Word {
                text, quoted: true, ..
            } => format!("`{text}`"),
            PhrasePart::Word { text, .. } => text.clone(),
            PhrasePart::Dot(_) => ".".to_string(),
            PhrasePart::Deal(_) => "$deal".to_string(),
        };
        if !s.is_empty() && piece != "." && !s.ends_with('.') {
            s.push('_');
        }
        s += &piece;
    }
    s
}

/// The source text under a span.
pub(super) fn under(text: &str, span: Span) -> &str {
    &text[span.start..span.end]
}

fn agg(kind: AggKind) -> &'static str {
    match kind {
        AggKind::Total => "total",
        AggKind::Count => "count",
        AggKind::Max => "max",
        AggKind::Min => "min",
        AggKind::Average => "average",
    }
}
