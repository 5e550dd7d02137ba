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
//!   worker threads and handed to a [`Sink`] in input order ([`batch`]).
//!
//! Whatever happens to a deal (unreadable, too large, empty, past the deal limit, or an
//! internal error while checking it), it gets exactly one report.

mod batch;
mod deal;
mod document;
pub mod inputs;
pub mod read;
pub mod stdin;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use jiff::civil::Date;

use crate::deal::{Format, LoadOptions};
use crate::eval::outcome::RuleResult;
use crate::limits::Limits;
use crate::report::DealReport;
use crate::resolve::Policy;

pub use batch::{Batch, Render, Sink};
pub use document::Document;
pub use inputs::Input;
pub use stdin::StdinFormat;

/// The settings of one run, shared by every deal it checks.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Evaluate effective windows on this date instead of each deal's `date`.
    pub as_of: Option<Date>,
    /// Warning rules that fail make the verdict non-compliant, as errors do.
    pub deny_warnings: bool,
    /// How deals are loaded: strictness, and the limits inside one document.
    pub load: LoadOptions,
    /// Keep what a renderer needs to draw source snippets: each problem's diagnostic and the
    /// loaded deal (the human report). Off, a report holds only plain data.
    pub keep_diagnostics: bool,
    /// The largest deal document, in bytes (a file, standard input, a `.jsonl` line).
    pub max_deal_size: u64,
    /// The most deals a batch checks; later ones are reported `invalid`, unread.
    pub max_deals: Option<u64>,
    /// How long a deal file that is not a regular file may take to be read.
    pub read_timeout: Duration,
    /// The format of standard input, when it is named; else it is detected.
    pub stdin_format: Option<StdinFormat>,
    /// Worker threads of a batch; 0: one per core.
    pub jobs: usize,
}

impl Settings {
    /// The settings of a run within `limits`, every other setting at its default.
    pub fn within(limits: &Limits) -> Settings {
        Settings {
            as_of: None,
            deny_warnings: false,
            load: LoadOptions {
                strict: false,
                limits: limits.deal,
            },
            keep_diagnostics: false,
            max_deal_size: limits.max_deal_size,
            max_deals: limits.max_deals,
            read_timeout: limits.read_timeout,
            stdin_format: None,
            jobs: 0,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings::within(&Limits::default())
    }
}

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
        deal::check_document(self, document)
    }

    /// Read and check one deal file (`.yaml`, `.yml`, `.json` or `.toml`, any case).
    pub fn check_file(&self, path: &Path) -> DealReport {
        deal::check_file(self, path)
    }

    /// Check every deal of one input, in order, on this thread, handing each report to
    /// `emit`. Standard input is not read here: it is reported unreadable.
    pub fn check_input(&self, input: &Input, emit: &mut dyn FnMut(DealReport)) {
        batch::check_input(self, input, emit)
    }

    /// Check every deal of a batch on [`Settings::jobs`] worker threads; `sink` receives each
    /// report, and its rendering, in input order.
    pub fn check_batch(&self, batch: Batch<'_>, sink: &mut dyn Sink) {
        batch::check_all(self, batch, sink)
    }
}

/// A rule's outcome as a test case and a policy diff name it: `exempt` for a pass by an
/// exemption, else the outcome (`pass`, `fail`, `not-applicable`, `incomplete`).
pub fn outcome_label(r: &RuleResult) -> &'static str {
    if r.exempt.is_some() {
        "exempt"
    } else {
        r.outcome.as_str()
    }
}

#[cfg(test)]
mod tests;
