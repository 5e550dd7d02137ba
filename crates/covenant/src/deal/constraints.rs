//! Checks of values beyond their type: country codes (SPEC §13, `covenant::deal::bad-country`),
//! whole numbers (§8, `covenant::deal::not-an-integer`), the kinds of entity (§7.1,
//! `covenant::deal::bad-kind`) and custom schema `enum`s (`covenant::deal::not-in-enum`). Both
//! loaders run them on each field they read, by the one predicate [`accepts`]: the one-pass
//! JSON loader gives up on a value it refuses, and the full loader, which then runs, reports it
//! ([`check`]). So no path lets a value through that the other refuses, and a field without a
//! constraint costs one comparison.

use super::doc::shorten;
use super::error::{self, Diags};
use super::suggest::did_you_mean;
use super::tree::{Node, NodeValue};
use crate::country;
use crate::schema::{Constraint, Field, ENTITY_KINDS};
use crate::value::Scalar;

/// Whether every value of `node` (a scalar, or each scalar of a list) meets `field`'s
/// constraint.
#[inline(always)]
pub(crate) fn accepts(field: &Field, node: &Node) -> bool {
    matches!(field.constraint, Constraint::None) || constrained_accepts(field, node)
}

/// [`accepts`] of a field with a constraint.
fn constrained_accepts(field: &Field, node: &Node) -> bool {
    match &node.value {
        NodeValue::Scalar(s) => meets(&field.constraint, s),
        NodeValue::List(items) => items.iter().all(|item| match &item.value {
            NodeValue::Scalar(s) => meets(&field.constraint, s),
            _ => true,
        }),
        _ => true,
    }
}

/// Report each value of `node` that does not meet `field`'s constraint.
pub(crate) fn check(field: &Field, node: &Node, d: &mut Diags) {
    if accepts(field, node) {
        return;
    }
    match &node.value {
        NodeValue::Scalar(s) => scalar(field, s, node, d),
        NodeValue::List(items) => {
            for item in items {
                if let NodeValue::Scalar(s) = &item.value {
                    scalar(field, s, item, d);
                }
            }
        }
        _ => {}
    }
}

#[inline(always)]
pub(crate) fn meets(constraint: &Constraint, s: &Scalar) -> bool {
    matches!(constraint, Constraint::None) || constrained_meets(constraint, s)
}

/// [`meets`] with a constraint.
fn constrained_meets(constraint: &Constraint, s: &Scalar) -> bool {
    match (constraint, s) {
        (Constraint::Integer, Scalar::Number(n)) => n.is_integer(),
        (_, Scalar::Str(text)) => text_meets(constraint, text.bytes()),
        _ => true,
    }
}

/// Whether a string value, given by its UTF-8 bytes, meets `constraint`: [`meets`] of a
/// [`Scalar::Str`] (string equality is byte equality), for the one-pass JSON loader, which
/// checks a string before it makes its value.
#[inline]
pub(crate) fn text_meets(constraint: &Constraint, text: &[u8]) -> bool {
    match constraint {
        Constraint::Country => country::is_code_bytes(text),
        Constraint::OneOf(allowed) => allowed.iter().any(|a| a.as_bytes() == text),
        Constraint::EntityKind => ENTITY_KINDS.iter().any(|k| k.as_bytes() == text),
        _ => true,
    }
}

fn scalar(field: &Field, s: &Scalar, node: &Node, d: &mut Diags) {
    if meets(&field.constraint, s) {
        return;
    }
    let e = match (&field.constraint, s) {
        (Constraint::Country, Scalar::Str(text)) => error::BadCountry {
            text: shorten(text),
            field: field.name.clone(),
            span: node.span,
            help: country::help(text),
            src: d.src(),
        }
        .into(),
        (Constraint::Integer, _) => error::NotAnInteger {
            field: field.name.clone(),
            text: shorten(d.text(node.span)),
            span: node.span,
            src: d.src(),
        }
        .into(),
        (Constraint::EntityKind, Scalar::Str(text)) => error::BadKind {
            text: shorten(text),
            span: node.span,
            help: super::kinds::help(text),
            src: d.src(),
        }
        .into(),
        (Constraint::OneOf(allowed), Scalar::Str(text)) => {
            let names: Vec<&str> = allowed.iter().map(String::as_str).collect();
            let listed = names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let help = match closest(text, &names) {
                Some(best) => format!("did you mean `{best}`? `{}` is one of {listed}", field.name),
                None => format!("`{}` is one of {listed}", field.name),
            };
            error::NotInEnum {
                text: shorten(text),
                field: field.name.clone(),
                span: node.span,
                help,
                src: d.src(),
            }
            .into()
        }
        _ => return,
    };
    d.push(e);
}

/// The allowed value `text` most likely means: the same but for case and surrounding white
/// space, else the nearest by spelling.
fn closest<'a>(text: &str, names: &[&'a str]) -> Option<&'a str> {
    let trimmed = text.trim();
    names
        .iter()
        .find(|n| n.eq_ignore_ascii_case(trimmed) || n.to_lowercase() == trimmed.to_lowercase())
        .copied()
        .or_else(|| did_you_mean(trimmed, names))
}
