//! `covenant test [PATH…]`: run policy test suites (`*.test.yaml`, SPEC §5).
//!
//! Every suite is read and checked whole ([`suite::load`]) before its cases run; a suite that
//! cannot be read, parsed, or whose policy does not compile is reported on stderr and counts
//! as an error (exit 2). Each case prints `✓ name` or `✗ name`; a failing case shows a table of
//! the expected and actual outcomes that differ, and, with `--snapshot`, a line diff of its
//! JSON report against the stored snapshot. The suites run in the library ([`covenant::suite`]);
//! this is their rendering. `--format junit|json` writes the same results as one document at
//! the end (`test/report.rs`, docs/reports.md).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use similar::{ChangeTag, TextDiff};

use covenant::report::human;
use covenant::report::visible::visible;
use covenant::suite::{self, CaseRun, Mismatch, SnapshotCheck, Snapshots, Suite};

use covenant::report::style::Style;

use super::style;

#[path = "test/report.rs"]
mod report;

/// `covenant test --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// `✓ name` / `✗ name` per case, as the suites run.
    Human,
    /// JUnit XML: a `<testsuite>` per suite file, a `<testcase>` per case.
    Junit,
    /// One JSON document: every suite, case and mismatch (docs/reports.md).
    Json,
}

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
    /// Count `proposed` and `reported` rules in every case, as `include_proposed: true` does
    /// (SPEC §12).
    #[arg(long)]
    pub include_proposed: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: TestFormat,
    /// Colour.
    #[arg(long, value_enum, default_value_t, value_name = "WHEN")]
    pub color: style::ColorWhen,
    #[command(flatten)]
    pub limits: super::limits::PolicyLimitArgs,
}

/// Cases passed and failed, and errors: suites that could not be run, snapshot files that could
/// not be written.
#[derive(Default)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
}

impl Tally {
    fn exit_code(&self) -> u8 {
        if self.errors > 0 {
            2
        } else if self.failed > 0 {
            1
        } else {
            0
        }
    }
}

pub fn run(args: &TestArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    // The JUnit and JSON documents are never coloured (their diffs included).
    let style = match args.format {
        TestFormat::Human => style::from_flag(args.color),
        TestFormat::Junit | TestFormat::Json => Style::default(),
    };
    let handler = human::handler(style::stderr(style));
    let Some(limits) = args.limits.resolve_or_report(err) else {
        return 2;
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let suite::Found { suites, missing } = suite::discover(&paths);
    if suites.is_empty() && missing.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        let _ = writeln!(
            err,
            "error: no test suite (`*.test.yaml`) found in {}",
            shown.join(", ")
        );
        return 2;
    }
    let mut listing: Box<dyn Listing + '_> = match args.format {
        TestFormat::Human => Box::new(HumanListing { style, out }),
        TestFormat::Junit | TestFormat::Json => Box::new(report::Records::new(out)),
    };
    let mut tally = Tally::default();
    for m in &missing {
        let _ = writeln!(err, "error: {m}");
        listing.missing(m);
        tally.errors += 1;
    }
    for (path, display) in &suites {
        listing.suite(display);
        match suite::load(path, display, &limits) {
            Err(reports) => {
                for r in &reports {
                    let _ = err.write_all(human::render(&handler, r.as_ref()).as_bytes());
                }
                let n = covenant::resolve::problem_count(&reports);
                listing.unrunnable(n, covenant::lint::Finding::from_reports(reports));
                tally.errors += 1;
            }
            Ok(s) => {
                // Warnings of the policy (`covenant::lint::shadowed-item`, …) never change a result.
                for w in &s.warnings {
                    let _ = err.write_all(human::render(&handler, w.as_ref()).as_bytes());
                }
                let s = if args.include_proposed {
                    s.including_proposed()
                } else {
                    s
                };
                run_suite(&s, args, &style, listing.as_mut(), &mut tally)
            }
        }
    }
    listing.finish(&tally, args.format);
    tally.exit_code()
}

/// Where the results of the suites go as they run: printed (human), or kept for one document
/// at the end (JUnit, JSON).
pub trait Listing {
    /// A path that names no suite.
    fn missing(&mut self, what: &str);
    /// The next suite file, before its cases.
    fn suite(&mut self, display: &str);
    /// The suite cannot be run: `n` problems, shown on stderr.
    fn unrunnable(&mut self, n: usize, problems: Vec<covenant::lint::Finding>);
    /// A case that ran, with what [`case_detail`] says of it.
    fn case(&mut self, run: &CaseRun<'_>, detail: &Detail);
    /// A stale snapshot removed by `--accept`.
    fn removed(&mut self, path: &str);
    /// The end of the run.
    fn finish(&mut self, tally: &Tally, format: TestFormat);
}

struct HumanListing<'o> {
    style: Style,
    out: &'o mut dyn Write,
}

impl Listing for HumanListing<'_> {
    fn missing(&mut self, _: &str) {}

    fn suite(&mut self, display: &str) {
        let _ = writeln!(self.out, "{}", self.style.bold(&visible(display)));
    }

    fn unrunnable(&mut self, n: usize, _: Vec<covenant::lint::Finding>) {
        let _ = writeln!(
            self.out,
            "  {} the suite cannot be run: {n} problem{} (shown above on stderr)",
            self.style.red("!"),
            if n == 1 { "" } else { "s" }
        );
    }

    fn case(&mut self, run: &CaseRun<'_>, detail: &Detail) {
        let name = visible(&run.case.name);
        if run.passed() {
            let _ = writeln!(
                self.out,
                "  {} {name}{}",
                self.style.green("✓"),
                detail.note
            );
        } else {
            let _ = writeln!(self.out, "  {} {name}{}", self.style.red("✗"), detail.note);
            for line in detail.text.lines() {
                let _ = writeln!(self.out, "      {line}");
            }
        }
    }

    fn removed(&mut self, path: &str) {
        let _ = writeln!(self.out, "  removed stale snapshot `{path}`");
    }

    fn finish(&mut self, tally: &Tally, _: TestFormat) {
        let mut line = format!("\n{} passed, {} failed", tally.passed, tally.failed);
        if tally.errors > 0 {
            let n = tally.errors;
            line.push_str(&format!(", {n} error{}", if n == 1 { "" } else { "s" }));
        }
        let _ = writeln!(self.out, "{line}");
    }
}

fn run_suite(
    s: &Suite,
    args: &TestArgs,
    style: &Style,
    listing: &mut dyn Listing,
    tally: &mut Tally,
) {
    let snapshots = if args.accept {
        Snapshots::Accept
    } else if args.snapshot {
        Snapshots::Compare
    } else {
        Snapshots::Ignore
    };
    let removed = s.run(snapshots, &mut |case| {
        let detail = case_detail(&case, style);
        if detail.write_failed {
            tally.errors += 1;
        }
        if case.passed() {
            tally.passed += 1;
        } else {
            tally.failed += 1;
        }
        listing.case(&case, &detail);
    });
    for stale in removed {
        listing.removed(&shown_path(&stale));
    }
}

/// What is said of a case besides its name: why it failed (the outcomes that differ, the
/// snapshot that differs), and a note on its snapshot.
pub struct Detail {
    /// Lines, empty when the case passed.
    pub text: String,
    /// ` (snapshot written)`, ` (snapshot updated)` or empty.
    pub note: &'static str,
    /// Its snapshot could not be written (an error of the run).
    pub write_failed: bool,
}

fn case_detail(run: &CaseRun<'_>, style: &Style) -> Detail {
    let mut text = outcome_table(run);
    let mut note = "";
    let mut write_failed = false;
    match &run.snapshot {
        None | Some(SnapshotCheck::Same) => {}
        Some(SnapshotCheck::Written(_)) => note = " (snapshot written)",
        Some(SnapshotCheck::Updated(_)) => note = " (snapshot updated)",
        Some(SnapshotCheck::WriteFailed(file, e)) => {
            let shown = shown_path(file);
            text.push_str(&format!("cannot write snapshot `{shown}`: {e}\n"));
            write_failed = true;
        }
        Some(SnapshotCheck::Missing(file)) => {
            let shown = shown_path(file);
            text.push_str(&format!(
                "no snapshot `{shown}`: run `covenant test --snapshot --accept` to write it\n"
            ));
        }
        Some(SnapshotCheck::Differs {
            file,
            stored,
            actual,
        }) => {
            let shown = shown_path(file);
            let diff = line_diff(stored, actual, style);
            text.push_str(&format!(
                "the report differs from snapshot `{shown}` (- stored, + actual; `--accept` rewrites it):\n{diff}"
            ));
        }
    }
    Detail {
        text,
        note,
        write_failed,
    }
}

fn shown_path(p: &Path) -> String {
    visible(&p.strip_prefix(".").unwrap_or(p).display().to_string()).into_owned()
}

/// The expected and actual outcomes that differ, as a table; empty when the case passes.
fn outcome_table(run: &CaseRun<'_>) -> String {
    let mut rows: Vec<[&str; 3]> = run
        .mismatches
        .iter()
        .map(|m| match m {
            Mismatch::Rule {
                id,
                expected,
                actual,
            } => [id.as_str(), expected, actual.unwrap_or("—")],
            Mismatch::Verdict { expected, actual } => {
                ["verdict", expected.as_str(), actual.as_str()]
            }
        })
        .collect();
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
    out.push_str(&format!("deal: {}\n", visible(&run.case.deal.path)));
    for p in run.report.problems.iter().filter(|p| p.error) {
        let at = match (p.line, p.column) {
            (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
            _ => String::new(),
        };
        let message = visible(&p.message);
        out.push_str(&format!("  invalid: {message}{at} [{}]\n", p.code));
    }
    out
}

/// A unified line diff (`-` stored, `+` actual) with three lines of context, hunks headed by
/// `@@ -a,b +c,d @@`.
pub fn line_diff(old: &str, new: &str, style: &Style) -> String {
    let diff = TextDiff::from_lines(old, new);
    let mut out = String::new();
    for group in diff.grouped_ops(3) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let (o, n) = (first.old_range().start, first.new_range().start);
        let (o_len, n_len) = (last.old_range().end - o, last.new_range().end - n);
        out.push_str(&style.dim(&format!("@@ -{},{o_len} +{},{n_len} @@", o + 1, n + 1)));
        out.push('\n');
        for op in &group {
            for change in diff.iter_changes(op) {
                let text = change.value().trim_end_matches('\n');
                let line = match change.tag() {
                    ChangeTag::Equal => format!(" {text}"),
                    ChangeTag::Delete => style.red(&format!("-{text}")),
                    ChangeTag::Insert => style.green(&format!("+{text}")),
                };
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_diff_shows_hunks_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\ni\n";
        let d = line_diff(old, new, &Style { color: false });
        assert_eq!(d, "@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n");
        let coloured = line_diff(old, new, &Style { color: true });
        assert!(coloured.contains("\x1b[31m-e\x1b[0m"), "{coloured}");
        assert!(coloured.contains("\x1b[32m+E\x1b[0m"), "{coloured}");
        assert_eq!(line_diff(old, old, &Style::default()), "");
    }
}
