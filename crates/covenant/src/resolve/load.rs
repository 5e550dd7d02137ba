//! Loading policy files: folders, `use` includes (each file once, cycles reported with the
//! chain), the schema choice and which definitions each file sees.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::deal::json_schema::schema_from_json_schema;
use crate::deal::schema_extends::{extend_standard, Conflict, ExtendError};
use crate::limits::PolicyLimits;
use crate::schema::Schema;
use crate::source::{SourceFile, Span};
use crate::syntax::ast::{Item, PolicyFile};
use crate::walk::Found;

use super::error::{BadSchema, ConflictingSchema, ResolveError, SchemaConflict, UseCycle};
use super::policy_error::{NoPolicy, NotUtf8, PolicyError, TooLarge, Unreadable, UsedUnreadable};
use super::{CompileDiagnostic, Diagnostics};

/// A parsed policy file and the files it uses (indices into the loaded list).
#[derive(Debug)]
pub struct LoadedFile {
    pub source: SourceFile,
    /// The sha256 of the file's text as read, byte order mark and line ends included (what
    /// `sha256sum FILE` prints): the policy's `sha256` in the reports.
    pub sha256: String,
    pub ast: PolicyFile,
    pub uses: Vec<usize>,
    pub dir: Option<PathBuf>,
}

/// Every `.policy` file under `path`, sorted, or `path` itself. The folder is searched by
/// [`crate::walk`]: each folder and file once, link loops not followed. A folder that cannot
/// be listed, or a `.policy` name that is a FIFO or a device, is an error: a policy that is
/// left out could make a deal pass.
pub fn policy_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let found = crate::walk::walk(path, &|p| p.extension().is_some_and(|e| e == "policy"));
    let special = found
        .skipped
        .iter()
        .find(|(p, _)| p.extension().is_some_and(|e| e == "policy"));
    if let Some((p, why)) = special {
        return Err(std::io::Error::other(format!("`{}` is {why}", p.display())));
    }
    let mut out = Vec::new();
    for f in found.found {
        match f {
            Found::File(p) => out.push(p),
            Found::Unlistable(p, why) => {
                return Err(std::io::Error::other(format!("`{}`: {why}", p.display())))
            }
        }
    }
    Ok(out)
}

fn io_error(path: &Path, e: &std::io::Error) -> PolicyError {
    PolicyError::from(Unreadable {
        path: path.display().to_string(),
        why: e.to_string(),
    })
}

/// Texts that stand for files on disk: an editor's unsaved buffers, by path (canonical when
/// the file exists).
pub type Overlay = HashMap<PathBuf, std::sync::Arc<str>>;

/// The parses of each file's items, kept from one load to the next (see
/// [`crate::syntax::parse_partial_cached`]), by the file's path (canonical when it exists).
pub type ParseCaches = HashMap<PathBuf, crate::syntax::ParseCache>;

struct Loader<'o> {
    overlay: Option<&'o Overlay>,
    caches: Option<&'o mut ParseCaches>,
    /// Keep what parses of a file that does not (for tools): see [`load_for_tools`].
    recover: bool,
    max_file_size: u64,
    read_timeout: std::time::Duration,
    files: Vec<LoadedFile>,
    by_path: HashMap<PathBuf, usize>,
    stack: Vec<(PathBuf, String)>,
    diagnostics: Diagnostics,
}

impl Loader<'_> {
    /// The text of `path` from the overlay, when it holds it.
    fn overlaid(&self, path: &Path, key: &Path) -> Option<String> {
        let overlay = self.overlay?;
        let text = overlay.get(key).or_else(|| overlay.get(path))?;
        Some(text.to_string())
    }

    /// Load `path` (once), returning its index.
    fn load(&mut self, path: &Path, from: Option<(usize, Span)>) -> Option<usize> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(pos) = self.stack.iter().position(|(p, _)| *p == key) {
            self.cycle(pos, path, from);
            return None;
        }
        if let Some(&i) = self.by_path.get(&key) {
            return Some(i);
        }
        if let Some(text) = self.overlaid(path, &key) {
            return self.parsed(path, key, &text);
        }
        let bytes = match crate::bounded::read_file(path, self.max_file_size, self.read_timeout) {
            Ok(Some(b)) => b,
            Ok(None) => {
                self.too_large(path, from);
                return None;
            }
            Err(e) => {
                let mut error = io_error(path, &e);
                if let Some((file, span)) = from {
                    if let Some(f) = self.files.get(file) {
                        error = PolicyError::from(UsedUnreadable {
                            path: path.display().to_string(),
                            why: e.to_string(),
                            src: f.source.named(),
                            span: span.into(),
                        });
                    }
                }
                self.diagnostics.push(error);
                return None;
            }
        };
        let name = path.display().to_string();
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                self.diagnostics.push(PolicyError::from(NotUtf8 {
                    path: name,
                    offset: e.utf8_error().valid_up_to(),
                }));
                return None;
            }
        };
        self.parsed(path, key, &text)
    }

    /// Parse the text of `path` and load the files it uses.
    fn parsed(&mut self, path: &Path, key: PathBuf, text: &str) -> Option<usize> {
        let sha256 = crate::digest::sha256_hex(text.as_bytes());
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let source = SourceFile::policy(path.display().to_string(), text);
        let ast = if self.recover {
            let (ast, errors) = match self.caches.as_deref_mut() {
                Some(caches) => crate::syntax::parse_partial_cached(
                    &source,
                    caches.entry(key.clone()).or_default(),
                ),
                None => crate::syntax::parse_partial(&source),
            };
            if !errors.is_empty() {
                self.diagnostics.push(crate::syntax::ParseErrors {
                    name: source.name.to_string(),
                    errors,
                });
            }
            ast
        } else {
            match crate::syntax::parse(&source) {
                Ok(ast) => ast,
                Err(e) => {
                    self.diagnostics.push(e);
                    return None;
                }
            }
        };
        self.stack.push((key.clone(), path.display().to_string()));
        let dir = path.parent().map(Path::to_path_buf);
        let uses: Vec<(String, Span)> = ast
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Use(u) => Some((u.node.clone(), u.span)),
                _ => None,
            })
            .collect();
        // Reserve this file's index after its uses, so used files come first.
        let mut used = Vec::new();
        let this = self.files.len();
        self.files.push(LoadedFile {
            source,
            sha256,
            ast,
            uses: Vec::new(),
            dir: dir.clone(),
        });
        for (rel, span) in uses {
            let target = dir.as_deref().unwrap_or(Path::new(".")).join(&rel);
            if let Some(i) = self.load(&target, Some((this, span))) {
                used.push(i);
            }
        }
        self.stack.pop();
        if let Some(f) = self.files.get_mut(this) {
            f.uses = used;
        }
        self.by_path.insert(key, this);
        Some(this)
    }

    fn too_large(&mut self, path: &Path, from: Option<(usize, Span)>) {
        let used_at = from.and_then(|(file, span)| Some((self.files.get(file)?, span)));
        self.diagnostics.push(PolicyError::from(TooLarge {
            path: path.display().to_string(),
            limit: crate::limits::show_size(self.max_file_size),
            src: used_at.map(|(f, _)| f.source.named()),
            span: used_at.map(|(_, span)| span.into()),
        }));
    }

    fn cycle(&mut self, pos: usize, path: &Path, from: Option<(usize, Span)>) {
        let chain: Vec<String> = self
            .stack
            .get(pos..)
            .unwrap_or(&[])
            .iter()
            .map(|(_, shown)| shown.clone())
            .chain(std::iter::once(path.display().to_string()))
            .collect();
        let used_at = from.and_then(|(file, span)| Some((self.files.get(file)?, span)));
        self.diagnostics.push(ResolveError::from(UseCycle {
            files: chain,
            src: used_at.map(|(f, _)| f.source.named()),
            span: used_at.map(|(_, span)| span.into()),
        }));
    }
}

/// Load and parse every policy file at `paths` and everything they use, within `limits`.
pub fn load_policy_files_with(
    paths: &[PathBuf],
    limits: &PolicyLimits,
) -> Result<Vec<LoadedFile>, Diagnostics> {
    let mut loader = Loader {
        overlay: None,
        caches: None,
        recover: false,
        max_file_size: limits.max_file_size,
        read_timeout: limits.read_timeout,
        files: Vec::new(),
        by_path: HashMap::new(),
        stack: Vec::new(),
        diagnostics: Diagnostics::new(),
    };
    for path in paths {
        match policy_files(path) {
            Ok(files) if files.is_empty() => loader.diagnostics.push(PolicyError::from(NoPolicy {
                path: path.display().to_string(),
            })),
            Ok(files) => {
                for f in files {
                    loader.load(&f, None);
                }
            }
            Err(e) => loader.diagnostics.push(io_error(path, &e)),
        }
    }
    if !loader.diagnostics.is_empty() {
        return Err(loader.diagnostics);
    }
    Ok(loader.files)
}

/// Load the policy files at `paths` and everything they use for a tool that works on files
/// being edited (the language server): a file's text is taken from `overlay` when it holds
/// it, else read from disk; a file that does not parse keeps the items that do; the items
/// `caches` holds from the last load are not parsed again (and this load's are kept there).
/// Every problem met is in the diagnostics, beside the files that were loaded.
pub fn load_for_tools(
    paths: &[PathBuf],
    limits: &PolicyLimits,
    overlay: &Overlay,
    caches: &mut ParseCaches,
) -> (Vec<LoadedFile>, Diagnostics) {
    let mut loader = Loader {
        overlay: Some(overlay),
        caches: Some(caches),
        recover: true,
        max_file_size: limits.max_file_size,
        read_timeout: limits.read_timeout,
        files: Vec::new(),
        by_path: HashMap::new(),
        stack: Vec::new(),
        diagnostics: Diagnostics::new(),
    };
    for path in paths {
        loader.load(path, None);
    }
    (loader.files, loader.diagnostics)
}

/// The schema named by a header `schema "file.json"` (with `extends standard`, the standard
/// one extended by it), or the standard one. The schema file is read within the policy size
/// and time limits.
pub fn pick_schema(
    files: &[LoadedFile],
    limits: &PolicyLimits,
    errors: &mut Vec<CompileDiagnostic>,
) -> Schema {
    let mut chosen: Option<(Schema, (String, bool))> = None;
    for f in files {
        let Some(s) = &f.ast.header.schema else {
            continue;
        };
        let extends = f.ast.header.schema_extends.is_some();
        let path = f.dir.as_deref().unwrap_or(Path::new(".")).join(&s.node);
        let loaded = read_schema(&path, limits)
            .map_err(ExtendError::Bad)
            .and_then(|text| match extends {
                true => extend_standard(&text).map_err(|e| located(e, &path, text)),
                false => schema_from_json_schema(&text, &s.node).map_err(ExtendError::Bad),
            });
        let key = (s.node.clone(), extends);
        match loaded {
            Ok(schema) => match &chosen {
                Some((_, first)) if *first != key => errors.push(
                    ResolveError::from(ConflictingSchema {
                        first: shown(first),
                        second: shown(&key),
                        src: f.source.named(),
                        span: s.span.into(),
                    })
                    .into(),
                ),
                Some(_) => {}
                None => chosen = Some((schema, key)),
            },
            Err(ExtendError::Bad(why)) => errors.push(
                ResolveError::from(BadSchema {
                    name: s.node.clone(),
                    why,
                    src: f.source.named(),
                    span: s.span.into(),
                })
                .into(),
            ),
            Err(ExtendError::Conflict(c)) => {
                errors.push(ResolveError::from(schema_conflict(f, s, c)).into());
            }
        }
    }
    chosen.map_or_else(Schema::standard, |(s, _)| s)
}

/// A schema's name as a conflict shows it.
fn shown((name, extends): &(String, bool)) -> String {
    match extends {
        true => format!("{name} (extends standard)"),
        false => name.clone(),
    }
}

/// A conflict keeps the schema file's text, so that it can be shown at its place there.
fn located(e: ExtendError, path: &Path, text: String) -> ExtendError {
    match e {
        ExtendError::Conflict(c) => ExtendError::Conflict(Conflict {
            file: Some(SourceFile::new(path.display().to_string(), text)),
            ..c
        }),
        bad => bad,
    }
}

fn schema_conflict(
    f: &LoadedFile,
    s: &crate::syntax::ast::Spanned<String>,
    c: Conflict,
) -> SchemaConflict {
    let whose = match c.record.as_str() {
        "deal" => "the deal".to_string(),
        r => format!("every {r}"),
    };
    let (src, span) = match (c.file, c.span) {
        (Some(file), Some(span)) => (file.named(), span.into()),
        _ => (f.source.named(), s.span.into()),
    };
    SchemaConflict {
        name: s.node.clone(),
        field: c.field,
        whose,
        src,
        span,
    }
}

fn read_schema(path: &Path, limits: &PolicyLimits) -> Result<String, String> {
    let max = limits.max_file_size;
    let bytes = crate::bounded::read_file(path, max, limits.read_timeout)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            let size = crate::limits::show_size(max);
            format!("the file is larger than the limit of {size} (--max-policy-size)")
        })?;
    String::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_string())
}

/// File `file` and every file it uses, transitively.
pub(super) fn reachable_files(files: &[LoadedFile], file: usize) -> Vec<usize> {
    let mut reach = vec![file];
    let mut i = 0;
    while let Some(&f) = reach.get(i) {
        for &u in files.get(f).map(|f| f.uses.as_slice()).unwrap_or(&[]) {
            if !reach.contains(&u) {
                reach.push(u);
            }
        }
        i += 1;
    }
    reach
}
