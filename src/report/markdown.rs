//! The markdown report of `covenant check --format markdown`.

use crate::resolve::Policy;

use super::{DealReport, Summary};

pub fn report(_policy: &Policy, _deals: &[DealReport], _summary: &Summary) -> String {
    String::from("markdown report not built yet\n")
}
