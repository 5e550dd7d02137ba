//! Near misses (SPEC §2.6): a deal string that meets a policy string literal (directly or
//! through a `let`) and differs from it only in case or surrounding white space
//! (`category: "VCS"` against `"vcs"`). That comparison is unknown, never false, so a ban
//! cannot pass on a spelling; the deal gets the warning `covenant::deal::near-miss`, naming
//! both spellings at the deal value.
//!
//! The check runs only after the bytes differ, so an equal or plainly different pair costs
//! what it cost before. A value read from the deal carries its span; a literal (or a value
//! computed from literals) has none: that is how the two sides are told apart.

use std::collections::BTreeSet;

use crate::deal::{error, DealError};
use crate::source::{SourceFile, Span};
use crate::value::Scalar;

use super::value::Val;

/// Whether `a` and `b` are equal once surrounding white space is trimmed and case ignored.
#[inline]
pub fn loosely_equal(a: &str, b: &str) -> bool {
    !differ_at_first(a.as_bytes(), b.as_bytes()) && loosely_equal_folded(a, b)
}

/// Whether two texts differ in their first byte, an ASCII letter or digit in both, case aside:
/// then they are not [`loosely_equal`], decided without trimming or folding (the usual unequal
/// pair, `"CN"` and `"US"`).
#[inline]
pub fn differ_at_first(a: &[u8], b: &[u8]) -> bool {
    matches!(
        (a.first(), b.first()),
        (Some(x), Some(y))
            if x.is_ascii_alphanumeric() && y.is_ascii_alphanumeric() && !x.eq_ignore_ascii_case(y)
    )
}

/// [`loosely_equal`] of two texts whose first bytes did not decide it ([`differ_at_first`]):
/// trimmed, then compared with case folded. For a caller that tested the bytes already.
pub fn loosely_equal_folded(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// Two scalars found unequal that are strings equal but for case and white space: the quick
/// pass leaves such a pair to the general path, which tells the deal's side from the policy's.
#[inline]
pub fn loose_pair(a: &Scalar, b: &Scalar) -> bool {
    matches!(
        (a, b),
        (Scalar::Str(x), Scalar::Str(y))
            if !differ_at_first(x.bytes(), y.bytes()) && loosely_equal_folded(x, y)
    )
}

/// One near miss: the deal value's span and text, and the literal it nearly matched.
#[derive(Clone, Debug)]
pub struct NearMiss {
    pub span: Span,
    pub deal: String,
    pub literal: String,
}

/// The near miss of `a` and `b`, found unequal: one a deal string, the other a policy literal.
pub fn between(a: &Val<'_>, b: &Val<'_>) -> Option<NearMiss> {
    let (Val::Scalar(Scalar::Str(x), ox), Val::Scalar(Scalar::Str(y), oy)) = (a, b) else {
        return None;
    };
    let ((deal, span), literal) = match (ox.span.get(), oy.span.get()) {
        (Some(s), None) => ((x, s), y),
        (None, Some(s)) => ((y, s), x),
        _ => return None,
    };
    (deal != literal && loosely_equal(deal, literal)).then(|| NearMiss {
        span,
        deal: deal.to_string(),
        literal: literal.to_string(),
    })
}

/// The near misses met while evaluating one deal, each (deal value, literal) once, in the
/// order found.
#[derive(Debug, Default)]
pub struct NearMisses {
    seen: BTreeSet<(usize, usize, String)>,
    found: Vec<NearMiss>,
}

impl NearMisses {
    pub fn add(&mut self, m: &NearMiss) {
        if self
            .seen
            .insert((m.span.start, m.span.end, m.literal.clone()))
        {
            self.found.push(m.clone());
        }
    }

    /// The deal warnings, one per near miss.
    pub fn warnings(&self, source: &SourceFile) -> Vec<DealError> {
        self.found
            .iter()
            .map(|m| {
                error::NearMiss {
                    deal: m.deal.clone(),
                    literal: m.literal.clone(),
                    span: m.span,
                    src: source.named(),
                }
                .into()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_surrounding_space_only() {
        assert!(loosely_equal("VCS", "vcs"));
        assert!(loosely_equal("CN ", "CN"));
        assert!(loosely_equal("\tUs-Control\n", "US-CONTROL"));
        assert!(loosely_equal("Ärger", "ärger"));
        assert!(!loosely_equal("v cs", "vcs"));
        assert!(!loosely_equal("vcs", "ads"));
        assert!(!loosely_equal("vcs", "vcss"));
        assert!(!loosely_equal("CN", "US"));
        assert!(loosely_equal("cn", "CN"));
        assert!(loosely_equal("Éclair", "éclair"));
    }
}
