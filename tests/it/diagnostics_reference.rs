//! Keeps `docs/diagnostics.md` and the code registry (`covenant::codes::CODES`) honest: the
//! codes the page lists are exactly the registered codes, every code used in the source is
//! registered, every registered code is reported by its triggering input, and the trigger shown
//! is text of that input — so a new code without registration, documentation or a fixture, or
//! documentation of a code that is gone, fails.
//!
//! A code is triggered by a fixture of `tests/fixtures/diagnostics/PHASE/` whose expectation
//! lines name it (`# expect: CODE …`), run by the harness of `diagnostics.rs` through the entry
//! point of its phase (the format: `tests/fixtures/diagnostics/README.md`).
//!
//! Inputs that cannot be stored sensibly (a file that is not UTF-8, a path that does not exist,
//! nesting 300 levels deep, an empty deal, a policy past a limit) are generated here, and run
//! through the entry point that reports them (`limit` codes: `covenant check`); see
//! [`generated`].
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use clap::Parser;
use covenant::deal::DealErrorKind;
use covenant::limits::PolicyLimits;
use covenant_cli::{self as cli, Cli};
use miette::Diagnostic;

const DOC: &str = "docs/diagnostics.md";
use crate::diagnostics::{fixtures, Fixture, FIXTURES};

/// Fallback codes that no input can produce: every diagnostic they would stand in for has a
/// code of its own. They are documented as such, and have no fixture.
const UNREACHABLE: [&str; 1] = ["covenant::policy::error"];

/// Last-resort codes that no input reaches in a build of the library this test links against:
/// `covenant::internal::panic` reports a bug (a panic caught while checking a deal or
/// compiling a policy). Its only triggers are test hooks compiled in `cfg(test)` builds of the
/// library (a deal or policy path containing `covenant-test-panic`), so it is proven by the
/// unit tests of `src/panic_tests.rs`, not here. Documented as such; no fixture.
const LAST_RESORT: [&str; 2] = ["covenant::internal::panic", "covenant::server::internal"];

/// The codes of `covenant serve`'s answers (`covenant::server::…`) are triggered by HTTP
/// requests: `crates/covenant-server/tests/http/errors.rs` sends, for every registered code
/// of the phase, a request that gets it (and fails on a code without one), so they have no
/// fixture here. `covenant::server::internal` is a last resort, proven by the unit tests of
/// `crates/covenant-server/src/work.rs`.
fn answered_over_http(code: &str) -> bool {
    code.starts_with("covenant::server::") && !LAST_RESORT.contains(&code)
}

/// The documented codes, each with the text of its "trigger" cell.
fn documented() -> BTreeMap<String, String> {
    let doc = std::fs::read_to_string(DOC).unwrap();
    let mut out = BTreeMap::new();
    for line in doc.lines() {
        let Some(rest) = line.strip_prefix("| `covenant::") else {
            continue;
        };
        let cells: Vec<&str> = line.split(" | ").collect();
        assert_eq!(
            cells.len(),
            3,
            "{DOC}: a row needs code, meaning and trigger: {line}"
        );
        let code = format!("covenant::{}", rest.split('`').next().unwrap());
        let trigger = cells[2].trim_end_matches(" |").to_string();
        assert!(
            out.insert(code.clone(), trigger).is_none(),
            "{DOC}: {code} is listed twice"
        );
    }
    out
}

/// `covenant::a::b` codes in a text: every run of `[a-z0-9:-]` after `covenant::` that has two
/// non-empty segments.
pub(crate) fn codes_in(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("covenant::") {
        let rest = &text[i + "covenant::".len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == ':' || c == '-'))
            .unwrap_or(rest.len());
        let body = rest[..end].trim_end_matches(':');
        if let Some((phase, name)) = body.split_once("::") {
            if !phase.is_empty() && !name.is_empty() && !name.contains(':') {
                out.insert(format!("covenant::{phase}::{name}"));
            }
        }
    }
    out
}

/// The registered codes.
fn registered() -> BTreeSet<String> {
    covenant::codes::CODES
        .iter()
        .map(|c| c.code.to_string())
        .collect()
}

/// Every code in the source: string literals `"covenant::…::…"` in the library's, the
/// server's and the command line's `.rs` files (the registry's own table aside) and the deal kinds.
fn source_codes() -> BTreeSet<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(Path::new("crates/covenant/src"), &mut files);
    walk(Path::new("crates/covenant-server/src"), &mut files);
    walk(Path::new("src"), &mut files);
    let mut out = BTreeSet::new();
    for f in files {
        if f.ends_with("crates/covenant/src/codes.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, _) in text.match_indices("\"covenant::") {
            let literal = &text[i + 1..];
            let literal = &literal[..literal.find('"').unwrap()];
            // Only whole codes; prefixes such as "covenant::lint::" are not codes.
            let found = codes_in(literal);
            if found.len() == 1 && found.contains(literal) {
                out.insert(literal.to_string());
            }
        }
    }
    out.extend(DealErrorKind::ALL.iter().map(|k| k.code().to_string()));
    out
}

#[test]
fn the_documented_codes_are_exactly_the_registered_codes() {
    let documented: BTreeSet<String> = documented().into_keys().collect();
    let registered = registered();
    let undocumented: Vec<&String> = registered.difference(&documented).collect();
    let unregistered: Vec<&String> = documented.difference(&registered).collect();
    assert!(
        undocumented.is_empty(),
        "registered codes (crates/covenant/src/codes.rs) without a row in {DOC}: {undocumented:?}"
    );
    assert!(
        unregistered.is_empty(),
        "codes in {DOC} that are not registered in crates/covenant/src/codes.rs: {unregistered:?}"
    );
}

#[test]
fn every_code_in_the_source_is_registered() {
    let source = source_codes();
    assert!(source.len() > 60, "too few codes found in src: {source:?}");
    let registered = registered();
    let unregistered: Vec<&String> = source.difference(&registered).collect();
    assert!(
        unregistered.is_empty(),
        "codes in src/ that are not registered in crates/covenant/src/codes.rs: {unregistered:?}"
    );
}

/// The fixtures whose expectation lines name a code.
fn fixtures_of(code: &str) -> Vec<Fixture> {
    fixtures()
        .into_iter()
        .filter(|f| f.expected.codes().any(|c| c == code))
        .collect()
}

/// Run `covenant ARGS` in-process; the codes in its output (stdout and stderr).
fn covenant_codes(args: &[&str]) -> BTreeSet<String> {
    let cli = Cli::try_parse_from(std::iter::once("covenant").chain(args.iter().copied()))
        .unwrap_or_else(|e| panic!("bad arguments {args:?}: {e}"));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    cli::run(cli, &mut out, &mut err);
    out.extend(err);
    codes_in(&String::from_utf8_lossy(&out))
}

/// The codes of a diagnostic and of everything related to it.
fn diagnostic_codes(d: &dyn Diagnostic, out: &mut BTreeSet<String>) {
    if let Some(c) = d.code() {
        out.insert(c.to_string());
    }
    if let Some(related) = d.related() {
        for r in related {
            diagnostic_codes(r, out);
        }
    }
}

fn compile_codes(paths: &[PathBuf]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let diags = match covenant::resolve::compile(paths) {
        Ok(c) => c.warnings,
        Err(errors) => errors,
    };
    for d in &diags {
        diagnostic_codes(d, &mut out);
    }
    out
}

fn compile_str_codes(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let diags = match covenant::resolve::compile_str("generated.policy", text) {
        Ok(c) => c.warnings,
        Err(errors) => errors,
    };
    for d in &diags {
        diagnostic_codes(d, &mut out);
    }
    out
}

fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diagnostics_reference");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The codes reported for `covenant check` in a folder whose `covenant.toml` is `toml`, with
/// the global flags `flags`.
fn config_codes(toml: &str, flags: &[&str]) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("diagnostics_reference_config_{}", toml.len()));
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join("covenant.toml"), toml).unwrap();
    let argv: Vec<std::ffi::OsString> = ["covenant"]
        .iter()
        .chain(flags)
        .chain(&["check", "-p", "x.policy", "d.yaml"])
        .map(Into::into)
        .collect();
    let mut err = Vec::new();
    match cli::parse_args(&argv, &dir) {
        Err(e) => {
            e.report(&mut err);
        }
        Ok(_) => panic!("`{toml}` {flags:?}: the config file is accepted"),
    }
    codes_in(&String::from_utf8_lossy(&err))
}

/// The codes reported for an input generated here, for the codes that have one.
fn generated(code: &str) -> Option<BTreeSet<String>> {
    Some(match code {
        "covenant::parse::too-deep" => {
            let deep = format!("rule deep: {}true{}\n", "(".repeat(300), ")".repeat(300));
            compile_str_codes(&deep)
        }
        "covenant::policy::unreadable" => {
            compile_codes(&[Path::new(FIXTURES).join("no-such-file.policy")])
        }
        "covenant::policy::not-utf8" => {
            compile_codes(&[scratch("not-utf8.policy", b"rule r: sector = \"\xff\"\n")])
        }
        "covenant::deal::unreadable" => {
            let missing = format!("{FIXTURES}/no-such-deal.yaml");
            covenant_codes(&["check", "-p", "examples/policies", &missing])
        }
        "covenant::test::unreadable" => {
            let suite = scratch("not-utf8.test.yaml", b"policy: \xff\n");
            covenant_codes(&["test", suite.to_str().unwrap(), "--color", "never"])
        }
        // `covenant check` reports an empty deal before `covenant::deal::load` sees it.
        "covenant::deal::empty" => {
            let empty = scratch("empty.yaml", b"\n  \n");
            let empty = empty.to_str().unwrap();
            covenant_codes(&[
                "check",
                "-p",
                "examples/policies",
                empty,
                "--color",
                "never",
            ])
        }
        "covenant::limit::too-many-deals" => covenant_codes(&[
            "check",
            "-p",
            "examples/policies",
            "--max-deals",
            "1",
            "examples/deals/acme-dragon-51-49.yaml",
            "examples/deals/liberty-pearl-50-50.json",
            "--color",
            "never",
        ]),
        "covenant::policy::too-large" => {
            let big = format!(
                "{}rule seats: board seats >= 3\n",
                "# padding\n".repeat(200)
            );
            let big = scratch("too-large.policy", big.as_bytes());
            covenant_codes(&[
                "check",
                "-p",
                big.to_str().unwrap(),
                "--max-policy-size",
                "1K",
                "examples/deals/acme-dragon-51-49.yaml",
                "--color",
                "never",
            ])
        }
        // The default limit (100,000 rules) takes seconds to reach in a debug build; the
        // check is the same with a limit of 10.
        // 10,001 rows: a table past the limit of its pair checks.
        "covenant::table::too-large" => {
            let rows: String = (0..=covenant::resolve::typeck::MAX_TABLE_ROWS)
                .map(|i| format!("  {i}: 1\n"))
                .collect();
            compile_str_codes(&format!(
                "let t = table by board seats:\n{rows}rule r: t > 0\n"
            ))
        }
        "covenant::policy::too-many-rules" => {
            let limits = PolicyLimits {
                max_rules: 10,
                ..PolicyLimits::default()
            };
            let rules: String = (0..=limits.max_rules)
                .map(|i| format!("rule r{i}: board seats > 1\n"))
                .collect();
            let policy = scratch("too-many-rules.policy", rules.as_bytes());
            let mut out = BTreeSet::new();
            if let Err(errors) = covenant::resolve::compile_with(&[policy], &limits) {
                for d in &errors {
                    diagnostic_codes(d, &mut out);
                }
            }
            out
        }
        // `lint --expiring` reads deals, which the `lint/` fixtures (policies) cannot hold.
        "covenant::lint::expiring-approval" => covenant_codes(&[
            "lint",
            "--expiring",
            "9000y",
            "tests/fixtures/approvals/lint/expiring.yaml",
            "--color",
            "never",
        ]),
        "covenant::lint::expired-approval" => covenant_codes(&[
            "lint",
            "--expiring",
            "90d",
            "tests/fixtures/approvals/lint/expiring.yaml",
            "--color",
            "never",
        ]),
        "covenant::config::unreadable" => config_codes("", &["--config", "missing.toml"]),
        "covenant::config::syntax" => config_codes("policy = [\"a\"\n", &[]),
        "covenant::config::unknown-key" => config_codes("polcy = \"rules\"\n", &[]),
        "covenant::config::bad-value" => config_codes("[check]\nformat = \"xml\"\n", &[]),
        "covenant::resolve::too-deep" => {
            let max_depth = PolicyLimits::default().max_depth;
            let chain = format!(
                "rule deep: board seats > {}1\n",
                "50% of ".repeat(max_depth + 1)
            );
            compile_str_codes(&chain)
        }
        _ => return None,
    })
}

/// The codes reported for a fixture, through the entry point of its phase.
fn from_fixture(fixture: &Fixture) -> BTreeSet<String> {
    fixture.run().reported.into_iter().map(|r| r.code).collect()
}

#[test]
fn every_registered_code_is_reported_for_its_trigger() {
    for code in &registered() {
        let fixtures = fixtures_of(code);
        if answered_over_http(code) {
            assert!(
                fixtures.is_empty(),
                "{code} is answered over HTTP, yet has a fixture"
            );
            continue;
        }
        if UNREACHABLE.contains(&code.as_str()) || LAST_RESORT.contains(&code.as_str()) {
            assert!(
                fixtures.is_empty() && generated(code).is_none(),
                "{code} is unreachable, yet has a trigger"
            );
            continue;
        }
        // A generated input stands for the code when one exists (a fixture may expect the
        // code too: the harness of `diagnostics.rs` checks that one).
        let reported: Vec<BTreeSet<String>> = match generated(code) {
            Some(codes) => vec![codes],
            None if !fixtures.is_empty() => fixtures.iter().map(from_fixture).collect(),
            None => panic!(
                "{code}: no trigger — add a fixture to {FIXTURES}/PHASE/ with `# expect: {code}` \
                 (tests/fixtures/diagnostics/README.md)"
            ),
        };
        for r in reported {
            assert!(
                r.contains(code),
                "{code}: its trigger reports {r:?} instead"
            );
        }
    }
}

#[test]
fn the_trigger_shown_is_text_of_the_fixture() {
    for (code, trigger) in documented() {
        let fixtures = fixtures_of(&code);
        if fixtures.is_empty() || generated(&code).is_some() {
            continue;
        }
        let shown = trigger
            .split('`')
            .nth(1)
            .unwrap_or_else(|| panic!("{DOC}: the trigger of {code} shows no `code`"));
        assert!(
            fixtures
                .iter()
                .flat_map(Fixture::texts)
                .any(|t| t.contains(shown)),
            "{DOC}: the trigger `{shown}` of {code} is not in its fixtures"
        );
    }
}

#[test]
fn the_code_scanner_finds_whole_codes_only() {
    let found = codes_in(
        "× covenant::lint::, see covenant::deal::bad-date and covenant::policy::not-utf8.",
    );
    let expected: BTreeSet<String> = ["covenant::deal::bad-date", "covenant::policy::not-utf8"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(found, expected);
}
