//! The checking engine: a compiled policy and the settings of a run, checking deals into
//! [`DealReport`]s. Every front end calls it: the `covenant` command line, and any program
//! that links the library (a server, a language server).
//!
//! The engine writes nothing to standard output or standard error and never ends the
//! process: it hands back reports, and the caller renders them ([`crate::report`]) and decides
//! what they mean for an exit code ([`crate::report::Summary::exit_code`]). It is `Send +
//! Sync`: one engine can be shared by threads (behind an `Arc`), each checking its own deals.
//!
//! - [`Engine::check_text`] and [`Engine::check_document`]: one deal document in memory;
//! - [`Engine::check_file`]: one deal file;
//! - [`Engine::check_batch`]: files, folders, `.jsonl` batches and standard input, checked on
//!   worker threads and handed to a [`Sink`] in input order.
//!
//! Whatever happens to a deal (unreadable, too large, empty, past the deal limit, or an
//! internal error while checking it), it gets exactly one report.

mod batch;
mod deal;
mod document;
pub mod explain;
pub mod inputs;
pub mod ownership;
pub mod read;
mod settings;
pub mod stdin;

use std::path::Path;
use std::sync::Arc;

use crate::deal::Format;
use crate::eval::outcome::RuleResult;
use crate::report::DealReport;
use crate::resolve::Policy;

pub use batch::{Batch, Render, Sink, IN_FLIGHT_BYTES};
pub use document::Document;
pub use inputs::Input;
pub use settings::Settings;
pub use stdin::StdinFormat;

/// A compiled policy and the settings of a run: checks deals into reports.
///
/// The policy is shared: engines with other settings over the same policy cost a clone of
/// the settings ([`Engine::with_settings`]).
#[derive(Clone, Debug)]
pub struct Engine {
    policy: Arc<Policy>,
    settings: Settings,
}

impl Engine {
    /// An engine over a compiled policy (a [`Policy`], or one shared as `Arc<Policy>`).
    pub fn new(policy: impl Into<Arc<Policy>>, settings: Settings) -> Engine {
        Engine {
            policy: policy.into(),
            settings,
        }
    }

    /// An engine over the same policy with other settings.
    pub fn with_settings(&self, settings: Settings) -> Engine {
        Engine {
            policy: Arc::clone(&self.policy),
            settings,
        }
    }

    /// The policy deals are checked against: its rules are what a report's results name.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Check one deal document held in memory, named `name` in its report and diagnostics.
    pub fn check_text(&self, name: &str, text: &str, format: Format) -> DealReport {
        self.check_document(Document::new(name, text, format))
    }

    /// Check one deal document. An internal error (a panic) makes the deal `invalid` with
    /// `covenant::internal::panic`.
    pub fn check_document(&self, document: Document) -> DealReport {
        deal::check_document(&self.policy, &self.settings, document)
    }

    /// Explain one deal document: how each rule (or the one named `only`) was evaluated; a
    /// deal that does not load gives its `invalid` report ([`explain::explain_document`]).
    pub fn explain_document(
        &self,
        document: Document,
        only: Option<&str>,
    ) -> Result<crate::report::explain::Explanation, Box<DealReport>> {
        explain::explain_document(&self.policy, &self.settings, document, only)
    }

    /// The entities and holdings of one deal document, placed in it, for a diagram; a deal
    /// that does not load gives its `invalid` report ([`ownership::ownership_document`]).
    pub fn ownership_document(
        &self,
        document: Document,
    ) -> Result<ownership::Ownership, Box<DealReport>> {
        ownership::ownership_document(&self.policy, &self.settings, document)
    }

    /// Read and check one deal file (`.yaml`, `.yml`, `.json` or `.toml`, any case).
    pub fn check_file(&self, path: &Path) -> DealReport {
        deal::check_file(&self.policy, &self.settings, path)
    }

    /// Check every deal of one input, in order, on this thread, handing each report to
    /// `emit`. Standard input is not read here: it is reported unreadable.
    pub fn check_input(&self, input: &Input, emit: &mut dyn FnMut(DealReport)) {
        batch::check_input(&self.policy, &self.settings, input, emit)
    }

    /// Check every deal of a batch on [`Settings::jobs`] worker threads; `sink` receives each
    /// report, and its rendering, in input order.
    pub fn check_batch(&self, batch: Batch<'_>, sink: &mut dyn Sink) {
        batch::check_all(&self.policy, &self.settings, batch, sink)
    }
}

/// A rule's outcome as a test case and a policy diff name it: `exempt` for a pass by an
/// exemption, else the outcome (`pass`, `fail`, `not-applicable`, `incomplete`).
pub fn outcome_label(r: &RuleResult) -> &'static str {
    if r.is_exempt() {
        "exempt"
    } else {
        r.outcome.as_str()
    }
}

#[cfg(test)]
mod tests;
