//! Policy string literals that meet a country value must be country codes (SPEC §13):
//! `covenant::type::bad-country`; those that meet an entity's `kind` must be one of the six
//! kinds (SPEC §7.1): `covenant::type::bad-kind`. Labelled at the literal, with a did-you-mean.
//!
//! A pass over the compiled definitions and rules, once per check: in every comparison and
//! membership test (`=`, `!=`, `in`, `not in`, `contains`, `is one of`, must-forms, the
//! header's `jurisdiction` for countries), when one side reads a checked field (of the deal,
//! of an item, through a definition, an item definition or a filter), every string literal on
//! the other side, written there or reached through `let` definitions, is checked. A literal
//! reached from several rules is reported once.

use std::collections::HashSet;

use crate::country;
use crate::schema::{Constraint, Schema, ENTITY_KINDS};

use super::ir::{Base, Expr, ExprKind as K, Loc, Rule};
use super::phrase::define_of;
use super::typeck::error::{BadCountry, BadKind};
use super::typeck::TypeError;
use super::CompileDiagnostic;
use super::LoadedFile;
use crate::value::Scalar;

/// Definitions deeper than this are not followed (a compiled policy has no cycles; this only
/// bounds the walk).
const MAX_DEF_DEPTH: usize = 64;

pub(super) struct CountryCheck<'a> {
    /// What the literals must be: `Constraint::Country` or `Constraint::EntityKind`.
    pub wanted: Constraint,
    pub schema: &'a Schema,
    /// The value of each definition that compiled, by index.
    pub defs: Vec<Option<&'a Expr>>,
    pub files: &'a [LoadedFile],
    seen: HashSet<(usize, usize, usize)>,
    pub errors: Vec<CompileDiagnostic>,
}

impl<'a> CountryCheck<'a> {
    pub fn new(
        wanted: Constraint,
        schema: &'a Schema,
        defs: Vec<Option<&'a Expr>>,
        files: &'a [LoadedFile],
    ) -> Self {
        CountryCheck {
            wanted,
            schema,
            defs,
            files,
            seen: HashSet::new(),
            errors: Vec::new(),
        }
    }

    /// Check every definition and every clause of every rule, then each file's header
    /// `jurisdiction`.
    pub fn run(&mut self, rules: &[Rule]) {
        // A definition is computed in the root scope: no enclosing item.
        let defs: Vec<&Expr> = self.defs.iter().flatten().copied().collect();
        for def in defs {
            self.visit(def, &mut Vec::new());
        }
        for rule in rules {
            for e in rule.when.iter().chain(&rule.require).chain(&rule.unless) {
                self.visit(e, &mut Vec::new());
            }
        }
        let jurisdiction_is_country = self
            .schema
            .root()
            .fields
            .iter()
            .any(|f| f.name == "jurisdiction" && f.constraint == Constraint::Country);
        if !jurisdiction_is_country || self.wanted != Constraint::Country {
            return;
        }
        for (file, loaded) in self.files.iter().enumerate() {
            if let Some(j) = &loaded.ast.header.jurisdiction {
                let loc = Loc { file, span: j.span };
                self.literal(&j.node, loc);
            }
        }
    }

    /// Visit `e`; `items` says, for each enclosing item (innermost last), whether it is a
    /// country value.
    fn visit(&mut self, e: &Expr, items: &mut Vec<bool>) {
        match &e.kind {
            K::Compare { lhs, rhs, .. } => {
                self.meet(lhs, rhs, items);
                self.visit(lhs, items);
                self.visit(rhs, items);
            }
            K::In { elem, list, .. } => {
                self.meet(elem, list, items);
                self.visit(elem, items);
                self.visit(list, items);
            }
            K::Quant {
                list, cond, body, ..
            } => {
                self.visit(list, items);
                items.push(self.is_country(list, items, 0));
                for x in cond.iter().chain(body) {
                    self.visit(x, items);
                }
                items.pop();
            }
            K::Filter { list, cond } => {
                self.visit(list, items);
                items.push(self.is_country(list, items, 0));
                self.visit(cond, items);
                items.pop();
            }
            K::Must { subject, pred, .. } => {
                self.visit(subject, items);
                items.push(self.is_country(subject, items, 0));
                self.visit(pred, items);
                items.pop();
            }
            K::List(xs) => xs.iter().for_each(|x| self.visit(x, items)),
            K::Aggregate { arg, .. } => self.visit(arg, items),
            K::Arith { first, rest } => {
                self.visit(first, items);
                rest.iter().for_each(|(_, t)| self.visit(t, items));
            }
            K::And(xs) | K::Or(xs) => xs.iter().for_each(|x| self.visit(x, items)),
            K::Within {
                lhs,
                tolerance,
                rhs,
                ..
            } => {
                self.visit(lhs, items);
                self.visit(tolerance, items);
                self.visit(rhs, items);
            }
            K::Not(x) => self.visit(x, items),
            K::Project { list, .. } => self.visit(list, items),
            K::LookThrough(l) => {
                self.visit(&l.holders, items);
                l.target.iter().for_each(|t| self.visit(t, items));
                l.control
                    .iter()
                    .for_each(|c| self.visit(&c.threshold, items));
            }
            K::Per(p) => {
                self.visit(&p.source, items);
                items.push(self.is_country(&p.source, items, 0));
                self.visit(&p.key, items);
                items.pop();
            }
            K::DateShift(d) => {
                self.visit(&d.date, items);
                self.visit(&d.count, items);
            }
            K::DaysBetween { later, earlier } => {
                self.visit(later, items);
                self.visit(earlier, items);
            }
            K::YearOf(x) => self.visit(x, items),
            // A cell meets its key (SPEC §13: a table cell is checked as `=` is).
            K::Table(t) => {
                t.keys.iter().for_each(|k| self.visit(k, items));
                for row in t.all_rows() {
                    for (cell, key) in row.cells.iter().zip(&t.keys) {
                        for source in cell.sources() {
                            self.meet(key, source, items);
                        }
                    }
                    self.visit(&row.value, items);
                }
            }
            K::Convert(c) => {
                self.visit(&c.amount, items);
                c.on.iter().for_each(|d| self.visit(d, items));
            }
            K::Const(_) | K::Path { .. } | K::Item | K::Presence { .. } | K::EvaluationDate => {}
        }
    }

    /// Two operands meet: the literals of one are checked when the other is a country value.
    fn meet(&mut self, a: &Expr, b: &Expr, items: &[bool]) {
        if self.is_country(a, items, 0) {
            self.literals(b, 0);
        }
        if self.is_country(b, items, 0) {
            self.literals(a, 0);
        }
    }

    /// Whether `e`'s values (each element's, for a list) are read from a country field.
    fn is_country(&self, e: &Expr, items: &[bool], depth: usize) -> bool {
        match &e.kind {
            K::Path { base, steps } => match (steps.last(), base) {
                (Some(step), _) => {
                    let Some(field) = self.schema.record(step.record).fields.get(step.field) else {
                        return false;
                    };
                    match define_of(self.schema, field) {
                        // An item definition is computed with its record as the only item.
                        Some(i) => self
                            .def(i, depth)
                            .is_some_and(|x| self.is_country(x, &[false], depth + 1)),
                        None => field.constraint == self.wanted,
                    }
                }
                (None, Base::Item(d)) => items
                    .len()
                    .checked_sub(d + 1)
                    .and_then(|i| items.get(i))
                    .copied()
                    .unwrap_or(false),
                (None, Base::Let(i)) => self.def(*i, depth).is_some_and(|x| {
                    // A definition is computed in the root scope: no enclosing item.
                    self.is_country(x, &[], depth + 1)
                }),
                (None, Base::Root) => false,
            },
            K::Item => items.last().copied().unwrap_or(false),
            K::Filter { list, .. } => self.is_country(list, items, depth),
            K::List(xs) => xs.iter().any(|x| self.is_country(x, items, depth)),
            K::Table(t) => t
                .all_rows()
                .any(|r| self.is_country(&r.value, items, depth)),
            _ => false,
        }
    }

    fn def(&self, index: usize, depth: usize) -> Option<&'a Expr> {
        if depth > MAX_DEF_DEPTH {
            return None;
        }
        self.defs.get(index).copied().flatten()
    }

    /// Check the string literals of `e`: itself, the items of a list literal, and through
    /// definitions bound to such values.
    fn literals(&mut self, e: &Expr, depth: usize) {
        match &e.kind {
            K::Const(Scalar::Str(text)) => self.literal(text, e.loc),
            K::List(xs) => xs.iter().for_each(|x| self.literals(x, depth)),
            // The values a table gives are met where the table is.
            K::Table(t) => {
                for row in t.all_rows() {
                    self.literals(&row.value, depth);
                }
            }
            K::Path {
                base: Base::Let(i),
                steps,
            } if steps.is_empty() => {
                if let Some(x) = self.def(*i, depth) {
                    self.literals(x, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn literal(&mut self, text: &str, loc: Loc) {
        let good = match self.wanted {
            Constraint::EntityKind => ENTITY_KINDS.contains(&text),
            _ => country::is_code(text),
        };
        if good || !self.seen.insert((loc.file, loc.span.start, loc.span.end)) {
            return;
        }
        let Some(source) = self.files.get(loc.file).map(|f| &f.source) else {
            return;
        };
        let shown: String = text.chars().take(40).collect();
        let err = match self.wanted {
            Constraint::EntityKind => TypeError::from(BadKind {
                shown,
                src: source.named(),
                span: loc.span.into(),
                help: kind_help(text),
            }),
            _ => TypeError::from(BadCountry {
                shown,
                src: source.named(),
                span: loc.span.into(),
                help: country::help(text),
            }),
        };
        self.errors.push(err.into());
    }
}

/// The did-you-mean for a string that is not a kind of entity (SPEC §7.1), else the kinds.
pub(crate) fn kind_help(text: &str) -> String {
    let plain = text.trim().to_lowercase().replace([' ', '_'], "-");
    let kinds: Vec<String> = ENTITY_KINDS.iter().map(|k| k.to_string()).collect();
    if let Some(kind) = ENTITY_KINDS.iter().find(|k| **k == plain) {
        return format!("did you mean `{kind}`? kinds are written in lower case");
    }
    match super::typeck::did_you_mean(&plain, &kinds) {
        Some(d) => format!("{d} the kinds are {}", shown_kinds()),
        None => format!("the kinds are {}", shown_kinds()),
    }
}

/// The six kinds, each in backticks.
fn shown_kinds() -> String {
    let kinds: Vec<String> = ENTITY_KINDS.iter().map(|k| format!("`{k}`")).collect();
    kinds.join(", ")
}
