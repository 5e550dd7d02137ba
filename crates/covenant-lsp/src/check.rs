//! One analysis of a document: the library's [`Analysis`] of the document as the root (and
//! the files it uses), with a line index per file and the URIs the files are known by.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use covenant::analysis::{analyze_cached, Analysis};
use covenant::limits::PolicyLimits;
use covenant::resolve::{LoadedFile, Overlay, ParseCaches};
use covenant::source::Span;
use tower_lsp_server::ls_types::{Location, Range, Uri};

use crate::position::LineIndex;

/// The open documents' texts and the paths they stand for: what an analysis reads.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub overlay: Overlay,
    /// The URI of each open document, by the path it stands for.
    pub uris: HashMap<PathBuf, Uri>,
}

impl Snapshot {
    /// The URI of the file at `path`: the open document's, else a `file:` URI.
    pub fn uri_of(&self, path: &Path) -> Option<Uri> {
        self.uris
            .get(path)
            .cloned()
            .or_else(|| Uri::from_file_path(path))
    }
}

/// The path a document stands for: its file, or a made-up path for a document that is not a
/// file (an unsaved, untitled buffer), which then cannot `use` files by relative paths.
pub fn path_of(uri: &Uri) -> PathBuf {
    match uri.to_file_path() {
        Some(p) => std::fs::canonicalize(&p).unwrap_or_else(|_| p.into_owned()),
        None => {
            let name: String = uri
                .as_str()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            PathBuf::from(format!("/covenant-untitled/{name}.policy"))
        }
    }
}

/// An analysis with what positions and URIs need.
#[derive(Debug)]
pub struct Checked {
    pub analysis: Analysis,
    /// A line index per loaded file (same order).
    pub lines: Vec<LineIndex>,
    /// A URI per loaded file (same order).
    pub uris: Vec<Option<Uri>>,
    /// The canonical path of each loaded file (same order; as named when it has none).
    pub canonical: Vec<PathBuf>,
    /// The index of the root file, when it loaded.
    pub root: Option<usize>,
    /// The generation of the documents it was made from.
    pub generation: u64,
}

/// Analyze the documents at `roots` (the first is the one asked about) with the snapshot's
/// texts.
pub fn check(roots: &[PathBuf], snapshot: &Snapshot, generation: u64) -> Checked {
    check_cached(roots, snapshot, generation, &mut ParseCaches::new())
}

/// [`check`] after an edit: the items `caches` holds from the last check of the same roots
/// are not parsed again.
pub fn check_cached(
    roots: &[PathBuf],
    snapshot: &Snapshot,
    generation: u64,
    caches: &mut ParseCaches,
) -> Checked {
    let today = jiff::ZonedDateTime::now().date();
    let limits = PolicyLimits::default();
    let analysis = analyze_cached(roots, &snapshot.overlay, &limits, today, caches);
    let lines = analysis
        .files
        .iter()
        .map(|f| LineIndex::new(&f.source.text))
        .collect();
    let uris = analysis
        .files
        .iter()
        .map(|f| snapshot.uri_of(Path::new(&*f.source.name)))
        .collect();
    let canonical = analysis
        .files
        .iter()
        .map(|f| {
            let name = Path::new(&*f.source.name);
            std::fs::canonicalize(name).unwrap_or_else(|_| name.to_path_buf())
        })
        .collect();
    let root = roots
        .first()
        .and_then(|r| analysis.file_index(&r.display().to_string()));
    Checked {
        analysis,
        lines,
        uris,
        canonical,
        root,
        generation,
    }
}

/// A shared analysis.
pub type Shared = Arc<Checked>;

impl Checked {
    pub fn file(&self, index: usize) -> Option<&LoadedFile> {
        self.analysis.files.get(index)
    }

    /// The index of the file whose URI is `uri`.
    pub fn file_of_uri(&self, uri: &Uri) -> Option<usize> {
        self.uris.iter().position(|u| u.as_ref() == Some(uri))
    }

    /// The index of the file a source is named by.
    pub fn file_named(&self, name: &str) -> Option<usize> {
        self.analysis.file_index(name).or_else(|| {
            let wanted = std::fs::canonicalize(name).ok()?;
            self.canonical.iter().position(|c| *c == wanted)
        })
    }

    pub fn text(&self, file: usize) -> &str {
        self.file(file).map_or("", |f| &f.source.text)
    }

    pub fn range(&self, file: usize, span: Span) -> Range {
        match self.lines.get(file) {
            Some(lines) => lines.range(self.text(file), span),
            None => Range::default(),
        }
    }

    pub fn location(&self, file: usize, span: Span) -> Option<Location> {
        let uri = self.uris.get(file)?.clone()?;
        Some(Location::new(uri, self.range(file, span)))
    }

    /// The byte offset of a position in file `file`.
    pub fn offset(&self, file: usize, position: tower_lsp_server::ls_types::Position) -> usize {
        match self.lines.get(file) {
            Some(lines) => lines.offset(self.text(file), position),
            None => 0,
        }
    }

    /// The file that `use "rel"` in file `file` names: its index when loaded, and its path.
    pub fn used_file(&self, file: usize, rel: &str) -> (Option<usize>, PathBuf) {
        let dir = self
            .file(file)
            .and_then(|f| f.dir.clone())
            .unwrap_or_default();
        let path = dir.join(rel);
        (self.file_named(&path.display().to_string()), path)
    }
}
