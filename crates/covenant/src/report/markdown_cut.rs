//! Where the Markdown report is cut to fit a pull-request comment (`--max-results`,
//! `docs/reports.md`): deal by deal, as the deals come, without keeping them.
//!
//! While the whole report fits, it is the whole report. Once it would not, the report lists
//! only the deals with findings (their table rows and sections), in input order, as many as
//! fit; the deals without findings, and the deals with findings past the first that did not
//! fit, are counted in a last line ("… and N more deals not shown"). The head (the summary of
//! every deal) is always written. Room is kept for the longest head and last line the run
//! could have, so what is written never exceeds the limit.

use crate::resolve::Policy;

use super::caps::Caps;
use super::{markdown, DealReport, Summary};

/// What of one deal goes into the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    /// Its row in the table of every deal (the whole report).
    pub row: bool,
    /// Its row in the table of the deals with findings (the cut report).
    pub found_row: bool,
    /// Its section of findings (both).
    pub section: bool,
}

/// The cut so far.
#[derive(Debug, Default)]
pub struct Cut {
    /// The room for the head and the last line, once known (from the policy).
    reserve: Option<usize>,
    /// Characters and findings of the whole report so far (rows and sections).
    whole: (usize, usize),
    /// Characters and findings of the cut report so far.
    found: (usize, usize),
    /// The whole report does not fit: only deals with findings are listed.
    cut: bool,
    /// A deal with findings did not fit: no later deal is listed.
    closed: bool,
    /// The limit that cut the report: the characters (else the findings).
    by_chars: bool,
    /// Deals without findings (none of them is listed once the report is cut).
    clean: usize,
    /// Deals with findings not listed, by verdict, and their findings.
    hidden: Summary,
    hidden_findings: usize,
}

/// Which limit a part would break, if any.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fit {
    Fits,
    TooLong,
    TooMany,
}

/// Characters as GitHub counts them at most: UTF-16 code units.
pub fn chars(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0xBF => 0,
            0xF0..=0xFF => 2,
            _ => 1,
        })
        .sum()
}

impl Cut {
    /// The next deal, its table row and its section (empty when it has no findings): what of
    /// it the report shows. `caps` must be the same for every deal.
    pub fn add(
        &mut self,
        caps: &Caps,
        policy: &Policy,
        d: &DealReport,
        row: &[u8],
        section: &[u8],
    ) -> Shown {
        let found = !section.is_empty();
        self.clean += usize::from(!found);
        if caps.results.is_none() && caps.markdown_chars.is_none() {
            return Shown {
                row: true,
                found_row: false,
                section: found,
            };
        }
        let reserve = *self.reserve.get_or_insert_with(|| reserve(policy));
        // A section is preceded by a blank line, except the first.
        let size = chars(row) + chars(section) + usize::from(found);
        let findings = if found {
            markdown::findings_count(policy, d)
        } else {
            0
        };
        let fits = |(c, f): (usize, usize)| {
            if caps
                .markdown_chars
                .is_some_and(|max| c + size + reserve > max)
            {
                Fit::TooLong
            } else if caps.results.is_some_and(|max| f + findings > max) {
                Fit::TooMany
            } else {
                Fit::Fits
            }
        };
        if !self.cut {
            let fit = fits(self.whole);
            if fit == Fit::Fits {
                self.whole = (self.whole.0 + size, self.whole.1 + findings);
                if found {
                    self.found = (self.found.0 + size, self.found.1 + findings);
                }
                return Shown {
                    row: true,
                    found_row: found,
                    section: found,
                };
            }
            self.cut = true;
            self.by_chars = fit == Fit::TooLong;
        }
        let fit = if found && !self.closed {
            fits(self.found)
        } else {
            Fit::TooMany
        };
        let listed = found && fit == Fit::Fits;
        if listed {
            self.found = (self.found.0 + size, self.found.1 + findings);
        } else if found {
            if !self.closed {
                self.by_chars = fit == Fit::TooLong;
            }
            self.closed = true;
            self.hidden.add(d.verdict);
            self.hidden_findings += findings;
        }
        Shown {
            row: false,
            found_row: listed,
            section: listed,
        }
    }

    /// True once the report lists only the deals with findings.
    pub fn is_cut(&self) -> bool {
        self.cut
    }

    /// The last line of a cut report.
    pub fn note(&self, caps: &Caps) -> String {
        let limit = if self.by_chars {
            Limit::Chars(caps.markdown_chars.unwrap_or_default())
        } else {
            Limit::Findings(caps.results.unwrap_or_default())
        };
        note(self.clean, &self.hidden, self.hidden_findings, limit)
    }
}

/// The limit that cut a report.
enum Limit {
    Chars(usize),
    Findings(usize),
}

/// "… and N more deals not shown": the deals without findings, then those with findings that
/// did not fit, by verdict, and their findings.
fn note(clean: usize, hidden: &Summary, findings: usize, limit: Limit) -> String {
    let why = match limit {
        Limit::Chars(n) => format!("to keep this report within {n} characters"),
        Limit::Findings(n) => format!("to show at most {n} findings"),
    };
    let mut parts = Vec::new();
    if clean > 0 {
        parts.push(format!("{clean} without findings"));
    }
    if hidden.deals > 0 {
        let verdicts: Vec<String> = [
            (hidden.non_compliant, "non-compliant"),
            (hidden.incomplete, "incomplete"),
            (hidden.invalid, "invalid"),
            (hidden.compliant, "compliant"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, v)| format!("{n} {v}"))
        .collect();
        parts.push(format!(
            "{} with findings ({}), {findings} findings in all",
            hidden.deals,
            verdicts.join(", ")
        ));
    }
    format!(
        "\n*… and {} more deals not shown, {why} (`--max-results`): {}. The summary above \
         counts every deal.*\n",
        clean.saturating_add(hidden.deals),
        parts.join("; ")
    )
}

/// Room for the longest head and last line a run of `policy` can have, and the table and
/// findings headings.
fn reserve(policy: &Policy) -> usize {
    let most = Summary {
        deals: usize::MAX,
        compliant: usize::MAX,
        non_compliant: usize::MAX,
        incomplete: usize::MAX,
        invalid: usize::MAX,
        no_rule_applies: usize::MAX,
    };
    let head = markdown::head(policy, &most);
    let last = [Limit::Chars(usize::MAX), Limit::Findings(usize::MAX)]
        .into_iter()
        .map(|limit| chars(note(usize::MAX, &most, usize::MAX, limit).as_bytes()))
        .max()
        .unwrap_or_default();
    [head.as_str(), markdown::TABLE_HEAD, markdown::FINDINGS_HEAD]
        .iter()
        .map(|s| chars(s.as_bytes()))
        .sum::<usize>()
        + last
}

/// The whole batch as one Markdown document (`covenant check` streams it instead: see
/// [`super::stream`]).
pub fn report(policy: &Policy, deals: &[DealReport], summary: &Summary) -> String {
    report_within(policy, deals, summary, &Caps::NONE)
}

/// [`report`] within `caps`: cut as this module says.
pub fn report_within(
    policy: &Policy,
    deals: &[DealReport],
    summary: &Summary,
    caps: &Caps,
) -> String {
    let mut out = markdown::head(policy, summary);
    if deals.is_empty() {
        return out;
    }
    let mut cut = Cut::default();
    let (mut rows, mut found_rows, mut sections) = (String::new(), String::new(), String::new());
    for d in deals {
        let row = markdown::row(policy, d);
        let mut one = String::new();
        markdown::section(policy, d, &mut one);
        let shown = cut.add(caps, policy, d, row.as_bytes(), one.as_bytes());
        if shown.row {
            rows.push_str(&row);
        }
        if shown.found_row {
            found_rows.push_str(&row);
        }
        if shown.section {
            if !sections.is_empty() {
                sections.push('\n');
            }
            sections.push_str(&one);
        }
    }
    let rows = if cut.is_cut() { found_rows } else { rows };
    if !rows.is_empty() {
        out.push_str(markdown::TABLE_HEAD);
        out.push_str(&rows);
    }
    if !sections.is_empty() {
        out.push_str(markdown::FINDINGS_HEAD);
        out.push_str(&sections);
    }
    if cut.is_cut() {
        out.push_str(&cut.note(caps));
    }
    out
}
