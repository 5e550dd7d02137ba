//! `covenant test [PATH…]`: run policy test suites (`*.test.yaml`, SPEC §5).
//!
//! Every suite is read and checked whole ([`suite::load`]) before its cases run; a suite that
//! cannot be read, parsed, or whose policy does not compile is reported on stderr and counts
//! as an error (exit 2). Each case prints `✓ name` or `✗ name`; a failing case shows a table of
//! the expected and actual outcomes that differ, and, with `--snapshot`, a line diff of its
//! JSON report against the stored snapshot.

mod deal_text;
mod diag;
mod snapshot;
mod suite;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::deal::LoadOptions;
use crate::report::visible::visible;
use crate::report::{human, DealReport};
use crate::resolve::Policy;

use super::check::{check_text, Settings};
use super::style::Style;
use suite::{Case, Suite};

#[derive(clap::Args, Debug, Clone)]
pub struct TestArgs {
    /// Suite files or folders searched for `*.test.yaml` (default: the current folder).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Also compare each case's full JSON report with its stored snapshot.
    #[arg(long)]
    pub snapshot: bool,
    /// Rewrite the stored snapshots (implies `--snapshot`).
    #[arg(long)]
    pub accept: bool,
    /// Colour: auto, always or never.
    #[arg(long, default_value = "auto", value_name = "WHEN")]
    pub color: String,
    #[command(flatten)]
    pub limits: super::PolicyLimitArgs,
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    /// Suites that could not be run, and snapshot files that could not be written.
    errors: usize,
}

pub fn run(args: &TestArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let style = Style::from_flag(&args.color);
    let handler = human::handler(style.stderr());
    let Some(limits) = args.limits.resolve_or_report(err) else {
        return 2;
    };
    let mut tally = Tally::default();
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let (suites, missing) = discover(&paths);
    for m in &missing {
        let _ = writeln!(err, "error: {m}");
        tally.errors += 1;
    }
    if suites.is_empty() && missing.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        let _ = writeln!(
            err,
            "error: no test suite (`*.test.yaml`) found in {}",
            shown.join(", ")
        );
        return 2;
    }
    for (path, display) in &suites {
        let _ = writeln!(out, "{}", style.bold(&visible(display)));
        match suite::load(path, display, &limits) {
            Err(reports) => {
                for r in &reports {
                    let _ = err.write_all(human::render(&handler, r.as_ref()).as_bytes());
                }
                let n = crate::resolve::problem_count(&reports);
                let _ = writeln!(
                    out,
                    "  {} the suite cannot be run: {n} problem{} (shown above on stderr)",
                    style.red("!"),
                    if n == 1 { "" } else { "s" }
                );
                tally.errors += 1;
            }
            Ok(s) => run_suite(&s, path, args, &style, out, &mut tally),
        }
    }
    let mut line = format!("\n{} passed, {} failed", tally.passed, tally.failed);
    if tally.errors > 0 {
        let n = tally.errors;
        line.push_str(&format!(", {n} error{}", if n == 1 { "" } else { "s" }));
    }
    let _ = writeln!(out, "{line}");
    if tally.errors > 0 {
        2
    } else if tally.failed > 0 {
        1
    } else {
        0
    }
}

/// Suite files under `paths`, in argument order, folders searched recursively and sorted;
/// hidden folders and `target` are skipped. A file named explicitly is a suite whatever its
/// name. Also the paths that do not exist.
fn discover(paths: &[PathBuf]) -> (Vec<(PathBuf, String)>, Vec<String>) {
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
    let shown = suites
        .into_iter()
        .map(|p| {
            let d = p.strip_prefix(".").unwrap_or(&p).display().to_string();
            (p, d)
        })
        .collect();
    (shown, missing)
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

fn run_suite(
    s: &Suite,
    path: &Path,
    args: &TestArgs,
    style: &Style,
    out: &mut dyn Write,
    tally: &mut Tally,
) {
    let snapshots = snapshot::dir(path);
    for case in &s.cases {
        let report = run_case(&s.policy, case);
        let mut detail = outcome_table(&s.policy, case, &report);
        let mut ok = detail.is_empty();
        let mut note = "";
        if args.snapshot || args.accept {
            let file = snapshots.join(format!("{}.json", case.slug));
            let shown = shown_path(&file);
            let actual = snapshot::render(&s.policy, &report);
            match (snapshot::compare(&file, &actual, style), args.accept) {
                (snapshot::Compared::Same, _) => {}
                (compared, true) => match snapshot::write_atomic(&file, &actual) {
                    Ok(()) if matches!(compared, snapshot::Compared::Missing) => {
                        note = " (snapshot written)";
                    }
                    Ok(()) => note = " (snapshot updated)",
                    Err(e) => {
                        detail.push_str(&format!("cannot write snapshot `{shown}`: {e}\n"));
                        ok = false;
                        tally.errors += 1;
                    }
                },
                (snapshot::Compared::Missing, false) => {
                    detail.push_str(&format!(
                        "no snapshot `{shown}`: run `covenant test --snapshot --accept` to write it\n"
                    ));
                    ok = false;
                }
                (snapshot::Compared::Differs(diff), false) => {
                    detail.push_str(&format!(
                        "the report differs from snapshot `{shown}` (- stored, + actual; `--accept` rewrites it):\n{diff}"
                    ));
                    ok = false;
                }
            }
        }
        if ok {
            tally.passed += 1;
            let _ = writeln!(out, "  {} {}{note}", style.green("✓"), visible(&case.name));
        } else {
            tally.failed += 1;
            let _ = writeln!(out, "  {} {}{note}", style.red("✗"), visible(&case.name));
            for line in detail.lines() {
                let _ = writeln!(out, "      {line}");
            }
        }
    }
    if args.accept {
        let slugs: Vec<&str> = s.cases.iter().map(|c| c.slug.as_str()).collect();
        for stale in snapshot::stale(&snapshots, &slugs) {
            if std::fs::remove_file(&stale).is_ok() {
                let _ = writeln!(out, "  removed stale snapshot `{}`", shown_path(&stale));
            }
        }
    }
}

fn shown_path(p: &Path) -> String {
    visible(&p.strip_prefix(".").unwrap_or(p).display().to_string()).into_owned()
}

fn run_case(policy: &Policy, case: &Case) -> DealReport {
    let settings = Settings {
        as_of: case.as_of,
        deny_warnings: case.deny_warnings,
        load: LoadOptions {
            strict: case.strict,
            ..LoadOptions::default()
        },
        render: false,
        ..Settings::default()
    };
    let d = &case.deal;
    check_text(
        policy,
        d.source.clone(),
        d.path.clone(),
        d.first_line,
        d.format,
        &settings,
    )
}

/// A rule's outcome as a case names it: `exempt` for a pass by an exemption.
pub fn outcome_label(r: &crate::eval::outcome::RuleResult) -> &'static str {
    if r.exempt.is_some() {
        "exempt"
    } else {
        r.outcome.as_str()
    }
}

/// The expected and actual outcomes that differ, as a table; empty when the case passes.
fn outcome_table(policy: &Policy, case: &Case, report: &DealReport) -> String {
    let actual: HashMap<&str, &str> = report
        .results
        .iter()
        .filter_map(|r| {
            let rule = policy.rules.get(r.rule)?;
            Some((rule.id.as_str(), outcome_label(r)))
        })
        .collect();
    let mut rows: Vec<[&str; 3]> = Vec::new();
    for (id, want) in &case.rules {
        let got = actual.get(id.as_str()).copied().unwrap_or("—");
        // SPEC §3.1: an exempt rule's outcome is `pass` (marked exempt), so `pass` accepts it;
        // `exempt` asks for the exemption itself.
        if got != *want && !(*want == "pass" && got == "exempt") {
            rows.push([id, want, got]);
        }
    }
    if let Some(want) = case.verdict {
        if want != report.verdict {
            rows.push(["verdict", want.as_str(), report.verdict.as_str()]);
        }
    }
    if rows.is_empty() {
        return String::new();
    }
    rows.insert(0, ["rule", "expected", "actual"]);
    let w0 = rows.iter().map(|r| r[0].chars().count()).max().unwrap_or(0);
    let w1 = rows.iter().map(|r| r[1].chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for [a, b, c] in rows {
        out.push_str(&format!("{a:<w0$}  {b:<w1$}  {c}\n"));
    }
    out.push_str(&format!("deal: {}\n", visible(&case.deal.path)));
    for p in report.problems.iter().filter(|p| p.error) {
        let at = match (p.line, p.column) {
            (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
            _ => String::new(),
        };
        let message = visible(&p.message);
        out.push_str(&format!("  invalid: {message}{at} [{}]\n", p.code));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            suite::slug("51/49 JV with onshore data is compliant", 0),
            "51-49-jv-with-onshore-data-is-compliant"
        );
        assert_eq!(
            suite::slug("  US-CONTROL waiver!  ", 0),
            "us-control-waiver"
        );
        assert_eq!(suite::slug("Été ✓", 0), "été");
        assert_eq!(suite::slug("✓✓", 2), "case-3");
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

    #[test]
    fn line_diff_shows_hunks_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\ni\n";
        let d = snapshot::line_diff(old, new, &Style { color: false });
        assert_eq!(d, "@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n");
        let coloured = snapshot::line_diff(old, new, &Style { color: true });
        assert!(coloured.contains("\x1b[31m-e\x1b[0m"), "{coloured}");
        assert!(coloured.contains("\x1b[32m+E\x1b[0m"), "{coloured}");
        assert_eq!(snapshot::line_diff(old, old, &Style::default()), "");
    }
}
