//! The JSON members of ownership evidence (spec-v2-notes F): `kind` `look-through` with its
//! paths, `controller` with its chain, `group` with its key and members, beside the v1
//! evidence fields of the same object.

use crate::eval::outcome::{ControllerShown, DealLocation, GroupShown, LookThroughShown, Note};

use super::holdings::{key, member, share};
use super::json_out::JsonOut;
use super::words::shown;

/// The ownership members of an evidence object with `note`, if it has any; `file` is the
/// deal's file, which `at` names.
pub fn write_members(j: &mut JsonOut<'_>, note: &Note, file: &str) {
    match note {
        Note::LookThrough(l) => look_through(j, l, file),
        Note::Controller(c) => controller(j, c),
        Note::Group(g) => group(j, g),
        Note::TableRow(t) => super::tables::write_row(j, t),
        Note::Conversion(c) => super::conversion::write_members(j, c),
        _ => {}
    }
}

/// `FILE:LINE:COLUMN`.
fn at(file: &str, l: &DealLocation) -> String {
    format!("{file}:{}:{}", l.line, l.column)
}

fn look_through(j: &mut JsonOut<'_>, l: &LookThroughShown<Option<DealLocation>>, file: &str) {
    j.field_str("kind", "look-through");
    j.field_str("measure", &l.measure);
    match l.control {
        None => j.field_str("mode", "proportional"),
        Some((threshold, inclusive)) => {
            j.field_str("mode", "control");
            j.field_str("threshold", &format!("{}%", threshold.display()));
            j.field_str(
                "threshold_test",
                if inclusive { "at least" } else { "more than" },
            );
        }
    }
    j.field_str("target", &l.target);
    j.key("value");
    match &l.value {
        Some(v) => j.str(&share(v)),
        None => j.null(),
    }
    j.key("paths");
    j.begin_array();
    for p in &l.paths {
        j.element();
        j.begin_object();
        j.field_str("contribution", &share(&p.contribution));
        j.key("edges");
        j.begin_array();
        for e in &p.edges {
            j.element();
            j.begin_object();
            j.field_str("from", &e.from);
            j.field_str("to", &e.to);
            j.field_str("value", &share(&e.value));
            if let Some(c) = &e.counted {
                j.field_str("counted", &share(c));
            }
            j.field_opt_str("at", e.at.as_ref().map(|l| at(file, l)).as_deref());
            j.end_object();
        }
        j.end_array();
        j.end_object();
    }
    j.end_array();
    j.key("more_paths");
    j.uint(usize::try_from(l.more_paths).unwrap_or(usize::MAX));
    j.field_str("more_value", &share(&l.more_value));
}

fn controller(j: &mut JsonOut<'_>, c: &ControllerShown<Option<DealLocation>>) {
    j.field_str("kind", "controller");
    j.field_str("entity", &c.entity);
    j.key("chain");
    j.begin_array();
    for l in &c.chain {
        j.element();
        j.str(&l.holder);
    }
    j.end_array();
    j.key("controller");
    match &c.controller {
        Some((name, ..)) => j.str(name),
        None => j.null(),
    }
}

fn group(j: &mut JsonOut<'_>, g: &GroupShown) {
    j.field_str("kind", "group");
    j.field_str("key", &key(&g.key));
    j.key("members");
    j.begin_array();
    for m in &g.members {
        j.element();
        j.str(&member(m));
    }
    j.end_array();
    if g.more_members > 0 {
        j.key("more_members");
        j.uint(g.more_members);
    }
    j.field_str("value", &shown(&g.value));
}
