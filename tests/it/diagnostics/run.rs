//! One runner per phase: the fixture's input through the entry point that reports the
//! phase's diagnostics, what it reported, and the text its snapshot holds. Each runner also
//! checks what is true of every fixture of its phase (spans inside the source, exit codes).

use std::path::{Path, PathBuf};

use covenant::deal::{format_of, load, DealErrors, LoadOptions};
use covenant::report::human;
use covenant::schema::Schema;
use covenant::source::SourceFile;
use covenant::syntax::{parse, ParseErrors};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

use super::expect::{Match, Reported};
use crate::diagnostics_reference::codes_in;
use crate::support::covenant;

/// What a phase reported for a fixture.
pub struct Run {
    pub reported: Vec<Reported>,
    pub snapshot: String,
    pub how: Match,
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text under the primary label of a diagnostic (the first label if none is primary),
/// read from `text`.
fn underlined_in(text: &str, d: &dyn Diagnostic) -> Option<String> {
    let labels: Vec<_> = d.labels()?.collect();
    let label = labels.iter().find(|l| l.primary()).or(labels.first())?;
    Some(text[label.offset()..label.offset() + label.len()].to_string())
}

/// The text under the primary label of a diagnostic (the first if none is primary), read
/// from its own source.
fn underlined(d: &dyn Diagnostic) -> Option<String> {
    let labels: Vec<_> = d.labels()?.collect();
    let label = labels.iter().find(|l| l.primary()).or(labels.first())?;
    let span = d.source_code()?.read_span(label.inner(), 0, 0).ok()?;
    Some(String::from_utf8_lossy(span.data()).into_owned())
}

fn reported(d: &dyn Diagnostic, underlined: Option<String>) -> Reported {
    Reported {
        code: d.code().map(|c| c.to_string()).unwrap_or_default(),
        underlined,
        message: d.to_string(),
        help: d.help().map(|h| h.to_string()),
    }
}

/// `syntax/NAME.policy`: `covenant::syntax::parse`, which must fail. The source is named by
/// its file name.
pub fn syntax(path: &Path) -> Run {
    let text = read(path);
    let name = file_name(path);
    let errors = match parse(&SourceFile::new(name.clone(), text.clone())) {
        Ok(_) => panic!("{name} parsed but should fail"),
        Err(e) => e,
    };
    let reported = errors
        .iter()
        .map(|e| {
            let under = underlined_in(&text, e).unwrap_or_else(|| panic!("{name}: no label"));
            self::reported(e, Some(under))
        })
        .collect();
    Run {
        reported,
        snapshot: render_parse_errors(&errors),
        how: Match::Exact,
    }
}

fn render_parse_errors(errors: &ParseErrors) -> String {
    let mut out = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .render_report(&mut out, errors)
        .unwrap();
    out
}

/// `resolve/…` and `typeck/…`, a `.policy` file or a folder of them:
/// `covenant::resolve::compile`, which must fail.
pub fn compile(path: &Path) -> Run {
    let diags = match covenant::resolve::compile(&[path.to_path_buf()]) {
        Ok(_) => panic!("{} compiled, but should not", path.display()),
        Err(d) => d,
    };
    let handler = human::handler(false);
    Run {
        reported: diags.iter().map(|d| reported(d, underlined(d))).collect(),
        snapshot: diags.iter().map(|d| human::render(&handler, d)).collect(),
        how: Match::First,
    }
}

/// `deal/NAME.{yaml,json,toml}`: `covenant::deal::load` with the standard schema, the source
/// named `deal/NAME`. A deal that does not load reports `covenant::deal::invalid`, holding its
/// errors; one that loads, its warnings. A folder (a policy, maybe its schema, and a deal) runs
/// through `covenant check`, as the codes that need a policy are only found there.
pub fn deal(path: &Path) -> Run {
    if path.is_dir() {
        return check(path);
    }
    let file = file_name(path);
    let text = read(path);
    let format = format_of(path).unwrap_or_else(|| panic!("{file}: unknown format"));
    let source = SourceFile::new(format!("deal/{file}"), text.clone());
    let options = LoadOptions::default();
    let (failure, diagnostics) = match load(
        source,
        file.clone(),
        1,
        format,
        &Schema::standard(),
        &options,
    ) {
        Err(e) => {
            assert!(e.warnings.is_empty(), "{file}: unexpected warnings");
            (Some(failure(&e)), e.errors)
        }
        // An unknown key and a stake total are warnings: the deal loads.
        Ok(loaded) => (None, loaded.warnings),
    };
    for d in &diagnostics {
        for span in std::iter::once(d.span()).chain(d.secondary().map(|s| s.0)) {
            assert!(
                span.start <= span.end && span.end <= text.len(),
                "{file}: {span:?}"
            );
            assert!(text.get(span.start..span.end).is_some(), "{file}: {span:?}");
        }
    }
    let reported = failure
        .into_iter()
        .chain(diagnostics.iter().map(|d| {
            let under = text[d.span().start..d.span().end].to_string();
            reported(d, Some(under))
        }))
        .collect();
    let snapshot = diagnostics.iter().map(render_deal_error).collect();
    Run {
        reported,
        snapshot,
        how: Match::Exact,
    }
}

fn failure(e: &DealErrors) -> Reported {
    Reported {
        underlined: None,
        ..reported(e, None)
    }
}

fn render_deal_error(e: &covenant::deal::DealError) -> String {
    let mut out = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut out, e)
        .unwrap();
    out
}

/// The day `lint` runs on: expired windows depend on it.
pub fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 6, 1)
}

/// `lint/NAME.policy`: `covenant::lint::lint`, today being 2026-06-01. The snapshot is the
/// human report after its exit code.
pub fn lint(path: &Path) -> Run {
    let name = file_name(path);
    let text = read(path);
    let report = covenant::lint::lint(&[path.to_path_buf()], today());
    // A fixture is named after the code it shows (or is the clean one).
    let stem = name.trim_end_matches(".policy");
    assert!(
        stem == "clean"
            || report.findings.iter().any(|f| {
                let phase_name = f.code.trim_start_matches("covenant::").replace("::", "-");
                let name = f.code.rsplit("::").next().unwrap_or_default();
                stem.starts_with(name) || stem.starts_with(&phase_name)
            }),
        "{name} shows no finding of its code"
    );
    for f in &report.findings {
        let span = f.span.expect("a span");
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "{name}: {f:?}"
        );
        assert_eq!(f.file.as_deref(), path.to_str());
        assert!(
            f.help.is_some() || !f.code.starts_with("covenant::lint::"),
            "{name}"
        );
    }
    let handler = human::handler(false);
    let snapshot = format!(
        "exit {}\n{}",
        report.exit_code(),
        covenant::lint::output::human(&report, &handler)
    );
    Run {
        reported: report
            .findings
            .iter()
            .map(|f| Reported {
                code: f.code.clone(),
                underlined: f.underlined.clone(),
                message: f.message.clone(),
                help: f.help.clone(),
            })
            .collect(),
        snapshot,
        how: Match::Exact,
    }
}

/// `check/NAME/` (a policy, maybe its schema, and a deal): `covenant check -p POLICY DEAL
/// --verbose` (the diagnostics with their codes),
/// in-process. The snapshot is the exit code, stderr, then stdout.
pub fn check(dir: &Path) -> Run {
    let (policy, deal) = policy_and_deal(dir);
    let (p, d) = (policy.to_str().unwrap(), deal.to_str().unwrap());
    let (code, out, err) = covenant(&["check", "-p", p, d, "--verbose", "--color", "never"]);
    Run {
        reported: codes_of(&err, &out),
        snapshot: format!("exit {code}\n{err}---\n{out}"),
        how: Match::Codes,
    }
}

/// `suite/NAME.yaml`: `covenant test NAME.yaml`, in-process; the suite cannot be run. The
/// snapshot is stderr, then stdout.
pub fn suite(path: &Path) -> Run {
    let suite = path.to_str().unwrap();
    let (code, out, err) = covenant(&["test", suite, "--color", "never"]);
    assert_eq!(code, 2, "{suite}: {out}");
    assert!(out.contains("the suite cannot be run"), "{out}");
    assert!(out.ends_with("0 passed, 0 failed, 1 error\n"), "{out}");
    Run {
        reported: codes_of(&err, &out),
        snapshot: format!("{err}---\n{out}"),
        how: Match::Codes,
    }
}

fn codes_of(err: &str, out: &str) -> Vec<Reported> {
    codes_in(&format!("{err}{out}"))
        .into_iter()
        .map(Reported::code)
        .collect()
}

/// The `.policy` file and the deal file (`.yaml`, `.json` or `.toml`) of a fixture folder.
fn policy_and_deal(dir: &Path) -> (PathBuf, PathBuf) {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let policy = files
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "policy"));
    let deal = files
        .iter()
        .find(|p| format_of(p).is_some() && !p.to_str().unwrap().ends_with(".schema.json"));
    match (policy, deal) {
        (Some(p), Some(d)) => (p.clone(), d.clone()),
        _ => panic!("{dir:?}: a folder fixture holds a policy and a deal"),
    }
}
