//! Snapshots of a case's full JSON report, stored beside the suite
//! (`<suite name>.snapshots/<case-slug>.json`), compared as text with a line diff.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::report::{self, DealReport};
use crate::resolve::Policy;

/// The folder of a suite's snapshots: `us-auto-jv.test.yaml` → `us-auto-jv.snapshots`.
pub fn dir(suite: &Path) -> PathBuf {
    let name = suite
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = [".test.yaml", ".test.yml", ".yaml", ".yml"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .unwrap_or(&name);
    suite
        .parent()
        .unwrap_or(Path::new(""))
        .join(format!("{stem}.snapshots"))
}

/// The case's report as stored: the `--format json` deal object, pretty, with a final newline.
pub fn render(policy: &Policy, d: &DealReport) -> String {
    let line = report::json::deal_line(policy, d);
    let pretty = serde_json::from_str::<serde_json::Value>(&line)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or(line);
    format!("{pretty}\n")
}

/// How the stored snapshot compares with the actual report.
pub enum Compared {
    Same,
    Missing,
    /// The stored snapshot, line ends as `\n`.
    Differs(String),
}

pub fn compare(path: &Path, actual: &str) -> Compared {
    match std::fs::read_to_string(path) {
        Err(_) => Compared::Missing,
        Ok(stored) => {
            let stored = stored.replace("\r\n", "\n");
            if stored == actual {
                Compared::Same
            } else {
                Compared::Differs(stored)
            }
        }
    }
}

/// Write `text` to `path` atomically: a temporary file in the same folder, then a rename.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new(""));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The `.json` files of a snapshot folder that belong to none of `slugs`, sorted.
pub fn stale(dir: &Path, slugs: &[&str]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && p.file_stem()
                    .is_some_and(|s| !slugs.iter().any(|slug| s == *slug))
        })
        .collect();
    out.sort();
    out
}
