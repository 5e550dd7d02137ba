//! Deal inputs: files, folders (recursive, sorted), `.jsonl` batches and standard input.
//!
//! A folder search skips what [`Exclude`] matches: by default the test suites
//! (`*.test.yaml`) and their snapshot folders (`*.snapshots`), which are not deals, and the
//! globs of `--exclude`. A file named on the command line is always read.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::report::visible::visible;
use crate::walk::{walk_skipping, Found};

/// What every folder search skips: test suites and their snapshot folders are not deals.
pub const DEFAULT_EXCLUDES: [&str; 2] = ["*.test.yaml", "*.snapshots"];

/// The files and folders a folder search skips: globs matched against the path below the
/// folder searched, anywhere in it (`drafts` skips every folder or file named `drafts`,
/// `archive/**` everything below a folder `archive`, `*.draft.yaml` those files).
#[derive(Debug, Clone, Default)]
pub struct Exclude {
    /// The set of [`DEFAULT_EXCLUDES`] and the globs given, built when a new `Exclude` is
    /// made with globs (so that a glob the set cannot take is an error at once), else at the
    /// first folder searched: compiling the default set's patterns was 2.6% of the
    /// instructions of a run that searches no folder (an empty batch).
    set: OnceLock<GlobSet>,
}

impl Exclude {
    /// [`DEFAULT_EXCLUDES`] and `globs`; an error names a glob that is not valid.
    pub fn new(globs: &[String]) -> Result<Exclude, String> {
        if globs.is_empty() {
            return Ok(Exclude::default());
        }
        Ok(Exclude {
            set: OnceLock::from(glob_set(globs)?),
        })
    }

    /// Does a glob match `path`, found below the searched folder `root`?
    pub fn matches(&self, root: &Path, path: &Path) -> bool {
        let below = crate::path_bytes::below(root, path);
        self.set
            .get_or_init(|| glob_set(&[]).unwrap_or_else(|_| GlobSet::empty()))
            .is_match(below)
    }
}

/// The set of [`DEFAULT_EXCLUDES`] and `globs`.
fn glob_set(globs: &[String]) -> Result<GlobSet, String> {
    let mut set = GlobSetBuilder::new();
    let defaults = DEFAULT_EXCLUDES.iter().copied();
    for glob in defaults.chain(globs.iter().map(String::as_str)) {
        set.add(anywhere(glob)?);
    }
    set.build().map_err(|e| e.to_string())
}

/// `glob`, matched anywhere below the searched folder: `**/glob`. `*` stops at a `/`.
fn anywhere(glob: &str) -> Result<Glob, String> {
    check_glob(glob)?;
    let trimmed = glob.trim_start_matches("./").trim_end_matches('/');
    GlobBuilder::new(&format!("**/{trimmed}"))
        .literal_separator(true)
        .build()
        .map_err(|e| e.to_string())
}

/// Is `glob` a glob `--exclude` takes? The error says why not.
pub fn check_glob(glob: &str) -> Result<(), String> {
    if glob.trim().is_empty() {
        return Err("an empty glob would match nothing".into());
    }
    if glob.starts_with('/') {
        return Err(format!(
            "`{glob}` is absolute: an exclude glob is matched below the folder searched (`drafts`, `archive/**`, `*.draft.yaml`)"
        ));
    }
    Glob::new(glob).map(|_| ()).map_err(|e| e.to_string())
}

/// One argument's worth of deals, expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// One deal document.
    File(PathBuf),
    /// A JSON-lines batch: one deal per line.
    Batch(PathBuf),
    /// Standard input (one document, YAML, JSON or TOML, or JSON lines).
    Stdin,
    /// A path that does not exist, or a folder that cannot be listed.
    Missing(PathBuf, String),
    /// A folder in which no deal was found.
    NoDeals(PathBuf),
}

const DEAL_EXTENSIONS: [&str; 5] = ["yaml", "yml", "json", "toml", "jsonl"];

/// Has `p` one of the deal extensions, in any case?
fn is_deal_name(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DEAL_EXTENSIONS.iter().any(|d| e.eq_ignore_ascii_case(d)))
}

fn is_batch(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"))
}

fn file_input(p: PathBuf) -> Input {
    if is_batch(&p) {
        Input::Batch(p)
    } else {
        Input::File(p)
    }
}

/// Expand arguments into inputs, in argument order; folders searched by
/// [`crate::walk::walk`], sorted by path, skipping the [`DEFAULT_EXCLUDES`]. What a folder search
/// skips (FIFOs, devices, link loops) is added to `warnings`.
pub fn expand(args: &[String], warnings: &mut Vec<String>) -> Vec<Input> {
    expand_excluding(args, &Exclude::default(), warnings)
}

/// [`expand`], the folder searches skipping what `exclude` matches.
pub fn expand_excluding(
    args: &[String],
    exclude: &Exclude,
    warnings: &mut Vec<String>,
) -> Vec<Input> {
    let mut out = Vec::new();
    for a in args {
        if a == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let p = PathBuf::from(a);
        if p.is_dir() {
            let wanted = |f: &Path| is_deal_name(f) && !exclude.matches(&p, f);
            let found = walk_skipping(&p, &wanted, &|d| exclude.matches(&p, d));
            for (path, why) in &found.skipped {
                let shown = visible(&path.display().to_string()).into_owned();
                warnings.push(format!("skipped `{shown}`: {why}"));
            }
            if found.found.is_empty() {
                out.push(Input::NoDeals(p));
            }
            out.extend(found.found.into_iter().map(|f| match f {
                Found::File(f) => file_input(f),
                Found::Unlistable(d, why) => Input::Missing(d, why),
            }));
        } else if let Err(e) = std::fs::symlink_metadata(&p) {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
                _ => e.to_string(),
            };
            out.push(Input::Missing(p, why));
        } else {
            out.push(file_input(p));
        }
    }
    out
}
