//! Covenant: a policy-rules language and compliance checker for joint-venture deal proposals.
//!
//! Compile a policy, check deals with an [`check::Engine`], and read the reports:
//!
//! ```rust
//! use covenant::check::{Engine, Settings};
//! use covenant::deal::Format;
//! use covenant::eval::outcome::{Outcome, Verdict};
//!
//! // Compile a policy: here from text; `resolve::compile` reads files and folders.
//! let policy = r#"
//! let foreign partner = parties where country != "US"
//! rule foreign-minority "Each foreign partner stays a minority": foreign partner stake < 50%
//! "#;
//! let policy =
//!     covenant::resolve::compile_str("jv.policy", policy).expect("the policy compiles").policy;
//!
//! // The engine checks deals against it: a document in memory, a file, or a whole batch.
//! let engine = Engine::new(policy, Settings::default());
//! let deal = r#"
//! proposal: "Acme–Dragon Motors JV"
//! parties:
//!   - { name: "Acme Motors", country: "US", stake: "50%" }
//!   - { name: "Dragon Motors", country: "CN", stake: "50%" }
//! "#;
//! let report = engine.check_text("acme-dragon.yaml", deal, Format::Yaml);
//!
//! // The report: the deal's verdict, and each rule's outcome with its evidence.
//! assert_eq!(report.verdict, Verdict::NonCompliant);
//! let result = &report.results[0];
//! assert_eq!(engine.policy().rules[result.rule].id, "foreign-minority");
//! assert_eq!(result.outcome, Outcome::Fail);
//! ```
//!
//! Phases, each in its own module with its own diagnostic enum:
//! - [`syntax`]: grammar → AST with spans
//! - [`resolve`]: phrases → typed IR (resolution and type checking)
//! - [`deal`]: documents → typed values with positions
//! - [`eval`]: IR × deal → outcomes with evidence
//! - [`report`]: what a report says and how it is written: human, JSON, JSON-lines, SARIF,
//!   JUnit XML and Markdown; the impact report of a policy change
//! - [`check`]: the engine: a compiled policy and the settings of a run, checking deals (one,
//!   a file, or batches on worker threads) into reports
//! - [`suite`]: policy test suites, run with the engine
//! - [`diff`]: the impact of a policy change on deals
//! - [`lint`]: static checks of policies without deals
//! - [`limits`]: bounds on every input, each with its own diagnostic
//! - [`bounded`] and [`walk`]: reading files within those bounds, searching folders
//! - [`country`]: the ISO 3166-1 codes that country fields hold (SPEC §13)
//! - [`dates`]: durations, month ends and working days (SPEC §9)
//! - [`fx`]: exchange-rate tables and the rate of a pair on a date (SPEC §11)
//! - [`digest`]: the sha256 that identifies a policy file's text in reports and the decision log
//! - [`codes`]: the registry of every diagnostic code, with its phase and a summary
//! - [`analysis`]: policies being edited, for tools (the language server): diagnostics, lint
//!   findings and where each phrase resolved to
//! - [`attached`]: a value a later phase derives once from a compiled policy and keeps with it
//!   (evaluation's compiled quick pass, [`eval::compiled`])

/// The library's version: the engine version a decision log records.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub mod analysis;
pub mod attached;
pub mod bounded;
pub mod check;
pub mod codes;
pub mod country;
pub mod dates;
pub mod deal;
pub mod diff;
pub mod digest;
pub mod eval;
pub mod fx;
pub(crate) mod json_bytes;
pub mod limits;
pub mod lint;
pub mod lookup;
pub mod number;
pub mod ownership;
pub(crate) mod path_bytes;
pub mod report;
pub mod resolve;
pub mod schema;
pub mod source;
pub mod spelling;
pub mod suite;
pub mod syntax;
pub mod value;
pub mod walk;

/// The repository root, where the examples and test fixtures that unit tests read live.
#[cfg(any(test, feature = "test-hooks"))]
pub(crate) fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `deals.jsonl` lines a repository generator `script` (a path from the repository root)
/// writes for `n` deals (`ARGS --out DIR`), from a folder of its own, deleted after. For the
/// unit tests and, with `test-hooks`, the integration tests.
#[cfg(any(test, feature = "test-hooks"))]
#[doc(hidden)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]
pub fn run_generator(script: &str, args: &[&str], n: usize) -> Vec<String> {
    let name = script.replace(['/', '.'], "-");
    let dir = std::env::temp_dir().join(format!("covenant-{name}-{}-{n}", std::process::id()));
    let root = crate::repo_root().display().to_string();
    let status = std::process::Command::new("python3")
        .arg(format!("{root}/{script}"))
        .arg(n.to_string())
        .args(args)
        .arg("--out")
        .arg(&dir)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs");
    assert!(status.success(), "{script} failed");
    let text = std::fs::read_to_string(dir.join("deals.jsonl")).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    text.lines().map(str::to_string).collect()
}

/// Every text of one to `most` pieces of `alphabet`, shorter ones first, each handed to
/// `check`: an exhaustive test of a reader or an encoder against a plainer one.
#[cfg(test)]
pub(crate) fn every_text(alphabet: &[&str], most: usize, mut check: impl FnMut(&str)) {
    let mut texts = vec![String::new()];
    for _ in 0..most {
        let mut longer = Vec::with_capacity(texts.len() * alphabet.len());
        for t in &texts {
            for piece in alphabet {
                let s = format!("{t}{piece}");
                check(&s);
                longer.push(s);
            }
        }
        texts = longer;
    }
}
