//! A candidate policy set sent in a request (`POST /v1/impact`): named files and their texts,
//! compiled in a temporary folder of their own. No file outside the set is read: a name must
//! be a plain relative path, and every file a policy names (`use`, `schema`, `calendar … from`,
//! `fx … from`) must be one of the set's, checked before anything is compiled.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use covenant::limits::Limits;
use covenant::source::SourceFile;
use covenant::syntax::ast::Item;
use serde::Deserialize;

use crate::error::ApiError;
use crate::policies::{self, CompileFailure, LoadedSet};

/// The most files a candidate set may have.
pub const MAX_FILES: usize = 1000;

/// The body of `POST /v1/impact`: `{"files": {"NAME": "TEXT", …}}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CandidateSet {
    pub files: BTreeMap<String, String>,
}

fn refused(message: String) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "covenant::server::invalid-policy-set",
        message,
    )
}

impl CandidateSet {
    /// Check the names and the files the policies name, before anything is written.
    pub fn validate(&self) -> Result<(), ApiError> {
        if !self.files.keys().any(|n| n.ends_with(".policy")) {
            return Err(refused("the candidate set has no `.policy` file".into()));
        }
        if self.files.len() > MAX_FILES {
            return Err(refused(format!(
                "the candidate set has {} files, more than {MAX_FILES}",
                self.files.len()
            )));
        }
        for name in self.files.keys() {
            if plain(Path::new(name)).is_none() {
                return Err(refused(format!(
                    "`{name}` is not a file name of the set: use a relative path without `..`"
                )));
            }
        }
        for (name, text) in self.files.iter().filter(|(n, _)| n.ends_with(".policy")) {
            for named in named_files(name, text) {
                let target = Path::new(name)
                    .parent()
                    .unwrap_or(Path::new(""))
                    .join(&named);
                let found = inside(&target).map(|p| p.display().to_string());
                if !found.is_some_and(|p| self.files.contains_key(&p)) {
                    return Err(refused(format!(
                        "`{name}` names the file `{named}`, which is not in the candidate set: \
                         send every file the policies use"
                    )));
                }
            }
        }
        Ok(())
    }

    /// Write the set into a new temporary folder and compile it; the files are shown by
    /// their names in the set.
    pub fn compile(&self, limits: &Limits) -> Result<LoadedSet, CompileFailure> {
        let failure = |e: std::io::Error| CompileFailure {
            message: format!("the candidate set cannot be written to a temporary folder: {e}"),
            diagnostics: Vec::new(),
            rendered: String::new(),
        };
        let dir = tempfile::tempdir().map_err(failure)?;
        for (name, text) in &self.files {
            let path = dir.path().join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(failure)?;
            }
            std::fs::write(&path, text).map_err(failure)?;
        }
        policies::compile(&[dir.path().to_path_buf()], limits)
    }
}

/// `path` without `.` steps, if it is relative and has no `..`, root or prefix: a file name
/// of the set.
fn plain(path: &Path) -> Option<PathBuf> {
    let parent = path.components().any(|c| c == Component::ParentDir);
    if parent {
        return None;
    }
    inside(path)
}

/// `path` with its `.` and `..` steps resolved, if it is relative and never climbs above the
/// set's folder: where a file named by a policy of the set is.
fn inside(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// The files a policy names: its `use`s and its header's schema, calendar and rate files. A
/// policy that does not parse names none (the compiler follows nothing from it either).
fn named_files(name: &str, text: &str) -> Vec<String> {
    let Ok(ast) = covenant::syntax::parse(&SourceFile::policy(name, text)) else {
        return Vec::new();
    };
    let header = &ast.header;
    let mut named: Vec<String> = ast
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Use(u) => Some(u.node.clone()),
            _ => None,
        })
        .collect();
    named.extend(header.schema.as_ref().map(|s| s.node.clone()));
    named.extend(header.calendar.as_ref().map(|c| c.file.node.clone()));
    named.extend(header.fx.as_ref().map(|f| f.file.node.clone()));
    named
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(files: &[(&str, &str)]) -> CandidateSet {
        CandidateSet {
            files: files
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
        }
    }

    fn refusal(files: &[(&str, &str)]) -> Option<String> {
        set(files).validate().err().map(|e| e.message)
    }

    #[test]
    fn names_and_references_stay_inside_the_set() {
        assert_eq!(refusal(&[("a.policy", "rule r: board seats > 1\n")]), None);
        assert_eq!(
            refusal(&[
                (
                    "sub/a.policy",
                    "use \"../common.policy\"\nrule r: board seats > 1\n"
                ),
                ("common.policy", "let x = 1\n"),
            ]),
            None
        );
        for bad in [
            vec![("../a.policy", "rule r: board seats > 1\n")],
            vec![("/etc/a.policy", "rule r: board seats > 1\n")],
            vec![(
                "a.policy",
                "use \"../../etc/x.policy\"\nrule r: board seats > 1\n",
            )],
            vec![(
                "a.policy",
                "use \"/etc/x.policy\"\nrule r: board seats > 1\n",
            )],
            vec![(
                "a.policy",
                "policy \"P\"\n  schema \"/etc/passwd\"\nrule r: board seats > 1\n",
            )],
            vec![(
                "a.policy",
                "use \"missing.policy\"\nrule r: board seats > 1\n",
            )],
            vec![("notes.txt", "hello")],
        ] {
            assert!(refusal(&bad).is_some(), "{bad:?}");
        }
    }
}
