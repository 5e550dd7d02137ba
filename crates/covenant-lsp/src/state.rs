//! What the server holds between requests: the open documents (their texts take precedence
//! over the files on disk), the workspace folders, and the last analysis of each document.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use crate::check::{path_of, Shared, Snapshot};
use crate::position::LineIndex;

/// An open document.
#[derive(Debug)]
pub struct Document {
    pub text: Arc<str>,
    pub path: PathBuf,
}

#[derive(Debug, Default)]
pub struct State {
    pub documents: HashMap<Uri, Document>,
    /// Counts every change to any document: an analysis is current while it has the count
    /// it was made at.
    pub generation: u64,
    /// The last analysis of each open document, with the document as the root.
    pub analyses: HashMap<Uri, Shared>,
    /// The last analysis of the whole workspace (for references), by generation.
    pub workspace: Option<Shared>,
    pub folders: Vec<PathBuf>,
    /// The parses of the items of each open document's files, from its last analysis.
    pub caches: HashMap<Uri, covenant::resolve::ParseCaches>,
    /// The open documents whose diagnostics are to be published again.
    pub pending: std::collections::HashSet<Uri>,
    /// Where `docs/diagnostics.md` is, for the links of diagnostic codes.
    pub docs: Option<Uri>,
}

impl State {
    pub fn snapshot(&self) -> Snapshot {
        let mut snapshot = Snapshot::default();
        for (uri, doc) in &self.documents {
            snapshot.overlay.insert(doc.path.clone(), doc.text.clone());
            snapshot.uris.insert(doc.path.clone(), uri.clone());
        }
        snapshot
    }

    pub fn open(&mut self, uri: Uri, text: String) {
        let path = path_of(&uri);
        self.documents.insert(
            uri,
            Document {
                text: text.into(),
                path,
            },
        );
        self.generation += 1;
    }

    /// Apply edits (ranges in the text as it is before each) or a whole new text.
    pub fn change(&mut self, uri: &Uri, changes: Vec<TextDocumentContentChangeEvent>) {
        let Some(doc) = self.documents.get_mut(uri) else {
            return;
        };
        let mut text = doc.text.to_string();
        for change in changes {
            match change.range {
                Some(range) => {
                    let lines = LineIndex::new(&text);
                    let start = lines.offset(&text, range.start);
                    let end = lines.offset(&text, range.end).max(start);
                    text.replace_range(start..end, &change.text);
                }
                None => text = change.text,
            }
        }
        doc.text = text.into();
        self.generation += 1;
    }

    pub fn close(&mut self, uri: &Uri) {
        self.documents.remove(uri);
        self.analyses.remove(uri);
        self.caches.remove(uri);
        self.generation += 1;
    }

    /// The current analysis of `uri`, if it has one.
    pub fn current(&self, uri: &Uri) -> Option<Shared> {
        self.analyses
            .get(uri)
            .filter(|a| a.generation == self.generation)
            .cloned()
    }

    /// The open documents whose last analysis read the file at `path` (beside `path`'s own
    /// document): the users of a file that changed.
    pub fn users_of(&self, path: &std::path::Path) -> Vec<Uri> {
        self.analyses
            .iter()
            .filter(|(uri, a)| {
                self.documents.get(*uri).is_some_and(|d| d.path != path)
                    && a.canonical.iter().any(|c| c == path)
            })
            .map(|(uri, _)| uri.clone())
            .collect()
    }

    /// What the roots of the workspace's analysis are made of: the workspace folders and the
    /// open documents' paths (see [`workspace_roots`]).
    pub fn workspace_parts(&self) -> (Vec<PathBuf>, Vec<PathBuf>) {
        let mut open: Vec<PathBuf> = self.documents.values().map(|d| d.path.clone()).collect();
        open.sort();
        (self.folders.clone(), open)
    }
}

/// The policy files of the workspace `folders` (searched on disk: call it off the async
/// runtime) and the `open` documents: the roots of the analysis that references search.
pub fn workspace_roots(folders: &[PathBuf], open: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = folders
        .iter()
        .filter_map(|f| covenant::resolve::policy_files(f).ok())
        .flatten()
        .filter(|p| p.is_file())
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
        .collect();
    roots.extend(open);
    let mut seen = std::collections::HashSet::new();
    roots.retain(|p| seen.insert(p.clone()));
    roots
}
