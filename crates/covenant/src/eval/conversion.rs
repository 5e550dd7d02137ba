//! Conversion evidence as reports show it (SPEC §11; spec-v2-notes F, `"kind":
//! "conversion"`): the amount, its value in the other currency, the rate and the rows of the
//! rate file it comes from. Facts only: `report::prose` writes the words.

use std::sync::Arc;

use jiff::civil::Date;

use crate::fx::Rate;
use crate::number::Exact;
use crate::value::Currency;

/// One conversion of one amount.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConversionShown {
    /// The amount converted.
    pub from: (Currency, Exact),
    /// Its value in the other currency, exact.
    pub to: (Currency, Exact),
    /// The date the rate was asked for (`on D`, else the rule's evaluation date).
    pub on: Date,
    /// The rate: the day of its rows, and how they give it.
    pub rate: Rate,
    /// The `fx` clause's text: what the rates are.
    pub source: Arc<str>,
    /// The rate file, as read.
    pub file: Arc<str>,
}

/// Why a conversion has no rate (SPEC §11, reason `no-rate`): the pair, the date asked for
/// and the rate file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NoRate {
    pub from: Currency,
    pub to: Currency,
    pub on: Date,
    pub file: Arc<str>,
}
