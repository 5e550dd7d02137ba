//! The keywords of the policy language.

/// The keywords of SPEC §2.1.
pub(super) const KEYWORDS: &[&str] = &[
    "and", "or", "not", "every", "some", "no", "at", "least", "most", "exactly", "of", "where",
    "in", "is", "contains", "one", "within", "must", "be", "stay", "have", "total", "count",
    "number", "max", "min", "average", "true", "false", "deal",
];
