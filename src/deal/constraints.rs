//! Checks of values beyond their type, run on a validated deal by both loaders (the one-pass
//! JSON loader and the full one), so no path lets a value through that the other refuses:
//! country codes (SPEC §13, `covenant::deal::bad-country`), whole numbers (§8,
//! `covenant::deal::not-an-integer`) and custom schema `enum`s (`covenant::deal::not-in-enum`).

use super::doc::shorten;
use super::error::{DealErrorKind, Diags};
use super::tree::{Node, NodeValue, Record};
use super::validate::did_you_mean;
use crate::country;
use crate::schema::{Constraint, Field, RecordId, Schema, Type};
use crate::value::Scalar;

/// Check every constrained field of `root` and the records below it; each value that fails is
/// an error.
pub(crate) fn check(schema: &Schema, root: &Record, d: &mut Diags) {
    if schema.has_constraints() {
        record(schema, Schema::ROOT, root, d);
    }
}

fn record(schema: &Schema, id: RecordId, rec: &Record, d: &mut Diags) {
    let fields = &schema.record(id).fields;
    for (field, slot) in fields.iter().zip(&rec.fields) {
        if let Some(node) = slot {
            value(schema, field, &field.ty, node, d);
        }
    }
}

fn value(schema: &Schema, field: &Field, ty: &Type, node: &Node, d: &mut Diags) {
    match (&node.value, ty) {
        (NodeValue::Scalar(s), _) => scalar(field, s, node, d),
        (NodeValue::List(items), Type::List(elem)) => {
            for item in items {
                value(schema, field, elem, item, d);
            }
        }
        (NodeValue::Record(r), Type::Record(id)) => record(schema, *id, r, d),
        _ => {}
    }
}

fn scalar(field: &Field, s: &Scalar, node: &Node, d: &mut Diags) {
    match (&field.constraint, s) {
        (Constraint::Country, Scalar::Str(text)) if !country::is_code(text) => {
            let e = d.error(
                DealErrorKind::BadCountry,
                node.span,
                format!(
                    "`{}` in `{}` is not an ISO 3166-1 alpha-2 country code",
                    shorten(text),
                    field.name
                ),
                "not a country code",
            );
            d.push(e.with_help(country::help(text)));
        }
        (Constraint::Integer, Scalar::Number(n)) if !n.is_integer() => {
            let e = d.error(
                DealErrorKind::NotAnInteger,
                node.span,
                format!(
                    "`{}` must be a whole number, found `{}`",
                    field.name,
                    shorten(d.text(node.span))
                ),
                "not a whole number",
            );
            d.push(e.with_help(format!(
                "`{}` counts things: write a whole number",
                field.name
            )));
        }
        (Constraint::OneOf(allowed), Scalar::Str(text))
            if !allowed.iter().any(|a| a.as_str() == &**text) =>
        {
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
            let e = d.error(
                DealErrorKind::NotInEnum,
                node.span,
                format!(
                    "`{}` is not an allowed value of `{}`",
                    shorten(text),
                    field.name
                ),
                "not one of the allowed values",
            );
            d.push(e.with_help(help));
        }
        _ => {}
    }
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
