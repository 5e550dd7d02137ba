//! The recursive folder search shared by deal folders and policy folders.
//!
//! - Each folder is walked once: folders are known by their canonical path, so a link to a
//!   folder already walked is not followed again. A link to the folder that holds it or to
//!   any folder above it (`self -> .`, `up -> ..`) is a loop: it is skipped with a note.
//!   Other links to folders are followed, after every real folder, so that a file is named
//!   by its real path when it has one.
//! - Each file is found once, however many links lead to it (files are known by their
//!   canonical path).
//! - A folder that cannot be listed is reported, and the search goes on beside it.
//! - A wanted name that is a FIFO, a device or a socket is skipped with a note: reading it
//!   could block or never end.
//!
//! What is found comes sorted by path, so the order never depends on the file system.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::bounded::special_kind;
use crate::path_bytes::PathOrder;

/// One thing the search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A file with a wanted name (a link that leads nowhere included: reading it will say so).
    File(PathBuf),
    /// A folder that could not be listed, and why.
    Unlistable(PathBuf, String),
}

impl Found {
    pub fn path(&self) -> &Path {
        match self {
            Found::File(p) | Found::Unlistable(p, _) => p,
        }
    }
}

/// The result of a search: what was found, sorted by path, and what was skipped, with why.
#[derive(Debug, Default)]
pub struct Walk {
    pub found: Vec<Found>,
    pub skipped: Vec<(PathBuf, String)>,
}

/// A file found: the path shown, the canonical path, and whether a link to a folder led to
/// it.
struct FileSeen {
    shown: PathBuf,
    key: PathBuf,
    via_link: bool,
}

struct Search<'a> {
    wanted: &'a dyn Fn(&Path) -> bool,
    skip_folder: &'a dyn Fn(&Path) -> bool,
    visited: HashSet<PathBuf>,
    /// Real folders to list: (path shown, canonical path, reached through a link).
    folders: Vec<(PathBuf, PathBuf, bool)>,
    /// Links to folders, followed once the real folders are done: (link, canonical path of
    /// the folder holding it).
    links: Vec<(PathBuf, PathBuf)>,
    files: Vec<FileSeen>,
    walk: Walk,
}

/// Search `root` for files whose path `wanted` accepts.
pub fn walk(root: &Path, wanted: &dyn Fn(&Path) -> bool) -> Walk {
    walk_skipping(root, wanted, &|_| false)
}

/// [`walk`], without entering the folders below `root` (real or reached by a link) whose
/// path `skip_folder` accepts.
pub fn walk_skipping(
    root: &Path,
    wanted: &dyn Fn(&Path) -> bool,
    skip_folder: &dyn Fn(&Path) -> bool,
) -> Walk {
    let mut search = Search {
        wanted,
        skip_folder,
        visited: HashSet::new(),
        folders: Vec::new(),
        links: Vec::new(),
        files: Vec::new(),
        walk: Walk::default(),
    };
    match std::fs::canonicalize(root) {
        Ok(canon) => {
            search.visited.insert(canon.clone());
            search.folders.push((root.to_path_buf(), canon, false));
        }
        Err(e) => search.unlistable(root, &e),
    }
    loop {
        if let Some((dir, canon, via_link)) = search.folders.pop() {
            search.list(&dir, &canon, via_link);
        } else if !search.follow_next_link() {
            break;
        }
    }
    search.finish()
}

impl Search<'_> {
    fn unlistable(&mut self, dir: &Path, e: &std::io::Error) {
        self.walk.found.push(Found::Unlistable(
            dir.to_path_buf(),
            format!("cannot list folder: {e}"),
        ));
    }

    fn list(&mut self, dir: &Path, canon: &Path, via_link: bool) {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return self.unlistable(dir, &e),
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => return self.unlistable(dir, &e),
            };
            let name = entry.file_name();
            let path = dir.join(&name);
            let Ok(kind) = entry.file_type() else {
                self.file(path.clone(), path, via_link);
                continue;
            };
            if kind.is_symlink() {
                self.link(path, canon, via_link);
            } else if kind.is_dir() {
                if (self.skip_folder)(&path) {
                    continue;
                }
                let key = canon.join(&name);
                if self.visited.insert(key.clone()) {
                    self.folders.push((path, key, via_link));
                }
            } else if (self.wanted)(&path) {
                if kind.is_file() {
                    self.file(path, canon.join(&name), via_link);
                } else {
                    let why = std::fs::metadata(&path)
                        .ok()
                        .and_then(|m| special_kind(&m))
                        .unwrap_or("not a regular file");
                    self.walk.skipped.push((path, why.to_string()));
                }
            }
        }
    }

    fn link(&mut self, path: PathBuf, holder: &Path, via_link: bool) {
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                if !(self.skip_folder)(&path) {
                    self.links.push((path, holder.to_path_buf()));
                }
            }
            Ok(meta) if (self.wanted)(&path) => match special_kind(&meta) {
                Some(why) => self.walk.skipped.push((path, why.to_string())),
                None => {
                    let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                    self.file(path, key, true);
                }
            },
            Ok(_) => {}
            // A link that leads nowhere: reported when read, if its name is wanted.
            Err(_) => {
                if (self.wanted)(&path) {
                    self.file(path.clone(), path, via_link);
                }
            }
        }
    }

    fn file(&mut self, shown: PathBuf, key: PathBuf, via_link: bool) {
        self.files.push(FileSeen {
            shown,
            key,
            via_link,
        });
    }

    /// Follow the first link to a folder (in path order) not yet walked; false when none is
    /// left.
    fn follow_next_link(&mut self) -> bool {
        self.links.sort_by(|a, b| b.0.cmp(&a.0));
        let Some((link, holder)) = self.links.pop() else {
            return false;
        };
        match std::fs::canonicalize(&link) {
            Ok(target) if holder.starts_with(&target) => self.walk.skipped.push((
                link,
                "a link to a folder that holds it (a loop)".to_string(),
            )),
            Ok(target) => {
                if self.visited.insert(target.clone()) {
                    self.folders.push((link, target, true));
                }
            }
            Err(e) => self.unlistable(&link, &e),
        }
        true
    }

    /// Each file once: by its real path when it has one, else by the first path in order.
    /// (Paths in `Path`'s order, [`PathOrder`].)
    fn finish(mut self) -> Walk {
        let paths = self.files.iter().flat_map(|f| [&*f.key, &*f.shown]);
        let order = PathOrder::of(paths);
        self.files.sort_by(|a, b| {
            order
                .cmp(&a.key, &b.key)
                .then(a.via_link.cmp(&b.via_link))
                .then_with(|| order.cmp(&a.shown, &b.shown))
        });
        self.files
            .dedup_by(|later, first| order.cmp(&later.key, &first.key).is_eq());
        let files = self.files.into_iter().map(|f| Found::File(f.shown));
        self.walk.found.extend(files);
        let order = PathOrder::of(self.walk.found.iter().map(Found::path));
        self.walk
            .found
            .sort_by(|a, b| order.cmp(a.path(), b.path()));
        self.walk.skipped.sort();
        self.walk
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn names(root: &Path, w: &Walk) -> Vec<String> {
        w.found
            .iter()
            .map(|f| {
                let rel = f.path().strip_prefix(root).unwrap_or(f.path());
                match f {
                    Found::File(_) => rel.display().to_string(),
                    Found::Unlistable(_, why) => format!("{} ({why})", rel.display()),
                }
            })
            .collect()
    }

    #[test]
    fn links_are_followed_once_and_loops_not_at_all() {
        let root = std::env::temp_dir().join(format!("covenant-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("d/sub")).unwrap();
        std::fs::write(root.join("d/a.yaml"), "").unwrap();
        std::fs::write(root.join("d/sub/b.yaml"), "").unwrap();
        symlink(".", root.join("d/self")).unwrap();
        symlink("..", root.join("d/sub/back")).unwrap();
        symlink("sub", root.join("d/alias")).unwrap();
        symlink("sub", root.join("d/0alias")).unwrap();
        symlink("a.yaml", root.join("d/link.yaml")).unwrap();
        symlink("missing.yaml", root.join("d/dangling.yaml")).unwrap();
        let d = root.join("d");
        let w = walk(&d, &|p| p.extension().is_some_and(|e| e == "yaml"));
        assert_eq!(names(&d, &w), ["a.yaml", "dangling.yaml", "sub/b.yaml"]);
        let skipped: Vec<_> = w.skipped.iter().map(|(p, _)| p.clone()).collect();
        assert_eq!(skipped, [d.join("self"), d.join("sub/back")]);
        let _ = std::fs::remove_dir_all(&root);
    }
}
