//! A rule result as the reports write it: every sentence and value in words, field by field
//! as the JSON report gives them. For library users and tests that read results as text.

use crate::eval::outcome::{DealLocation, Evidence, RuleResult};

use super::prose;

#[derive(Clone, Debug, PartialEq)]
pub struct WrittenResult {
    pub outcome: &'static str,
    pub exemption: Option<String>,
    /// The approval that exempted the rule (SPEC §10), in the words of the message.
    pub waiver: Option<String>,
    pub message: String,
    pub evidence: Vec<WrittenEvidence>,
    pub help: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WrittenEvidence {
    pub note: String,
    pub element: Option<String>,
    pub path: Option<String>,
    pub value: Option<String>,
    pub op: Option<&'static str>,
    pub bound: Option<String>,
    pub margin: Option<String>,
    pub location: Option<DealLocation>,
    pub more: Option<usize>,
}

pub fn written(r: &RuleResult) -> WrittenResult {
    WrittenResult {
        outcome: r.outcome.as_str(),
        exemption: r.exempt.as_deref().map(str::to_string),
        waiver: r.waiver().map(super::waiver::approval),
        message: prose::result_message(r).into_owned(),
        evidence: r.evidence.iter().map(written_evidence).collect(),
        help: prose::result_help(r),
    }
}

pub fn written_evidence(e: &Evidence) -> WrittenEvidence {
    let parts = prose::parts(e);
    WrittenEvidence {
        note: prose::note_with(e, &parts),
        element: parts.element,
        path: e.path.clone(),
        value: parts.value,
        op: e.op.map(prose::op),
        bound: parts.bound,
        margin: e.margin.as_ref().map(prose::margin),
        location: e.location.clone(),
        more: e.more,
    }
}
