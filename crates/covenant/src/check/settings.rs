//! The settings of a run: everything but the policy that decides how deals are read and
//! checked.

use std::time::Duration;

use jiff::civil::Date;

use crate::deal::LoadOptions;
use crate::limits::Limits;

use super::stdin::StdinFormat;

/// The settings of one run, shared by every deal it checks.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The evaluation date of every rule: windows test it instead of the date they name (`date`,
    /// or their `on D`), and `evaluation date` reads it (SPEC §9).
    pub as_of: Option<Date>,
    /// Warning rules that fail make the verdict non-compliant, as errors do.
    pub deny_warnings: bool,
    /// `proposed` and `reported` rules count for the verdict, as rules in force do (SPEC §12,
    /// `--include-proposed`); otherwise they are reported but not counted.
    pub include_proposed: bool,
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
            include_proposed: false,
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
