//! Explaining one deal (`covenant explain`, `POST /v1/explain`): load it as a check would,
//! then trace how each rule (or the one named) was evaluated.

use crate::deal;
use crate::eval::trace;
use crate::report::explain::{self as words, Explanation};
use crate::report::DealReport;
use crate::resolve::Policy;

use super::document::Document;
use super::settings::Settings;

/// Explain `document` against `policy` with the evaluation date, the counting of proposed
/// rules and the load options of `settings`; only the rule `only` when given (the caller
/// checks that the policy has it). A deal that does not load: its `invalid` report, as
/// [`super::Engine::check_document`] gives it, with its problems.
pub fn explain_document(
    policy: &Policy,
    settings: &Settings,
    document: Document,
    only: Option<&str>,
) -> Result<Explanation, Box<DealReport>> {
    let Document {
        path,
        source,
        first_line,
        format,
    } = document;
    let src = source.clone();
    let loaded = deal::load(
        source,
        path.clone(),
        first_line,
        format,
        &policy.schema,
        &settings.load,
    );
    match loaded {
        Err(errs) => Err(Box::new(super::deal::invalid(
            path,
            errs,
            &src,
            first_line,
            settings.keep_diagnostics,
        ))),
        Ok(loaded) => {
            let traces = trace::explain_with(
                policy,
                &loaded.deal,
                settings.as_of,
                only,
                settings.include_proposed,
            );
            Ok(Explanation {
                rules: words::written(loaded.deal.file(), &traces),
                deal: path,
            })
        }
    }
}
