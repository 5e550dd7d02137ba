//! Explaining one deal (`covenant explain`, `POST /v1/explain`): load it as a check would,
//! then trace how each rule (or the one named) was evaluated.

use crate::eval::{outcome, trace};
use crate::report::explain::{self as words, Explanation};
use crate::report::DealReport;
use crate::resolve::Policy;

use super::document::Document;
use super::settings::Settings;

/// Explain `document` against `policy` with the evaluation date, the counting of proposed
/// rules, `deny_warnings` (for the verdict) and the load options of `settings`; only the rule `only` when given (the caller
/// checks that the policy has it). A deal that does not load: its `invalid` report, as
/// [`super::Engine::check_document`] gives it, with its problems.
pub fn explain_document(
    policy: &Policy,
    settings: &Settings,
    document: Document,
    only: Option<&str>,
) -> Result<Explanation, Box<DealReport>> {
    let path = document.path.clone();
    let loaded = super::deal::load_or_invalid(policy, settings, document)?;
    let traces = trace::explain_with(
        policy,
        &loaded.deal,
        settings.as_of,
        only,
        settings.include_proposed,
    );
    let counted: Vec<_> = traces
        .iter()
        .filter(|t| t.counted)
        .map(|t| (t.severity, t.outcome))
        .collect();
    Ok(Explanation {
        rules: words::written(loaded.deal.file(), &traces),
        deal: path,
        verdict: outcome::verdict(&counted, settings.deny_warnings),
    })
}
