//! The words of conversion evidence (SPEC §11): one line,
//! `USD 9B = CAD 12.285B at 1.365 CAD/USD of 2024-07-11 (fx/boc-2024.csv:133)`, the reason of
//! a conversion without a rate, and the members of its JSON object (spec-v2-notes F).
//!
//! The line gives each rate as its row writes it (`1.365 CAD/USD` also for a conversion from
//! CAD, the inverse of the row); a cross rate as its two rows (`1.4796 CAD/EUR ÷ 1.0855
//! USD/EUR`). JSON gives the rate applied, units of `to` per unit of `from` (exact when it
//! terminates, else rounded to 4 places after `≈`), and the rows in `legs`.

use crate::eval::outcome::{ConversionShown, NoRate};
use crate::fx::{Leg, Via};
use crate::number::Exact;
use crate::value::{Currency, Scalar};

use super::json_out::JsonOut;

fn money((c, a): (Currency, Exact)) -> String {
    Scalar::Money(c, a).to_string()
}

/// `1.365 CAD/USD`: a row's rate in its own unit.
fn leg_rate(l: &Leg) -> String {
    format!("{} {}/{}", l.rate.display(), l.quote, l.base)
}

/// The rows of a rate, in the order the line names them.
fn legs(via: &Via) -> Vec<&Leg> {
    match via {
        Via::Direct(l) | Via::Inverse(l) => vec![l],
        Via::Cross { to, from } => vec![to, from],
    }
}

/// `USD 9B = CAD 12.285B at 1.365 CAD/USD of 2024-07-11 (fx/boc-2024.csv:133)`; a rate of an
/// earlier day says so (`of 2024-07-05, the latest on or before 2024-07-07`).
pub fn conversion(c: &ConversionShown, element: Option<&str>) -> String {
    let mut text = format!("{} = {}", money(c.from), money(c.to));
    if let Some(el) = element {
        text.push_str(" for ");
        text.push_str(el);
    }
    let rates: Vec<String> = legs(&c.rate.via).into_iter().map(leg_rate).collect();
    text.push_str(&format!(" at {} of {}", rates.join(" ÷ "), c.rate.date));
    if c.rate.date != c.on {
        text.push_str(&format!(", the latest on or before {}", c.on));
    }
    match c.rate.via {
        Via::Direct(l) | Via::Inverse(l) => text.push_str(&format!(" ({}:{})", c.file, l.line)),
        Via::Cross { to, from } => text.push_str(&format!(
            " ({}, lines {} and {})",
            c.file, to.line, from.line
        )),
    }
    text
}

/// "no rate from USD to CAD in `fx/ecb.csv` on 2024-07-11 or the 7 days before".
pub fn no_rate(n: &NoRate) -> String {
    format!(
        "no rate from {} to {} in `{}` on {} or the {} days before",
        n.from,
        n.to,
        n.file,
        n.on,
        crate::fx::LOOK_BACK_DAYS
    )
}

/// The members of a conversion's JSON object: `kind`, `from`, `to`, `rate` (applied),
/// `unit`, `via`, `date` (of the rows), `on` (asked for), `source`, `at` and `legs`.
pub fn write_members(j: &mut JsonOut<'_>, c: &ConversionShown) {
    j.field_str("kind", "conversion");
    j.field_str("from", &money(c.from));
    j.field_str("to", &money(c.to));
    let rate = c
        .rate
        .factor()
        .map_or_else(|_| "overflow".to_string(), Exact::display);
    j.field_str("rate", &rate);
    j.field_str("unit", &format!("{}/{}", c.to.0, c.from.0));
    let via = match c.rate.via {
        Via::Direct(_) => "direct",
        Via::Inverse(_) => "inverse",
        Via::Cross { .. } => "cross",
    };
    j.field_str("via", via);
    j.field_str("date", &c.rate.date.to_string());
    j.field_str("on", &c.on.to_string());
    j.field_str("source", &c.source);
    let legs = legs(&c.rate.via);
    if let Some(first) = legs.first() {
        j.field_str("at", &format!("{}:{}", c.file, first.line));
    }
    j.key("legs");
    j.begin_array();
    for l in legs {
        j.element();
        j.begin_object();
        j.field_str("base", l.base.as_str());
        j.field_str("quote", l.quote.as_str());
        j.field_str("rate", &l.rate.display());
        j.field_str("at", &format!("{}:{}", c.file, l.line));
        j.end_object();
    }
    j.end_array();
}
