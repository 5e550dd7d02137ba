//! The impact report of a policy change (`covenant diff`): what [`crate::diff::impact`]
//! finds, and its renderings (human, JSON and Markdown).

mod render;

use crate::eval::outcome::Verdict;
use crate::resolve::PolicyInfo;

pub use render::{human, json, markdown};

/// A rule present in one version only.
pub struct RuleRef {
    pub id: String,
    pub title: Option<String>,
    /// The rule's text, comments dropped and whitespace normalised.
    pub text: String,
}

/// A rule present in both versions whose text differs.
pub struct ChangedRule {
    pub id: String,
    pub old: String,
    pub new: String,
}

/// How many deals move one rule from one outcome to another; `None` is "no such rule".
pub struct Transition {
    pub rule: String,
    pub from: Option<&'static str>,
    pub to: Option<&'static str>,
    pub count: usize,
}

/// A deal whose verdict or some rule outcome changes.
pub struct DealChange {
    pub path: String,
    pub proposal: Option<String>,
    pub old: Verdict,
    pub new: Verdict,
    /// (rule id, old outcome, new outcome), rules in new-policy order, then removed rules.
    pub changes: Vec<(String, Option<&'static str>, Option<&'static str>)>,
}

/// Everything `diff` reports.
pub struct Impact {
    pub old: Vec<PolicyInfo>,
    pub new: Vec<PolicyInfo>,
    pub added: Vec<RuleRef>,
    pub removed: Vec<RuleRef>,
    pub changed: Vec<ChangedRule>,
    pub transitions: Vec<Transition>,
    pub deals: Vec<DealChange>,
    /// Deals invalid under both policies (not compared).
    pub invalid: Vec<String>,
    pub total: usize,
}

impl Impact {
    pub fn verdict_changes(&self) -> usize {
        self.deals.iter().filter(|d| d.old != d.new).count()
    }

    pub fn outcome_changes(&self) -> usize {
        self.deals.iter().filter(|d| !d.changes.is_empty()).count()
    }

    pub fn unchanged(&self) -> usize {
        self.total - self.deals.len() - self.invalid.len()
    }

    /// Nothing moves: no verdict or outcome change, no rule added, removed or changed.
    pub fn is_empty(&self) -> bool {
        self.deals.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
    }
}
