//! `covenant test --format junit|json`: the results of every suite as one document, written
//! when the run ends (docs/reports.md, "covenant test").
//!
//! JUnit: a `<testsuite>` per suite file, a `<testcase>` per case (classname the suite, name
//! the case); a failing case is a `<failure>` whose text is what the human listing prints
//! under it, a suite that cannot be run is one testcase `load` with an `<error>`, a snapshot
//! that cannot be written an `<error>` of its case. Valid against the same two schemas as
//! `check --format junit` (`covenant::report::junit`).
//!
//! JSON: `{"suites": [{"path", "error", "problems", "cases": [{"name", "deal", "passed",
//! "verdict", "mismatches", "snapshot", "detail"}], "removed"}], "summary": {"passed",
//! "failed", "errors"}}`.

use std::fmt::Write as _;
use std::io::Write;

use serde_json::{json, Value};

use covenant::lint::Finding;
use covenant::report::junit::{self, escape_attr, escape_text};
use covenant::suite::{CaseRun, Mismatch, SnapshotCheck};

use super::{shown_path, Detail, Listing, Tally, TestFormat};

/// One case, as the documents say it.
struct CaseRecord {
    name: String,
    deal: String,
    passed: bool,
    verdict: &'static str,
    mismatches: Vec<Value>,
    snapshot: Option<Value>,
    /// Why it failed (the lines the human listing prints), or empty.
    detail: String,
    write_failed: bool,
}

/// One suite file: its cases, or why it could not be run.
struct SuiteRecord {
    path: String,
    /// "the suite cannot be run: N problems", and the problems.
    error: Option<(String, Vec<Finding>)>,
    cases: Vec<CaseRecord>,
    removed: Vec<String>,
}

/// The suites so far, written as one document by [`Listing::finish`].
pub struct Records<'o> {
    /// The suite files in order; a path that names none is a suite that could not be run.
    suites: Vec<SuiteRecord>,
    out: &'o mut dyn Write,
}

impl<'o> Records<'o> {
    pub fn new(out: &'o mut dyn Write) -> Records<'o> {
        Records {
            suites: Vec::new(),
            out,
        }
    }

    fn current(&mut self) -> Option<&mut SuiteRecord> {
        self.suites.last_mut()
    }
}

fn mismatch(m: &Mismatch) -> Value {
    match m {
        Mismatch::Rule {
            id,
            expected,
            actual,
        } => json!({"kind": "rule", "rule": id, "expected": expected, "actual": actual}),
        Mismatch::Verdict { expected, actual } => json!({
            "kind": "verdict", "expected": expected.as_str(), "actual": actual.as_str()
        }),
    }
}

fn snapshot(check: &SnapshotCheck) -> Value {
    let (status, file) = match check {
        SnapshotCheck::Same => return json!({"status": "same"}),
        SnapshotCheck::Missing(f) => ("missing", f),
        SnapshotCheck::Differs { file, .. } => ("differs", file),
        SnapshotCheck::Written(f) => ("written", f),
        SnapshotCheck::Updated(f) => ("updated", f),
        SnapshotCheck::WriteFailed(f, e) => {
            return json!({"status": "write-failed", "file": shown_path(f), "error": e.to_string()})
        }
    };
    json!({"status": status, "file": shown_path(file)})
}

impl Listing for Records<'_> {
    fn missing(&mut self, what: &str) {
        self.suites.push(SuiteRecord {
            path: what.to_string(),
            error: Some((what.to_string(), Vec::new())),
            cases: Vec::new(),
            removed: Vec::new(),
        });
    }

    fn suite(&mut self, display: &str) {
        self.suites.push(SuiteRecord {
            path: display.to_string(),
            error: None,
            cases: Vec::new(),
            removed: Vec::new(),
        });
    }

    fn unrunnable(&mut self, n: usize, problems: Vec<Finding>) {
        let what = format!(
            "the suite cannot be run: {n} problem{}",
            if n == 1 { "" } else { "s" }
        );
        if let Some(s) = self.current() {
            s.error = Some((what, problems));
        }
    }

    fn case(&mut self, run: &CaseRun<'_>, detail: &Detail) {
        let record = CaseRecord {
            name: run.case.name.clone(),
            deal: run.case.deal.path.clone(),
            passed: run.passed(),
            verdict: run.report.verdict.as_str(),
            mismatches: run.mismatches.iter().map(mismatch).collect(),
            snapshot: run.snapshot.as_ref().map(snapshot),
            detail: detail.text.clone(),
            write_failed: detail.write_failed,
        };
        if let Some(s) = self.current() {
            s.cases.push(record);
        }
    }

    fn removed(&mut self, path: &str) {
        if let Some(s) = self.current() {
            s.removed.push(path.to_string());
        }
    }

    fn finish(&mut self, tally: &Tally, format: TestFormat) {
        let text = match format {
            TestFormat::Json => json_document(self, tally),
            TestFormat::Junit | TestFormat::Human => junit_document(self),
        };
        let _ = self.out.write_all(text.as_bytes());
    }
}

fn problem(f: &Finding) -> Value {
    json!({
        "code": f.code,
        "message": f.message,
        "file": f.file,
        "line": f.line,
        "column": f.column,
    })
}

fn json_document(r: &Records<'_>, tally: &Tally) -> String {
    let suites: Vec<Value> = r
        .suites
        .iter()
        .map(|s| {
            let cases: Vec<Value> = s
                .cases
                .iter()
                .map(|c| {
                    json!({
                        "name": c.name,
                        "deal": c.deal,
                        "passed": c.passed,
                        "verdict": c.verdict,
                        "mismatches": c.mismatches,
                        "snapshot": c.snapshot,
                        "detail": c.detail,
                    })
                })
                .collect();
            json!({
                "path": s.path,
                "error": s.error.as_ref().map(|e| &e.0),
                "problems": s.error.as_ref().map_or(Vec::new(), |e| e.1.iter().map(problem).collect()),
                "cases": cases,
                "removed": s.removed,
            })
        })
        .collect();
    let document = json!({
        "suites": suites,
        "summary": {"passed": tally.passed, "failed": tally.failed, "errors": tally.errors},
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// What a suite's cases count, as `tests failures errors skipped`.
fn counts(s: &SuiteRecord) -> String {
    let (tests, failures, errors) = match &s.error {
        Some(_) => (1, 0, 1),
        None => {
            let errors = s.cases.iter().filter(|c| c.write_failed).count();
            let failures = s
                .cases
                .iter()
                .filter(|c| !c.passed && !c.write_failed)
                .count();
            (s.cases.len(), failures, errors)
        }
    };
    format!("tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\"")
}

/// The `<testcase>` of one case.
fn testcase(suite: &str, c: &CaseRecord, out: &mut String) {
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\" time=\"0\"",
        escape_attr(suite),
        escape_attr(&c.name)
    );
    if c.passed {
        out.push_str("/>\n");
        return;
    }
    let (tag, kind) = if c.write_failed {
        ("error", "snapshot-not-written")
    } else {
        ("failure", "case-failed")
    };
    let first = c.detail.lines().next().unwrap_or("the case failed");
    let _ = write!(
        out,
        ">\n      <{tag} message=\"{}\" type=\"{kind}\">{}</{tag}>\n    </testcase>\n",
        escape_attr(first),
        escape_text(c.detail.trim_end())
    );
}

fn junit_document(r: &Records<'_>) -> String {
    let timestamp = junit::timestamp(jiff::ZonedDateTime::now().date());
    let mut out = String::from(junit::HEAD);
    for (id, s) in r.suites.iter().enumerate() {
        out.push_str(&junit::open(id));
        let _ = writeln!(
            out,
            " name=\"{name}\" package=\"{name}\" timestamp=\"{timestamp}\" hostname=\"localhost\" {} time=\"0\">",
            counts(s),
            name = escape_attr(&s.path)
        );
        out.push_str("    <properties/>\n");
        let mut notes = String::new();
        match &s.error {
            Some((what, problems)) => {
                let lines: String = problems
                    .iter()
                    .map(|p| format!("{}: {}\n", p.code, p.message))
                    .collect();
                let kind = problems
                    .first()
                    .map_or("suite-not-run", |p| p.code.as_str());
                let _ = write!(
                    out,
                    "    <testcase classname=\"{}\" name=\"load\" time=\"0\">\n      <error message=\"{}\" type=\"{}\">{}</error>\n    </testcase>\n",
                    escape_attr(&s.path),
                    escape_attr(what),
                    escape_attr(kind),
                    escape_text(lines.trim_end())
                );
            }
            None => {
                for c in &s.cases {
                    testcase(&s.path, c, &mut out);
                }
            }
        }
        for removed in &s.removed {
            let _ = writeln!(notes, "removed stale snapshot `{removed}`");
        }
        junit::close_suite(&notes, &mut out);
    }
    out.push_str(junit::TAIL);
    out
}
