//! Reload when a policy file changes: the policy paths are watched (`notify`), and once the
//! changes have settled (a debounce, so that an editor's save or a `git checkout` is one
//! reload) the set is reloaded as `POST /v1/reload` does. A reload that fails is reported on
//! standard error; the old set keeps serving.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc;

use crate::metrics::Metrics;
use crate::policies::PolicyStore;

/// The watch on the policy paths: dropping it stops the watching.
pub struct PolicyWatch {
    _watcher: RecommendedWatcher,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for PolicyWatch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Watch the store's policy paths: a folder and everything under it, a file through its
/// folder (editors replace a file when they save it). Only changes to `.policy` files count.
pub fn start(
    store: Arc<PolicyStore>,
    metrics: Arc<Metrics>,
    debounce: Duration,
) -> Result<PolicyWatch, String> {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if counts(&event) {
                let _ = tx.send(());
            }
        }
    })
    .map_err(|e| format!("cannot watch the policy files: {e}"))?;
    for path in store.paths() {
        let (target, mode) = watched(path);
        watcher
            .watch(&target, mode)
            .map_err(|e| format!("cannot watch `{}`: {e}", target.display()))?;
    }
    let task = tokio::spawn(reload_on_changes(rx, store, metrics, debounce));
    Ok(PolicyWatch {
        _watcher: watcher,
        task,
    })
}

fn watched(path: &Path) -> (PathBuf, RecursiveMode) {
    if path.is_dir() {
        return (path.to_path_buf(), RecursiveMode::Recursive);
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    (folder, RecursiveMode::NonRecursive)
}

/// A change to a `.policy` file: created, written, renamed or removed (reading is no change).
fn counts(event: &notify::Event) -> bool {
    let changed = matches!(
        event.kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    );
    changed
        && event.paths.iter().any(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("policy"))
        })
}

async fn reload_on_changes(
    mut changes: mpsc::UnboundedReceiver<()>,
    store: Arc<PolicyStore>,
    metrics: Arc<Metrics>,
    debounce: Duration,
) {
    while changes.recv().await.is_some() {
        // Wait until no change has come for `debounce`.
        while let Ok(Some(())) = tokio::time::timeout(debounce, changes.recv()).await {}
        match store.reload().await {
            Ok(r) => {
                metrics.reload(true);
                if r.changed {
                    eprintln!(
                        "covenant serve: policies reloaded: set {} ({} files, {} rules)",
                        r.hash, r.files, r.rules
                    );
                }
            }
            Err(failure) => {
                metrics.reload(false);
                eprint!("{}", failure.rendered);
                eprintln!(
                    "covenant serve: the changed policies do not compile ({}); the set {} keeps serving",
                    failure.message,
                    store.current().hash
                );
            }
        }
    }
}
