//! The SARIF and Markdown reports of `covenant check`, written deal by deal.
//!
//! Each deal's part is rendered on a worker thread ([`render`]) and handed here in input
//! order ([`Streamed::add`]); the report is written at the end ([`Streamed::finish`]),
//! byte for byte as the whole-batch functions (`sarif::report`, …) write it. Each format
//! begins with counts over the whole batch (SARIF's rule descriptors, which list the problem
//! codes that occur, Markdown's summary), so the parts wait
//! in a [`Spool`]: in memory up to [`super::spool::SPOOL_MEMORY`] bytes, then in a temporary
//! file. Memory therefore stays bounded however many deals a batch has.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::resolve::Policy;

use super::audit::Audit;
pub use super::caps::{Caps, GITHUB_COMMENT_CHARS, GITHUB_SARIF_RESULTS};
use super::sarif::{self, DealEntry, ProblemCodes, SarifResult};
use super::spool::Spool;
use super::{markdown, markdown_cut, DealReport, Summary};

/// A report format that is streamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sarif,
    Markdown,
}

/// SARIF: the indentation of a result (in `runs[0].results`) and of a deal entry (in
/// `runs[0].properties.deals`) in the pretty-printed log.
const RESULT_INDENT: &str = "        ";
const DEAL_INDENT: &str = "          ";

/// Stand-ins for the streamed items in the SARIF skeleton.
const RESULTS_STAND_IN: &str = "\u{0}covenant-results\u{0}";
const DEALS_STAND_IN: &str = "\u{0}covenant-deals\u{0}";

/// One deal's part of the report, rendered on a worker thread: the SARIF results of its
/// rules (its problems need the batch's problem codes and are rendered by [`Streamed::add`]),
/// its Markdown section.
pub fn render(kind: Kind, policy: &Policy, d: &DealReport, buf: &mut Vec<u8>) {
    match kind {
        Kind::Sarif => {
            let start = buf.len();
            for r in &d.results {
                if let Some(result) = sarif::rule_result(policy, d, r) {
                    separate(buf, buf.len() == start, RESULT_INDENT);
                    result.write_pretty(buf, RESULT_INDENT.len());
                }
            }
        }
        Kind::Markdown => {
            let mut text = String::new();
            if markdown::section(policy, d, &mut text) {
                buf.extend_from_slice(text.as_bytes());
            }
        }
    }
}

/// A report being written: the parts of the deals so far, and what the head will count.
#[derive(Debug)]
pub struct Streamed {
    kind: Kind,
    caps: Caps,
    /// SARIF results, Markdown table rows.
    main: Spool,
    /// SARIF deal entries, Markdown sections.
    second: Spool,
    /// Markdown: the table rows of the deals with findings, for a report cut to fit.
    found_rows: Spool,
    codes: ProblemCodes,
    /// SARIF results listed, and left out.
    listed: sarif::Listed,
    markdown: markdown_cut::Cut,
    deals: usize,
    /// Set once the SARIF log lists as many results as it may: the renderers on the worker
    /// threads need not render the results of later deals (see [`Streamed::full`]).
    full: Arc<AtomicBool>,
}

impl Streamed {
    pub fn new(kind: Kind) -> Streamed {
        Streamed::with_spools(kind, Spool::default(), Spool::default())
    }

    /// A report whose parts wait in these spools (tests use small ones).
    pub fn with_spools(kind: Kind, main: Spool, second: Spool) -> Streamed {
        Streamed {
            kind,
            caps: Caps::NONE,
            main,
            second,
            found_rows: Spool::default(),
            codes: ProblemCodes::default(),
            listed: sarif::Listed::default(),
            markdown: markdown_cut::Cut::default(),
            deals: 0,
            full: Arc::default(),
        }
    }

    /// The report within `caps` (everything, by default).
    pub fn within(mut self, caps: Caps) -> Streamed {
        self.caps = caps;
        self
    }

    /// Set once the SARIF log has no room for another result. Deals are added in input order,
    /// and each is rendered before it is added, so a deal rendered after this is set comes
    /// after every result the log lists: its part is not needed.
    pub fn full(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.full)
    }

    /// The next deal, with the part [`render`] gave it.
    pub fn add(&mut self, policy: &Policy, d: &DealReport, rendered: &[u8]) {
        self.deals += 1;
        match self.kind {
            Kind::Sarif => self.add_sarif(policy, d, rendered),
            Kind::Markdown => self.add_markdown(policy, d, rendered),
        }
    }

    fn add_markdown(&mut self, policy: &Policy, d: &DealReport, rendered: &[u8]) {
        let row = markdown::row(policy, d);
        let was_cut = self.markdown.is_cut();
        let shown = self
            .markdown
            .add(&self.caps, policy, d, row.as_bytes(), rendered);
        if self.markdown.is_cut() && !was_cut {
            // The rows of every deal are not needed any more: the report lists only the deals
            // with findings.
            self.main = Spool::default();
        }
        if shown.row {
            self.main.write(row.as_bytes());
        }
        if shown.found_row {
            self.found_rows.write(row.as_bytes());
        }
        if shown.section {
            if !self.second.is_empty() {
                self.second.write(b"\n");
            }
            self.second.write(rendered);
        }
    }

    fn add_sarif(&mut self, policy: &Policy, d: &DealReport, rendered: &[u8]) {
        let mut text = Vec::new();
        self.add_problems(policy, d, &mut text);
        self.add_rule_results(policy, d, rendered, &mut text);
        self.main.write(&text);
        let mut entry = Vec::new();
        separate(&mut entry, self.second.is_empty(), DEAL_INDENT);
        DealEntry::new(d).write_pretty(&mut entry, DEAL_INDENT.len());
        self.second.write(&entry);
    }

    /// Whether the log has room for one more result.
    fn room(&self) -> bool {
        self.caps.results.is_none_or(|m| self.listed.shown < m)
    }

    /// `result` after the results so far (those spooled, then those in `text`).
    fn push(&self, text: &mut Vec<u8>, result: &SarifResult<'_>) {
        separate(text, self.main.is_empty() && text.is_empty(), RESULT_INDENT);
        result.write_pretty(text, RESULT_INDENT.len());
    }

    /// The deal's problems, as many as there is room for.
    fn add_problems(&mut self, policy: &Policy, d: &DealReport, text: &mut Vec<u8>) {
        let base = policy.rules.len();
        for p in &d.problems {
            if !self.room() {
                self.listed.omitted += 1;
                continue;
            }
            self.listed.shown += 1;
            let result = sarif::problem_result(d, p, base + self.codes.add(p));
            self.push(text, &result);
        }
    }

    /// The deal's rule results: the part rendered on the worker thread when they all fit,
    /// else the first ones there is room for, rendered here.
    fn add_rule_results(
        &mut self,
        policy: &Policy,
        d: &DealReport,
        rendered: &[u8],
        text: &mut Vec<u8>,
    ) {
        let listed = d.results.iter().filter(|r| sarif::listed(policy, r));
        let count = listed.clone().count();
        let room = self
            .caps
            .results
            .map_or(count, |m| m.saturating_sub(self.listed.shown).min(count));
        if room == count && !rendered.is_empty() {
            separate(text, self.main.is_empty() && text.is_empty(), RESULT_INDENT);
            text.extend_from_slice(rendered);
        } else {
            for result in listed
                .take(room)
                .filter_map(|r| sarif::rule_result(policy, d, r))
            {
                self.push(text, &result);
            }
        }
        self.listed.shown += room;
        self.listed.omitted += count - room;
        if !self.room() {
            self.full.store(true, Ordering::Relaxed);
        }
    }

    /// Write the whole report to `out`.
    pub fn finish(
        mut self,
        policy: &Policy,
        audit: &Audit,
        summary: &Summary,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        match self.kind {
            Kind::Sarif => self.finish_sarif(policy, audit, summary, out),
            Kind::Markdown => self.finish_markdown(policy, summary, out),
        }
    }

    fn finish_markdown(
        &mut self,
        policy: &Policy,
        summary: &Summary,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        out.write_all(markdown::head(policy, summary).as_bytes())?;
        if self.deals == 0 {
            return Ok(());
        }
        let cut = self.markdown.is_cut();
        let rows = if cut {
            &mut self.found_rows
        } else {
            &mut self.main
        };
        if !rows.is_empty() {
            out.write_all(markdown::TABLE_HEAD.as_bytes())?;
            rows.copy_to(out)?;
        }
        if !self.second.is_empty() {
            out.write_all(markdown::FINDINGS_HEAD.as_bytes())?;
            self.second.copy_to(out)?;
        }
        if cut {
            out.write_all(self.markdown.note(&self.caps).as_bytes())?;
        }
        Ok(())
    }

    /// The skeleton of the log, with the spooled results and deal entries in place of its
    /// stand-ins (an empty list is written `[]`, as serde_json writes it).
    fn finish_sarif(
        &mut self,
        policy: &Policy,
        audit: &Audit,
        summary: &Summary,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let results = stand_in(RESULTS_STAND_IN, RESULT_INDENT);
        let deals = stand_in(DEALS_STAND_IN, DEAL_INDENT);
        let stand_ins = (RESULTS_STAND_IN, DEALS_STAND_IN);
        let log = sarif::skeleton(policy, audit, &self.codes, summary, stand_ins, self.listed);
        let broken = || io::Error::other("the SARIF skeleton has no stand-in");
        let (head, rest) = log.split_once(&results).ok_or_else(broken)?;
        let (middle, tail) = rest.split_once(&deals).ok_or_else(broken)?;
        let (no_results, no_deals) = (self.main.is_empty(), self.second.is_empty());
        out.write_all(open_list(head, RESULT_INDENT, no_results).as_bytes())?;
        self.main.copy_to(out)?;
        let middle = close_list(middle, no_results);
        out.write_all(open_list(&middle, DEAL_INDENT, no_deals).as_bytes())?;
        self.second.copy_to(out)?;
        out.write_all(close_list(tail, no_deals).as_bytes())
    }
}

/// `,\n` and the indentation before an item, unless it is the `first`.
fn separate(buf: &mut Vec<u8>, first: bool, indent: &str) {
    if !first {
        buf.extend_from_slice(b",\n");
        buf.extend_from_slice(indent.as_bytes());
    }
}

/// A stand-in as the pretty log writes it: alone on its line, at its list's indentation.
/// No JSON string holds a line end, so this text occurs nowhere else in the log.
fn stand_in(s: &str, indent: &str) -> String {
    let json = serde_json::to_string(s).unwrap_or_default();
    format!("\n{indent}{json}\n")
}

/// The text up to a list's first item: its `[` and, when it has items, the line end and
/// the indentation of the first.
fn open_list(before: &str, indent: &str, empty: bool) -> String {
    if empty {
        before.to_string()
    } else {
        format!("{before}\n{indent}")
    }
}

/// The text after a list's last item, from the `]` on: on its own line unless the list is
/// empty (`[]`).
fn close_list(after: &str, empty: bool) -> String {
    if empty {
        after.trim_start_matches(' ').to_string()
    } else {
        format!("\n{after}")
    }
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
