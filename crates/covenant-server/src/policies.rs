//! The policy set the server checks with: compiled from the paths given at start, its files
//! hashed, swapped whole on a reload (`POST /v1/reload`, or a change seen by the watcher).
//! A set that does not compile never replaces the one serving.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arc_swap::ArcSwap;
use covenant::check::{Engine, Settings};
use covenant::limits::Limits;
use covenant::lint::Finding;
use covenant::resolve::{self, Policy};
use serde::Serialize;

use crate::decision_log::PolicyVersion;

/// One policy file of the set, as `GET /v1/policies` shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicyFile {
    /// Relative to the policy path it was found under (never absolute).
    pub path: String,
    pub title: Option<String>,
    pub version: Option<String>,
    /// The sha256 of the file's text as read, lower-case hex (the `sha256` of the reports).
    pub hash: String,
}

/// A compiled policy set, with what identifies it.
#[derive(Debug)]
pub struct LoadedSet {
    /// The compiled policy, with the server's limits as its settings.
    pub engine: Engine,
    /// The sha256 of the set (see [`set_hash`]).
    pub hash: String,
    pub files: Vec<PolicyFile>,
    pub versions: Vec<PolicyVersion>,
    pub loaded_at: jiff::Timestamp,
    /// The compiler's warnings, as diagnostics.
    pub warnings: Vec<serde_json::Value>,
}

/// A set that does not compile: the summary line and every diagnostic.
#[derive(Debug, Clone)]
pub struct CompileFailure {
    pub message: String,
    pub diagnostics: Vec<serde_json::Value>,
    /// The diagnostics as the command line shows them (for the server's standard error).
    pub rendered: String,
}

impl LoadedSet {
    pub fn policy(&self) -> &Policy {
        self.engine.policy()
    }
}

/// Compile the policies at `paths` within `limits` into a set. An internal error of the
/// compiler (a panic) is a failure with `covenant::internal::panic`, never a crash.
pub fn compile(paths: &[PathBuf], limits: &Limits) -> Result<LoadedSet, CompileFailure> {
    let compiled = catch_unwind(AssertUnwindSafe(|| {
        resolve::compile_with(paths, &limits.policy)
    }));
    let compiled = match compiled {
        Ok(Ok(c)) => c,
        Ok(Err(diags)) => {
            let message = diags.to_string();
            let rendered = covenant::report::human::render_all(
                &covenant::report::human::handler(false),
                &diags,
            );
            let diagnostics = findings_json(Finding::from_reports(diags.into_reports()), paths);
            return Err(CompileFailure {
                message,
                diagnostics,
                rendered,
            });
        }
        Err(payload) => {
            let p = covenant::check::read::internal_panic("compiling the policy", payload.as_ref());
            let diagnostic = serde_json::json!({
                "code": p.code(),
                "severity": "error",
                "message": p.to_string(),
                "help": p.help_text(),
            });
            return Err(CompileFailure {
                message: "the policy does not compile (1 problem)".into(),
                diagnostics: vec![diagnostic],
                rendered: format!("error[{}]: {p}\n", p.code()),
            });
        }
    };
    let warnings = findings_json(
        Finding::from_reports(compiled.warnings.into_reports()),
        paths,
    );
    let policy = compiled.policy;
    let files = files_of(&policy, paths);
    let versions = versions_of(&policy, &files);
    Ok(LoadedSet {
        hash: set_hash(&files),
        files,
        versions,
        engine: Engine::new(policy, Settings::within(limits)),
        loaded_at: jiff::Timestamp::now(),
        warnings,
    })
}

fn files_of(policy: &Policy, roots: &[PathBuf]) -> Vec<PolicyFile> {
    policy
        .sources
        .iter()
        .zip(&policy.files)
        .map(|(source, info)| PolicyFile {
            path: relative(&source.name, roots),
            title: info.title.clone(),
            version: info.version.clone(),
            hash: info.sha256.clone(),
        })
        .collect()
}

/// The titles and versions of the set, in load order, for the decision log; a file without
/// a title is named by its path.
fn versions_of(policy: &Policy, files: &[PolicyFile]) -> Vec<PolicyVersion> {
    files
        .iter()
        .zip(&policy.files)
        .map(|(file, info)| PolicyVersion {
            title: info.title.clone().unwrap_or_else(|| file.path.clone()),
            version: info.version.clone(),
        })
        .collect()
}

/// The hash of a set: the sha256 of its `sha256sum` listing, `HASH  PATH` lines sorted by
/// path, so that `sha256sum $(find . -name '*.policy' -printf '%P\n' | LC_ALL=C sort) |
/// sha256sum` in a policy folder gives it.
pub fn set_hash(files: &[PolicyFile]) -> String {
    let mut lines: Vec<String> = files
        .iter()
        .map(|f| format!("{}  {}\n", f.hash, f.path))
        .collect();
    lines.sort_by(|a, b| a.get(66..).cmp(&b.get(66..)).then(a.cmp(b)));
    sha256_hex(lines.concat().as_bytes())
}

pub use covenant::digest::sha256_hex;

/// A policy file's path shown relative to the policy path (a folder, or a file's folder) it
/// is under; a file reached by `use` from outside every one keeps its `..` steps. Never
/// absolute: a path under none is shown by its file name.
pub fn relative(shown: &str, roots: &[PathBuf]) -> String {
    let path = Path::new(shown);
    // The deepest root the path is under wins: `-p x.policy -p policies` shows
    // `policies/y.policy` as `y.policy`, not as a path beside `x.policy`.
    let under = roots
        .iter()
        .filter_map(|root| {
            let base = if root.is_file() {
                root.parent()?
            } else {
                root.as_path()
            };
            let rest = path.strip_prefix(base).ok()?;
            let fits = !rest.as_os_str().is_empty() && rest.is_relative();
            fits.then(|| (base.components().count(), rest))
        })
        .max_by_key(|(depth, _)| *depth);
    if let Some((_, rest)) = under {
        return rest.display().to_string();
    }
    if path.is_relative() {
        return shown.to_string();
    }
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// Compile findings as the API shows diagnostics, their files relative to the policy paths.
fn findings_json(findings: Vec<Finding>, roots: &[PathBuf]) -> Vec<serde_json::Value> {
    findings
        .into_iter()
        .map(|f| {
            serde_json::json!({
                "code": f.code,
                "severity": f.severity,
                "message": f.message,
                "file": f.file.as_deref().map(|p| relative(p, roots)),
                "line": f.line,
                "column": f.column,
                "end_line": f.end_line,
                "end_column": f.end_column,
                "help": f.help,
            })
        })
        .collect()
}

/// The set serving now, and how to replace it.
pub struct PolicyStore {
    current: ArcSwap<LoadedSet>,
    paths: Vec<PathBuf>,
    limits: Limits,
    /// One reload at a time, so that a slow compile never replaces a newer set.
    reloading: tokio::sync::Mutex<()>,
}

/// What a successful reload did.
#[derive(Debug, Clone, Serialize)]
pub struct Reloaded {
    pub hash: String,
    pub previous_hash: String,
    pub changed: bool,
    pub files: usize,
    pub rules: usize,
    pub warnings: Vec<serde_json::Value>,
}

impl PolicyStore {
    /// Compile the set at `paths`: the store, or why it does not compile.
    pub fn load(paths: Vec<PathBuf>, limits: Limits) -> Result<PolicyStore, CompileFailure> {
        let set = compile(&paths, &limits)?;
        Ok(PolicyStore {
            current: ArcSwap::from_pointee(set),
            paths,
            limits,
            reloading: tokio::sync::Mutex::new(()),
        })
    }

    /// The set serving now: a request keeps the one it started with.
    pub fn current(&self) -> Arc<LoadedSet> {
        self.current.load_full()
    }

    /// Compile the same paths again and, if they compile, swap the new set in.
    pub async fn reload(&self) -> Result<Reloaded, CompileFailure> {
        let _one_at_a_time = self.reloading.lock().await;
        let (paths, limits) = (self.paths.clone(), self.limits);
        let compiled = tokio::task::spawn_blocking(move || compile(&paths, &limits))
            .await
            .unwrap_or_else(|e| {
                Err(CompileFailure {
                    message: format!("the reload stopped: {e}"),
                    diagnostics: Vec::new(),
                    rendered: format!("the reload stopped: {e}\n"),
                })
            })?;
        let reloaded = Reloaded {
            previous_hash: self.current().hash.clone(),
            changed: self.current().hash != compiled.hash,
            hash: compiled.hash.clone(),
            files: compiled.files.len(),
            rules: compiled.policy().rules.len(),
            warnings: compiled.warnings.clone(),
        };
        self.current.store(Arc::new(compiled));
        Ok(reloaded)
    }

    /// The policy paths, as given at start.
    pub fn paths(&self) -> &[PathBuf] {
        &self.paths
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_relative_to_their_root() {
        let roots = [PathBuf::from("policies"), PathBuf::from("/srv/one.policy")];
        assert_eq!(relative("policies/a/b.policy", &roots), "a/b.policy");
        assert_eq!(relative("/srv/one.policy", &roots), "one.policy");
        assert_eq!(
            relative("policies/../shared/c.policy", &roots),
            "../shared/c.policy"
        );
        assert_eq!(relative("/elsewhere/d.policy", &roots), "d.policy");
    }

    #[test]
    fn the_set_hash_is_the_hash_of_the_sorted_listing() {
        let file = |path: &str, text: &str| PolicyFile {
            path: path.into(),
            title: None,
            version: None,
            hash: sha256_hex(text.as_bytes()),
        };
        let (a, b) = (file("b.policy", "rule b: true\n"), file("a.policy", "x"));
        let listing = format!("{}  a.policy\n{}  b.policy\n", b.hash, a.hash);
        assert_eq!(
            set_hash(&[a.clone(), b.clone()]),
            sha256_hex(listing.as_bytes())
        );
        assert_eq!(set_hash(&[a.clone(), b.clone()]), set_hash(&[b, a]));
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
