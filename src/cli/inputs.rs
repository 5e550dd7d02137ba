//! Deal inputs: files, folders (recursive, sorted), `.jsonl` batches and standard input.

use std::path::{Path, PathBuf};

/// One argument's worth of deals, expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// One deal document.
    File(PathBuf),
    /// A JSON-lines batch: one deal per line.
    Batch(PathBuf),
    /// Standard input (one document, YAML or JSON, or JSON lines).
    Stdin,
    /// A path that does not exist or cannot be listed.
    Missing(PathBuf, String),
}

const DEAL_EXTENSIONS: [&str; 5] = ["yaml", "yml", "json", "toml", "jsonl"];

fn is_batch(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "jsonl")
}

/// Expand arguments into inputs, in argument order; folders sorted by path.
pub fn expand(args: &[String]) -> Vec<Input> {
    let mut out = Vec::new();
    for a in args {
        if a == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let p = PathBuf::from(a);
        if p.is_dir() {
            match walk(&p) {
                Ok(files) => out.extend(files.into_iter().map(|f| {
                    if is_batch(&f) {
                        Input::Batch(f)
                    } else {
                        Input::File(f)
                    }
                })),
                Err(e) => out.push(Input::Missing(p, e.to_string())),
            }
        } else if !p.exists() {
            out.push(Input::Missing(p, "no such file or folder".into()));
        } else if is_batch(&p) {
            out.push(Input::Batch(p));
        } else {
            out.push(Input::File(p));
        }
    }
    out
}

fn walk(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let p = entry?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| DEAL_EXTENSIONS.contains(&e))
            {
                files.push(p);
            }
        }
    }
    files.sort();
    Ok(files)
}
