//! Keeps `docs/writing-policies.md` honest.
//!
//! - Every `docs/examples/**/*.policy` compiles (or, under `docs/examples/errors/`, fails with
//!   the code it announces), is already in `covenant fmt`'s layout, and has the outcomes its
//!   leading comment lines announce against its deal:
//!   `# expect: rule-id=outcome … verdict=…` (against `jv.yaml` beside it),
//!   `# expect deal=other.yaml as-of=2026-10-01: …` (another deal, an evaluation date),
//!   `# expect include-proposed: …` (`proposed` and `reported` rules counted),
//!   `# expect-error: CODE …` (must not compile; each code must be reported),
//!   `# expect-lint: CODE …` (`covenant lint` must report each code).
//!   An `# expect` line lists every rule of the file, so a new rule needs a documented outcome.
//! - Every ```` ```covenant ```` block of the guide parses and is a verbatim excerpt of one of
//!   those example files, so every snippet is real and tested.
//! - Every ```` ```console ```` block starts with `$ covenant …`; the command is run in-process
//!   (from the repository root) and its output must contain the block's lines, in order; a line
//!   `...` stands for any number of lines.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use miette::Diagnostic;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Parser;
use covenant::source::SourceFile;
use covenant_cli::{self as cli, Cli};

const GUIDE: &str = "docs/writing-policies.md";
const EXAMPLES: &str = "docs/examples";

/// Run `covenant ARGS` in-process; the exit code and stdout followed by stderr, without colour.
fn covenant(args: &[&str]) -> (u8, String) {
    let (code, out, err) = covenant_split(args);
    (code, out + &err)
}

/// `covenant ARGS…` in-process: (exit code, stdout, stderr), ANSI codes stripped.
fn covenant_split(args: &[&str]) -> (u8, String, String) {
    let cli = Cli::try_parse_from(crate::support::argv(args))
        .unwrap_or_else(|e| panic!("bad arguments {args:?}: {e}"));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cli::run(cli, &mut out, &mut err);
    let text = |b: Vec<u8>| strip_ansi(&String::from_utf8(b).unwrap());
    (code, text(out), text(err))
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn example_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "policy") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(Path::new(EXAMPLES), &mut out);
    out.sort();
    assert!(out.len() >= 10, "too few examples in {EXAMPLES}: {out:?}");
    out
}

/// One `# expect …:` line.
#[derive(Debug)]
struct Expectation {
    deal: String,
    as_of: Option<String>,
    include_proposed: bool,
    outcomes: BTreeMap<String, String>,
    verdict: Option<String>,
}

#[derive(Debug, Default)]
struct Header {
    expect: Vec<Expectation>,
    errors: Vec<String>,
    lint: Vec<String>,
}

/// The `# expect…` lines among the leading comment lines of an example.
fn header(path: &Path, text: &str) -> Header {
    let mut h = Header::default();
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        let Some(rest) = line.strip_prefix("# expect") else {
            continue;
        };
        if let Some(codes) = rest.strip_prefix("-error:") {
            h.errors
                .extend(codes.split_whitespace().map(str::to_string));
        } else if let Some(codes) = rest.strip_prefix("-lint:") {
            h.lint.extend(codes.split_whitespace().map(str::to_string));
        } else {
            let (options, outcomes) = rest
                .split_once(':')
                .unwrap_or_else(|| panic!("{}: `{line}` has no `:`", path.display()));
            let mut e = Expectation {
                deal: "jv.yaml".into(),
                as_of: None,
                include_proposed: false,
                outcomes: BTreeMap::new(),
                verdict: None,
            };
            for option in options.split_whitespace() {
                match option.split_once('=') {
                    Some(("deal", d)) => e.deal = d.into(),
                    Some(("as-of", d)) => e.as_of = Some(d.into()),
                    None if option == "include-proposed" => e.include_proposed = true,
                    _ => panic!("{}: unknown option `{option}` in `{line}`", path.display()),
                }
            }
            for token in outcomes.split_whitespace() {
                let (id, outcome) = token
                    .split_once('=')
                    .unwrap_or_else(|| panic!("{}: `{token}` is not id=outcome", path.display()));
                if id == "verdict" {
                    e.verdict = Some(outcome.into());
                } else {
                    assert!(
                        ["pass", "fail", "incomplete", "not-applicable", "exempt"]
                            .contains(&outcome),
                        "{}: unknown outcome `{outcome}`",
                        path.display()
                    );
                    e.outcomes.insert(id.into(), outcome.into());
                }
            }
            h.expect.push(e);
        }
    }
    h
}

#[test]
fn every_example_has_its_documented_outcomes() {
    for path in example_files() {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let h = header(&path, &text);
        assert!(
            text.starts_with("# expect"),
            "{name}: the first line must be an `# expect` line"
        );
        let compiled = covenant::resolve::compile(std::slice::from_ref(&path));
        if !h.errors.is_empty() {
            assert!(h.expect.is_empty(), "{name}: both expect and expect-error");
            let diags = match compiled {
                Ok(_) => panic!("{name} compiles, but its header says it must not"),
                Err(d) => d,
            };
            let codes: Vec<String> = diags
                .iter()
                .filter_map(|d| d.code().map(|c| c.to_string()))
                .collect();
            for code in &h.errors {
                assert!(
                    codes.contains(code),
                    "{name}: expected {code}, got {codes:?}"
                );
            }
            continue;
        }
        let policy = match compiled {
            Ok(c) => c.policy,
            Err(d) => panic!("{name} does not compile: {d:?}"),
        };
        assert!(
            !h.expect.is_empty(),
            "{name}: give it a first line `# expect: rule-id=outcome …`"
        );
        let ids: Vec<String> = policy.rules.iter().map(|r| r.id.clone()).collect();
        for e in &h.expect {
            let listed: Vec<&String> = e.outcomes.keys().collect();
            let mut sorted_ids: Vec<&String> = ids.iter().collect();
            sorted_ids.sort();
            assert_eq!(
                listed, sorted_ids,
                "{name}: an `# expect` line must list every rule of the file"
            );
            let deal = path.parent().unwrap().join(&e.deal);
            let (p, d) = (name.as_str(), deal.to_str().unwrap());
            let mut args = vec!["check", "-p", p, d, "--format", "json"];
            if let Some(date) = &e.as_of {
                args.extend(["--as-of", date.as_str()]);
            }
            if e.include_proposed {
                args.push("--include-proposed");
            }
            let (code, out, err) = covenant_split(&args);
            assert!(code < 2, "{name} on {d}: exit {code}\n{out}{err}");
            let json: serde_json::Value = serde_json::from_str(&out).unwrap();
            let report = &json["deals"][0];
            let mut actual = BTreeMap::new();
            for r in report["rules"].as_array().unwrap() {
                let outcome = if r["exempt"] == true {
                    "exempt"
                } else {
                    r["outcome"].as_str().unwrap()
                };
                actual.insert(r["id"].as_str().unwrap().to_string(), outcome.to_string());
            }
            assert_eq!(
                actual, e.outcomes,
                "{name} on {d} (as of {:?}): outcomes differ from its `# expect` line",
                e.as_of
            );
            if let Some(v) = &e.verdict {
                assert_eq!(report["verdict"], v.as_str(), "{name} on {d}: verdict");
            }
        }
    }
}

#[test]
fn examples_report_their_documented_lint_findings() {
    let today = jiff::civil::date(2026, 6, 1);
    for path in example_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let h = header(&path, &text);
        if !h.errors.is_empty() {
            continue;
        }
        let report = covenant::lint::lint(std::slice::from_ref(&path), today);
        let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
        for code in &h.lint {
            assert!(
                codes.contains(&code.as_str()),
                "{}: expected lint finding {code}, got {codes:?}",
                path.display()
            );
        }
        for f in &report.findings {
            assert!(
                f.severity != covenant::lint::Severity::Error || h.lint.contains(&f.code),
                "{}: undocumented lint error {} ({})",
                path.display(),
                f.code,
                f.message
            );
        }
    }
}

#[test]
fn examples_are_formatted() {
    for path in example_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = SourceFile::new(path.display().to_string(), text.clone());
        let formatted = covenant::syntax::format_policy(&file)
            .unwrap_or_else(|e| panic!("{} does not parse: {e:?}", path.display()));
        assert_eq!(
            formatted,
            text,
            "{} is not formatted: run `covenant fmt {}`",
            path.display(),
            path.display()
        );
    }
}

/// The fenced blocks of a Markdown file with the given info string: (line number, text).
fn blocks(markdown: &str, info: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, bool, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        match &mut current {
            None => {
                if let Some(tag) = line.strip_prefix("```") {
                    current = Some((i + 2, tag.trim() == info, String::new()));
                }
            }
            Some((start, wanted, text)) => {
                if line.starts_with("```") {
                    if *wanted {
                        out.push((*start, std::mem::take(text)));
                    }
                    current = None;
                } else {
                    text.push_str(line);
                    text.push('\n');
                }
            }
        }
    }
    assert!(current.is_none(), "an unclosed fence");
    out
}

#[test]
fn every_covenant_block_of_the_guide_parses_and_comes_from_an_example() {
    let guide = std::fs::read_to_string(GUIDE).unwrap();
    let examples: Vec<(PathBuf, String)> = example_files()
        .into_iter()
        .map(|p| {
            let t = std::fs::read_to_string(&p).unwrap();
            (p, t)
        })
        .collect();
    let found = blocks(&guide, "covenant");
    assert!(
        found.len() >= 10,
        "too few covenant blocks: {}",
        found.len()
    );
    for (line, text) in found {
        let file = SourceFile::new(format!("{GUIDE}:{line}"), text.clone());
        if let Err(e) = covenant::syntax::parse(&file) {
            panic!(
                "{GUIDE}:{line}: a ```covenant block does not parse (fence a deliberately wrong \
                 one as ```text):\n{:?}",
                miette::Report::new(e)
            );
        }
        assert!(
            examples.iter().any(|(_, t)| t.contains(&text)),
            "{GUIDE}:{line}: this ```covenant block is not an excerpt of any {EXAMPLES} file:\n{text}"
        );
    }
}

#[test]
fn every_console_block_of_the_guide_shows_real_output() {
    let guide = std::fs::read_to_string(GUIDE).unwrap();
    let found = blocks(&guide, "console");
    assert!(!found.is_empty());
    for (line, text) in found {
        let mut lines = text.lines();
        let command = lines.next().unwrap();
        let args = command
            .strip_prefix("$ covenant ")
            .unwrap_or_else(|| panic!("{GUIDE}:{line}: a console block starts with `$ covenant`"));
        let args: Vec<&str> = args.split_whitespace().collect();
        let (_, out) = covenant(&args);
        let actual: Vec<&str> = out.lines().map(str::trim_end).collect();
        let mut at = 0;
        let expected: Vec<&str> = lines.collect();
        for chunk in expected.split(|l| l.trim() == "...") {
            let chunk: Vec<&str> = chunk.iter().map(|l| l.trim_end()).collect();
            if chunk.is_empty() {
                continue;
            }
            let pos = (at..=actual.len().saturating_sub(chunk.len()))
                .find(|&i| actual[i..].starts_with(&chunk))
                .unwrap_or_else(|| {
                    panic!(
                        "{GUIDE}:{line}: `{command}` no longer prints\n{}\n\nit prints:\n{out}",
                        chunk.join("\n")
                    )
                });
            at = pos + chunk.len();
        }
    }
}

#[test]
fn the_fmt_example_of_the_guide_is_what_fmt_prints() {
    let guide = std::fs::read_to_string(GUIDE).unwrap();
    let inputs = blocks(&guide, "text fmt-input");
    assert_eq!(inputs.len(), 1, "one ```text fmt-input block");
    let (line, input) = &inputs[0];
    // The `covenant` block right after it is the expected layout.
    let (_, expected) = blocks(&guide, "covenant")
        .into_iter()
        .find(|(l, _)| l > line)
        .expect("a ```covenant block after the fmt input");
    let file = SourceFile::new("fmt-input.policy", input.clone());
    let formatted = covenant::syntax::format_policy(&file).unwrap();
    assert_eq!(
        formatted, expected,
        "{GUIDE}:{line}: `covenant fmt` prints something else"
    );
}
