//! Running a suite's cases with the engine: each case's outcomes against what it expects,
//! and, when asked, its full JSON report against the stored snapshot (or written as it).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::check::{outcome_label, Engine, Settings};
use crate::deal::LoadOptions;
use crate::eval::outcome::Verdict;
use crate::report::DealReport;

use super::prepared::{Case, Suite};
use super::snapshot;

/// What a run does with each case's snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Snapshots {
    /// Snapshots are not looked at.
    Ignore,
    /// Each case's report must be its stored snapshot.
    Compare,
    /// Each case's report is written as its snapshot, where it differs or is missing; the
    /// snapshots of cases that are gone are removed.
    Accept,
}

/// An expectation of a case that its report does not meet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// A rule's outcome; `actual` is None when the report has no outcome for the rule (an
    /// invalid deal).
    Rule {
        id: String,
        expected: &'static str,
        actual: Option<&'static str>,
    },
    Verdict {
        expected: Verdict,
        actual: Verdict,
    },
}

/// How a case's report compares with its snapshot.
#[derive(Debug)]
pub enum SnapshotCheck {
    /// The report is the stored snapshot.
    Same,
    /// No snapshot is stored.
    Missing(PathBuf),
    /// The stored snapshot differs from the report (`actual`, rendered).
    Differs {
        file: PathBuf,
        stored: String,
        actual: String,
    },
    /// The snapshot was missing, and is now written.
    Written(PathBuf),
    /// The snapshot differed, and is now rewritten.
    Updated(PathBuf),
    /// The snapshot could not be written.
    WriteFailed(PathBuf, std::io::Error),
}

/// One case run: its report, what it did not meet, and its snapshot.
pub struct CaseRun<'s> {
    pub case: &'s Case,
    pub report: DealReport,
    pub mismatches: Vec<Mismatch>,
    /// None when snapshots are ignored.
    pub snapshot: Option<SnapshotCheck>,
}

impl CaseRun<'_> {
    /// The case passes: every expectation met, its snapshot the same (or written).
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty()
            && matches!(
                self.snapshot,
                None | Some(
                    SnapshotCheck::Same | SnapshotCheck::Written(_) | SnapshotCheck::Updated(_)
                )
            )
    }
}

impl Suite {
    /// Check one case's deal against the suite's policy, with the case's settings.
    pub fn run_case(&self, case: &Case) -> DealReport {
        let settings = Settings {
            as_of: case.as_of,
            deny_warnings: case.deny_warnings,
            include_proposed: case.include_proposed,
            load: LoadOptions {
                strict: case.strict,
                ..LoadOptions::default()
            },
            ..Settings::default()
        };
        Engine::new(Arc::clone(&self.policy), settings).check_document(case.deal.clone())
    }

    /// Run every case in order, handing each to `each` as it is done; the stale snapshots
    /// removed (only when accepting).
    pub fn run(&self, snapshots: Snapshots, each: &mut dyn FnMut(CaseRun<'_>)) -> Vec<PathBuf> {
        let folder = snapshot::dir(&self.path);
        for case in &self.cases {
            let report = self.run_case(case);
            let mismatches = mismatches(self, case, &report);
            let snapshot = match snapshots {
                Snapshots::Ignore => None,
                Snapshots::Compare | Snapshots::Accept => {
                    let file = folder.join(format!("{}.json", case.slug));
                    let actual = snapshot::render(&self.policy, &report);
                    Some(check_snapshot(file, actual, snapshots == Snapshots::Accept))
                }
            };
            each(CaseRun {
                case,
                report,
                mismatches,
                snapshot,
            });
        }
        if snapshots != Snapshots::Accept {
            return Vec::new();
        }
        let slugs: Vec<&str> = self.cases.iter().map(|c| c.slug.as_str()).collect();
        snapshot::stale(&folder, &slugs)
            .into_iter()
            .filter(|stale| std::fs::remove_file(stale).is_ok())
            .collect()
    }
}

fn check_snapshot(file: PathBuf, actual: String, accept: bool) -> SnapshotCheck {
    match (snapshot::compare(&file, &actual), accept) {
        (snapshot::Compared::Same, _) => SnapshotCheck::Same,
        (compared, true) => match snapshot::write_atomic(&file, &actual) {
            Ok(()) if matches!(compared, snapshot::Compared::Missing) => {
                SnapshotCheck::Written(file)
            }
            Ok(()) => SnapshotCheck::Updated(file),
            Err(e) => SnapshotCheck::WriteFailed(file, e),
        },
        (snapshot::Compared::Missing, false) => SnapshotCheck::Missing(file),
        (snapshot::Compared::Differs(stored), false) => SnapshotCheck::Differs {
            file,
            stored,
            actual,
        },
    }
}

/// The expected outcomes, then the verdict, that the report does not meet.
fn mismatches(suite: &Suite, case: &Case, report: &DealReport) -> Vec<Mismatch> {
    let actual: HashMap<&str, &'static str> = report
        .results
        .iter()
        .filter_map(|r| {
            let rule = suite.policy.rules.get(r.rule)?;
            Some((rule.id.as_str(), outcome_label(r)))
        })
        .collect();
    let mut out = Vec::new();
    for (id, expected) in &case.rules {
        let got = actual.get(id.as_str()).copied();
        // SPEC §3.1: an exempt rule's outcome is `pass` (marked exempt), so `pass` accepts it;
        // `exempt` asks for the exemption itself.
        let met = got == Some(*expected) || (*expected == "pass" && got == Some("exempt"));
        if !met {
            out.push(Mismatch::Rule {
                id: id.clone(),
                expected,
                actual: got,
            });
        }
    }
    match case.verdict {
        Some(expected) if expected != report.verdict => out.push(Mismatch::Verdict {
            expected,
            actual: report.verdict,
        }),
        _ => {}
    }
    out
}
