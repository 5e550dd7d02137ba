//! Policy test suites (`*.test.yaml`, SPEC §5): finding them, reading one whole before any
//! case runs ([`load`]), and running its cases with the engine ([`Suite::run`]): each case's
//! outcomes against what it expects, and its full JSON report against a stored snapshot.
//! Nothing here writes to a terminal: `covenant test` renders what a run finds.

mod deal_text;
mod diag;
mod load;
mod prepared;
mod run;
pub mod snapshot;

use std::path::{Path, PathBuf};

pub use diag::SuiteError;
pub use load::{load, OUTCOMES};
pub use prepared::{slug, Case, Suite};
pub use run::{CaseRun, Mismatch, SnapshotCheck, Snapshots};

/// The suite files found under some paths.
#[derive(Debug, Default)]
pub struct Found {
    /// Each suite file, and its path as shown (without a leading `./`).
    pub suites: Vec<(PathBuf, String)>,
    /// Why a path gave no suites: it does not exist, or a folder cannot be listed.
    pub missing: Vec<String>,
}

/// Suite files under `paths`, in argument order, folders searched recursively and sorted;
/// hidden folders and `target` are skipped. A file named explicitly is a suite whatever its
/// name.
pub fn discover(paths: &[PathBuf]) -> Found {
    let mut suites = Vec::new();
    let mut missing = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            if let Err(e) = walk(p, &mut found) {
                missing.push(format!("cannot list `{}`: {e}", p.display()));
            }
            found.sort();
            suites.extend(found);
        } else if p.is_file() {
            suites.push(p.clone());
        } else {
            missing.push(format!("no such file or folder: `{}`", p.display()));
        }
    }
    let suites = suites
        .into_iter()
        .map(|p| {
            let d = p.strip_prefix(".").unwrap_or(&p).display().to_string();
            (p, d)
        })
        .collect();
    Found { suites, missing }
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if !name.starts_with('.') && name != "target" {
                walk(&entry.path(), found)?;
            }
        } else if name.ends_with(".test.yaml") || name.ends_with(".test.yml") {
            found.push(entry.path());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::outcome::Verdict;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("51/49 JV with onshore data is compliant", 0),
            "51-49-jv-with-onshore-data-is-compliant"
        );
        assert_eq!(slug("  US-CONTROL waiver!  ", 0), "us-control-waiver");
        assert_eq!(slug("Été ✓", 0), "été");
        assert_eq!(slug("✓✓", 2), "case-3");
    }

    /// A run hands back, per case, what it did not meet, as data.
    #[test]
    fn a_run_reports_each_unmet_expectation() {
        let root = crate::repo_root();
        let path = root.join("tests/fixtures/suites/wrong-expectation.suite.yaml");
        let limits = crate::limits::PolicyLimits::default();
        let Ok(suite) = load(&path, "wrong-expectation.suite.yaml", &limits) else {
            panic!("the suite does not load");
        };
        let mut runs = Vec::new();
        let removed = suite.run(Snapshots::Compare, &mut |run| {
            let missing = matches!(run.snapshot, Some(SnapshotCheck::Missing(_)));
            runs.push((run.case.slug.clone(), run.passed(), missing, run.mismatches));
        });
        assert!(removed.is_empty());
        let rule = |id: &str, expected, actual| Mismatch::Rule {
            id: id.into(),
            expected,
            actual,
        };
        let slugs: Vec<&str> = runs.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(slugs.first(), Some(&"right-about-the-51-49-deal"));
        assert!(runs
            .iter()
            .all(|(_, passed, missing, _)| !passed && *missing));
        let mismatches: Vec<&Vec<Mismatch>> = runs.iter().map(|r| &r.3).collect();
        assert_eq!(mismatches.first().map(|m| m.len()), Some(0));
        assert_eq!(
            mismatches.get(1).map(|m| m.as_slice()),
            Some(
                &[
                    rule("american-control", "pass", Some("fail")),
                    rule("foreign-minority", "pass", Some("fail")),
                    Mismatch::Verdict {
                        expected: Verdict::Compliant,
                        actual: Verdict::NonCompliant,
                    },
                ][..]
            )
        );
        assert_eq!(
            mismatches.get(2).map(|m| m.as_slice()),
            Some(&[rule("foreign-minority", "exempt", Some("pass"))][..])
        );
        assert_eq!(
            mismatches.get(3).map(|m| m.as_slice()),
            Some(
                &[
                    rule("feoc", "pass", None),
                    Mismatch::Verdict {
                        expected: Verdict::Compliant,
                        actual: Verdict::Invalid,
                    },
                ][..]
            )
        );
    }

    #[test]
    fn snapshot_folder_is_named_after_the_suite() {
        assert_eq!(
            snapshot::dir(Path::new("examples/tests/us-auto-jv.test.yaml")),
            Path::new("examples/tests/us-auto-jv.snapshots")
        );
        assert_eq!(
            snapshot::dir(Path::new("x.suite.yaml")),
            Path::new("x.suite.snapshots")
        );
    }
}
