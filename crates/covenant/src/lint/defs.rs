//! Checks on definitions of a compiled policy: `unused-definition` and `shadows-field`.

use crate::resolve::ir::{Base, Expr, ExprKind as K};
use crate::resolve::{phrase, Policy};
use crate::schema::{RecordId, Schema};

use super::finding::{Finding, Severity};
use super::{SHADOWS_FIELD, UNUSED_DEFINITION};

/// Call `f` on `e` and every expression inside it.
pub fn visit(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(e);
    match &e.kind {
        K::Const(_) | K::Path { .. } | K::Item | K::Presence { .. } => {}
        K::List(xs) => xs.iter().for_each(|x| visit(x, f)),
        K::Project { list, .. } => visit(list, f),
        K::Filter { list, cond } => {
            visit(list, f);
            visit(cond, f);
        }
        K::Quant {
            list, cond, body, ..
        } => {
            visit(list, f);
            cond.iter().chain(body).for_each(|x| visit(x, f));
        }
        K::Aggregate { arg, .. } | K::Not(arg) => visit(arg, f),
        K::Arith { first, rest } => {
            visit(first, f);
            rest.iter().for_each(|(_, t)| visit(t, f));
        }
        K::Compare { lhs, rhs, .. } => {
            visit(lhs, f);
            visit(rhs, f);
        }
        K::And(terms) | K::Or(terms) => {
            for t in terms {
                visit(t, f);
            }
        }
        K::In { elem, list, .. } => {
            visit(elem, f);
            visit(list, f);
        }
        K::Within {
            lhs,
            tolerance,
            rhs,
            ..
        } => {
            visit(lhs, f);
            visit(tolerance, f);
            visit(rhs, f);
        }
        K::Must { subject, pred, .. } => {
            visit(subject, f);
            visit(pred, f);
        }
        K::LookThrough(l) => {
            visit(&l.holders, f);
            l.target.iter().for_each(|t| visit(t, f));
            l.control.iter().for_each(|c| visit(&c.threshold, f));
        }
        K::Per(p) => {
            visit(&p.source, f);
            visit(&p.key, f);
        }
        K::Convert(c) => {
            visit(&c.amount, f);
            c.on.iter().for_each(|d| visit(d, f));
        }
    }
}

/// The definitions an expression names directly: `let`s by name, item definitions (SPEC
/// §8) as the fields its phrases step into.
fn named(schema: &Schema, e: &Expr, out: &mut Vec<usize>) {
    visit(e, &mut |x| {
        let steps = match &x.kind {
            K::Path { base, steps } | K::Presence { base, steps, .. } => {
                if let Base::Let(i) = base {
                    out.push(*i);
                }
                steps
            }
            // Steps read on the items of a list: they may name item definitions too.
            K::Project { steps, .. } => steps,
            K::Per(p) => &p.tail,
            _ => return,
        };
        for s in steps {
            let field = schema.record(s.record).fields.get(s.field);
            out.extend(field.and_then(|f| phrase::define_of(schema, f)));
        }
    });
}

pub fn check(policy: &Policy, out: &mut Vec<Finding>) {
    unused(policy, out);
    shadows(policy, out);
}

/// Definitions that no rule reaches, directly or through other definitions.
fn unused(policy: &Policy, out: &mut Vec<Finding>) {
    let mut used = vec![false; policy.defs.len()];
    let mut todo = Vec::new();
    for rule in &policy.rules {
        for e in rule.when.iter().chain(&rule.require).chain(&rule.unless) {
            named(&policy.schema, e, &mut todo);
        }
    }
    while let Some(i) = todo.pop() {
        match used.get_mut(i) {
            Some(u) if !*u => *u = true,
            _ => continue,
        }
        if let Some(d) = policy.defs.get(i) {
            named(&policy.schema, &d.value, &mut todo);
        }
    }
    for (def, used) in policy.defs.iter().zip(used) {
        if used {
            continue;
        }
        let Some(src) = policy.sources.get(def.loc.file) else {
            continue;
        };
        out.push(
            Finding::new(
                UNUSED_DEFINITION,
                Severity::Warning,
                format!("definition `{}` is never used", def.name),
                src,
                def.loc.span,
                "not used by any rule",
            )
            .help("remove it, or use it in a rule"),
        );
    }
}

/// Definitions whose words name a field (or a list's singular) of some record of the schema.
/// Where that field is reachable, a use is a compile error (`ambiguous-definition`); this
/// warns before anyone writes such a use.
fn shadows(policy: &Policy, out: &mut Vec<Finding>) {
    let schema = &policy.schema;
    // An item definition's words are a field of its records by design.
    for def in policy.defs.iter().filter(|d| d.item.is_none()) {
        let key = def.name.replace(' ', "_");
        let Some((field, record)) = clash(schema, &key) else {
            continue;
        };
        let Some(src) = policy.sources.get(def.loc.file) else {
            continue;
        };
        let whose = if record == Schema::ROOT {
            "the deal".to_string()
        } else {
            format!("each {}", schema.record(record).name.replace('_', " "))
        };
        let scope = if record == Schema::ROOT {
            "anywhere".to_string()
        } else {
            format!(
                "where a {} is in scope",
                schema.record(record).name.replace('_', " ")
            )
        };
        out.push(
            Finding::new(
                SHADOWS_FIELD,
                Severity::Warning,
                format!(
                    "definition `{}` has the same words as `{field}`, a field of {whose}",
                    def.name
                ),
                src,
                def.loc.span,
                format!("shadows the field `{field}`"),
            )
            .help(format!(
                "rename the definition: {scope}, the phrase `{}` would have two readings (a compile error)",
                def.name
            )),
        );
    }
}

/// The first field (root first) that `key` equals or is a word-prefix of.
fn clash(schema: &Schema, key: &str) -> Option<(String, RecordId)> {
    (0..schema.records.len()).map(RecordId).find_map(|id| {
        phrase::field_names(schema, id)
            .into_iter()
            .find(|name| {
                let n = name.replace(' ', "_");
                n == key || n.starts_with(&format!("{key}_"))
            })
            .map(|name| (name, id))
    })
}
