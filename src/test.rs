//! `covenant test [PATH…]`: run policy test suites (`*.test.yaml`, SPEC §5).
//!
//! Every suite is read and checked whole ([`suite::load`]) before its cases run; a suite that
//! cannot be read, parsed, or whose policy does not compile is reported on stderr and counts
//! as an error (exit 2). Each case prints `✓ name` or `✗ name`; a failing case shows a table of
//! the expected and actual outcomes that differ, and, with `--snapshot`, a line diff of its
//! JSON report against the stored snapshot. The suites run in the library ([`covenant::suite`]);
//! this is their rendering.

use std::io::Write;
use std::path::{Path, PathBuf};

use similar::{ChangeTag, TextDiff};

use covenant::report::human;
use covenant::report::visible::visible;
use covenant::suite::{self, CaseRun, Mismatch, SnapshotCheck, Snapshots, Suite};

use covenant::report::style::Style;

use super::style;

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
    /// Colour.
    #[arg(long, value_enum, default_value_t, value_name = "WHEN")]
    pub color: style::ColorWhen,
    #[command(flatten)]
    pub limits: super::limits::PolicyLimitArgs,
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    /// Suites that could not be run, and snapshot files that could not be written.
    errors: usize,
}

pub fn run(args: &TestArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let style = style::from_flag(args.color);
    let handler = human::handler(style::stderr(style));
    let Some(limits) = args.limits.resolve_or_report(err) else {
        return 2;
    };
    let mut tally = Tally::default();
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let suite::Found { suites, missing } = suite::discover(&paths);
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
                let n = covenant::resolve::problem_count(&reports);
                let _ = writeln!(
                    out,
                    "  {} the suite cannot be run: {n} problem{} (shown above on stderr)",
                    style.red("!"),
                    if n == 1 { "" } else { "s" }
                );
                tally.errors += 1;
            }
            Ok(s) => {
                // Warnings of the policy (`covenant::lint::shadowed-item`) never change a result.
                for w in &s.warnings {
                    let _ = err.write_all(human::render(&handler, w.as_ref()).as_bytes());
                }
                let s = if args.include_proposed {
                    s.including_proposed()
                } else {
                    s
                };
                run_suite(&s, args, &style, out, &mut tally)
            }
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

fn run_suite(s: &Suite, args: &TestArgs, style: &Style, out: &mut dyn Write, tally: &mut Tally) {
    let snapshots = if args.accept {
        Snapshots::Accept
    } else if args.snapshot {
        Snapshots::Compare
    } else {
        Snapshots::Ignore
    };
    let removed = s.run(snapshots, &mut |case| show_case(&case, style, out, tally));
    for stale in removed {
        let _ = writeln!(out, "  removed stale snapshot `{}`", shown_path(&stale));
    }
}

/// `✓ name`, or `✗ name` and why: the outcomes that differ, the snapshot that differs.
fn show_case(run: &CaseRun<'_>, style: &Style, out: &mut dyn Write, tally: &mut Tally) {
    let mut detail = outcome_table(run);
    let mut note = "";
    match &run.snapshot {
        None | Some(SnapshotCheck::Same) => {}
        Some(SnapshotCheck::Written(_)) => note = " (snapshot written)",
        Some(SnapshotCheck::Updated(_)) => note = " (snapshot updated)",
        Some(SnapshotCheck::WriteFailed(file, e)) => {
            let shown = shown_path(file);
            detail.push_str(&format!("cannot write snapshot `{shown}`: {e}\n"));
            tally.errors += 1;
        }
        Some(SnapshotCheck::Missing(file)) => {
            let shown = shown_path(file);
            detail.push_str(&format!(
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
            detail.push_str(&format!(
                "the report differs from snapshot `{shown}` (- stored, + actual; `--accept` rewrites it):\n{diff}"
            ));
        }
    }
    let name = visible(&run.case.name);
    if run.passed() {
        tally.passed += 1;
        let _ = writeln!(out, "  {} {name}{note}", style.green("✓"));
    } else {
        tally.failed += 1;
        let _ = writeln!(out, "  {} {name}{note}", style.red("✗"));
        for line in detail.lines() {
            let _ = writeln!(out, "      {line}");
        }
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
