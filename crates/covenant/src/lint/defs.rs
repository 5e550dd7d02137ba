//! Checks on definitions of a compiled policy: `unused-definition` and `shadows-field`.

use crate::resolve::{phrase, Policy};
use crate::schema::{RecordId, Schema};

use super::finding::{Finding, Severity};
use super::{SHADOWS_FIELD, UNUSED_DEFINITION};

use crate::resolve::ir::definitions_named as named;

pub fn check(policy: &Policy, out: &mut Vec<Finding>) {
    unused(policy, out);
    shadows(policy, out);
}

/// Definitions that no rule reaches, directly or through other definitions.
fn unused(policy: &Policy, out: &mut Vec<Finding>) {
    let mut used = vec![false; policy.defs.len()];
    let mut todo = Vec::new();
    for rule in &policy.rules {
        let clauses = rule.when.iter().chain(&rule.require).chain(&rule.unless);
        for e in clauses.chain(&rule.on).chain(&rule.waivable) {
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
