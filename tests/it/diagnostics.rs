//! The diagnostics fixtures, one format for every phase: `tests/fixtures/diagnostics/PHASE/`
//! holds inputs (a file, or a folder of files), each with its expectation lines (`# expect:`,
//! `# message:`, `# help:`) and an insta snapshot of what its phase reports
//! (`snapshots/it__diagnostics__PHASE@INPUT.snap`). One runner per phase (`run.rs`) takes the
//! input through the entry point that reports the phase's diagnostics. The format, and how to
//! add a fixture: `tests/fixtures/diagnostics/README.md`.
//!
//! `diagnostics_reference` finds the trigger of each documented code here: a fixture whose
//! expectation lines name the code.

mod expect;
mod run;

use std::path::{Path, PathBuf};

use covenant::deal::DealErrorKind;

pub use expect::{is_expectation_line, Expected};
pub use run::Run;

pub const FIXTURES: &str = "tests/fixtures/diagnostics";

/// A phase folder of `tests/fixtures/diagnostics/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// `covenant::syntax::parse` of a `.policy` file.
    Syntax,
    /// `covenant::resolve::compile` of a `.policy` file or a folder; names and definitions.
    Resolve,
    /// The same, for type errors.
    Typeck,
    /// `covenant::deal::load` of a deal file; `covenant check` of a folder.
    Deal,
    /// `covenant::lint::lint` of a `.policy` file.
    Lint,
    /// `covenant check` of a folder holding a policy and a deal.
    Check,
    /// `covenant test` of a suite that cannot be run.
    Suite,
}

impl Phase {
    pub const ALL: [Phase; 7] = [
        Phase::Syntax,
        Phase::Resolve,
        Phase::Typeck,
        Phase::Deal,
        Phase::Lint,
        Phase::Check,
        Phase::Suite,
    ];

    pub fn folder(self) -> &'static str {
        match self {
            Phase::Syntax => "syntax",
            Phase::Resolve => "resolve",
            Phase::Typeck => "typeck",
            Phase::Deal => "deal",
            Phase::Lint => "lint",
            Phase::Check => "check",
            Phase::Suite => "suite",
        }
    }

    /// Whether `path`, in this phase's folder, is an input (not an expectation file or a file
    /// an input names, such as a schema or a used policy). A folder is an input when it has
    /// an expectation file.
    fn is_input(self, path: &Path) -> bool {
        if path.is_dir() {
            return matches!(
                self,
                Phase::Resolve | Phase::Typeck | Phase::Deal | Phase::Check
            ) && expect::lines_file(path).is_file();
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match self {
            Phase::Syntax | Phase::Lint | Phase::Resolve | Phase::Typeck => ext == "policy",
            Phase::Deal => ext != "expect" && covenant::deal::format_of(path).is_some(),
            Phase::Check => false,
            Phase::Suite => ext == "yaml",
        }
    }

    fn run(self, path: &Path) -> Run {
        match self {
            Phase::Syntax => run::syntax(path),
            Phase::Resolve | Phase::Typeck => run::compile(path),
            Phase::Deal => run::deal(path),
            Phase::Lint => run::lint(path),
            Phase::Check => run::check(path),
            Phase::Suite => run::suite(path),
        }
    }
}

/// One input and what it expects.
pub struct Fixture {
    pub phase: Phase,
    /// From the repository root: `tests/fixtures/diagnostics/PHASE/NAME`.
    pub path: PathBuf,
    pub expected: Expected,
}

impl Fixture {
    /// The fixture at `path` (absolute or from the root), if it is an input of `phase`.
    fn at(phase: Phase, path: &Path) -> Option<Fixture> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let path = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        phase.is_input(&path).then(|| Fixture {
            phase,
            expected: Expected::of(&path),
            path,
        })
    }

    /// Runs the fixture through its phase.
    pub fn run(&self) -> Run {
        self.phase.run(&self.path)
    }

    /// The text of its input files, without expectation lines.
    pub fn texts(&self) -> Vec<String> {
        let files: Vec<PathBuf> = if self.path.is_dir() {
            entries(&self.path)
        } else {
            vec![self.path.clone()]
        };
        files
            .iter()
            .filter(|f| f.is_file())
            .map(|f| {
                let text = std::fs::read_to_string(f).unwrap();
                let lines: Vec<&str> = text.lines().filter(|l| !is_expectation_line(l)).collect();
                lines.join("\n")
            })
            .collect()
    }
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    out.sort();
    out
}

/// Every fixture of every phase.
pub fn fixtures() -> Vec<Fixture> {
    Phase::ALL.into_iter().flat_map(fixtures_of).collect()
}

fn fixtures_of(phase: Phase) -> Vec<Fixture> {
    entries(&Path::new(FIXTURES).join(phase.folder()))
        .into_iter()
        .filter_map(|p| Fixture::at(phase, &p))
        .collect()
}

/// Runs every fixture of `phase`: what it reports matches its expectation lines, and its
/// snapshot.
fn check_phase(phase: Phase) {
    let pattern = format!("{}/*", phase.folder());
    insta::glob!("../fixtures/diagnostics", &pattern, |path| {
        let Some(fixture) = Fixture::at(phase, path) else {
            return;
        };
        let run = fixture.run();
        let name = fixture.path.display().to_string();
        fixture.expected.check(&name, &run.reported, run.how);
        insta::assert_snapshot!(phase.folder(), run.snapshot);
    });
}

#[test]
fn syntax() {
    check_phase(Phase::Syntax);
}

#[test]
fn resolve() {
    check_phase(Phase::Resolve);
}

#[test]
fn typeck() {
    check_phase(Phase::Typeck);
}

#[test]
fn deal() {
    check_phase(Phase::Deal);
}

#[test]
fn lint() {
    check_phase(Phase::Lint);
}

#[test]
fn check() {
    check_phase(Phase::Check);
}

#[test]
fn suite() {
    check_phase(Phase::Suite);
}

/// Every file under `tests/fixtures/diagnostics/` is a phase folder (or the README), an input,
/// the expectation file of an input, or a file an input names (a schema, in `resolve/` and
/// `typeck/`).
#[test]
fn every_file_belongs_to_a_fixture_of_its_phase() {
    let folders: Vec<&str> = Phase::ALL.iter().map(|p| p.folder()).collect();
    for entry in entries(Path::new(FIXTURES)) {
        let name = entry.file_name().unwrap().to_str().unwrap();
        assert!(
            name == "README.md" || (entry.is_dir() && folders.contains(&name)),
            "{}: not in a phase folder ({folders:?})",
            entry.display()
        );
    }
    for phase in Phase::ALL {
        let folder = Path::new(FIXTURES).join(phase.folder());
        let texts: Vec<String> = fixtures_of(phase).iter().flat_map(Fixture::texts).collect();
        for path in entries(&folder) {
            let name = path.file_name().unwrap().to_str().unwrap();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            let input_of_sidecar = path.with_extension("");
            let belongs = phase.is_input(&path)
                || (ext == "expect"
                    && phase.is_input(&input_of_sidecar)
                    && !expect::is_policy(&input_of_sidecar))
                // A schema or a folder of used policies: named by an input.
                || texts.iter().any(|t| t.contains(&format!("\"{name}")));
            assert!(
                belongs,
                "{}: not an input of `{}`, nor its expectations, nor named by one",
                path.display(),
                phase.folder()
            );
        }
    }
}

/// Every kind of deal error has a deal fixture, and there is one in every format.
#[test]
fn the_deal_fixtures_cover_every_format_and_kind() {
    let deals: Vec<Fixture> = fixtures()
        .into_iter()
        .filter(|f| f.phase == Phase::Deal)
        .collect();
    for ext in ["yaml", "json", "toml"] {
        assert!(
            deals
                .iter()
                .any(|f| f.path.extension().is_some_and(|e| e == ext)),
            "no .{ext} deal fixture"
        );
    }
    for kind in DealErrorKind::ALL {
        assert!(
            deals
                .iter()
                .any(|f| f.expected.codes().any(|c| c == kind.code())),
            "no deal fixture expects {}",
            kind.code()
        );
    }
    // A file fixture is named after the code it shows: the longest code its name starts with.
    for f in deals.iter().filter(|f| f.path.is_file()) {
        let name = f.path.file_name().unwrap().to_str().unwrap();
        let named = DealErrorKind::ALL
            .into_iter()
            .filter(|k| name.starts_with(k.code().trim_start_matches("covenant::deal::")))
            .max_by_key(|k| k.code().len());
        assert!(
            named.is_some_and(|k| f.expected.codes().any(|c| c == k.code())),
            "{name} is not named after the code it shows"
        );
    }
}
