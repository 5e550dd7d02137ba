//! Deal inputs: files, folders (recursive, sorted), `.jsonl` batches and standard input.

use std::path::{Path, PathBuf};

use crate::report::visible::visible;
use crate::walk::{walk, Found};

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

/// Expand arguments into inputs, in argument order; folders searched by [`walk`], sorted by
/// path. What a folder search skips (FIFOs, devices, link loops) is added to `warnings`.
pub fn expand(args: &[String], warnings: &mut Vec<String>) -> Vec<Input> {
    let mut out = Vec::new();
    for a in args {
        if a == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let p = PathBuf::from(a);
        if p.is_dir() {
            let found = walk(&p, &is_deal_name);
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
