//! Paths compared and cut by their bytes, where that gives `Path`'s own answer without going
//! component by component: a folder search sorts what it found twice (about 7,000 instructions
//! a file in a folder of 500 deals, component by component) and matches each file's path
//! below the folder against the excluded globs (about 1,500 for `strip_prefix`).

use std::cmp::Ordering;
use std::path::Path;

/// How a set of paths is put in `Path`'s order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathOrder {
    /// Every path is plain ([`is_plain`]): their bytes, the separator below every other byte.
    Bytes,
    /// `Path`'s own comparison, component by component.
    Components,
}

impl PathOrder {
    /// [`PathOrder::Bytes`] when every one of `paths` is plain, else
    /// [`PathOrder::Components`].
    pub(crate) fn of<'a>(mut paths: impl Iterator<Item = &'a Path>) -> PathOrder {
        if paths.all(is_plain) {
            PathOrder::Bytes
        } else {
            PathOrder::Components
        }
    }

    /// `a.cmp(b)` as `Path` compares them; `a` and `b` must be among the paths the order was
    /// made [`of`](PathOrder::of).
    pub(crate) fn cmp(self, a: &Path, b: &Path) -> Ordering {
        match (self, bytes(a), bytes(b)) {
            (PathOrder::Bytes, Some(a), Some(b)) => plain_cmp(a, b),
            _ => a.cmp(b),
        }
    }
}

/// Whether `path` is a separator at most, then names separated by one separator each: no
/// empty component (`a//b`, `a/`), no `.` and no `..`. For such paths `Path`'s components are
/// its root, if any, then the names between the separators, so comparing them component by
/// component is comparing their bytes with the separator ranked first ([`plain_cmp`]). A
/// path of the search is its root joined with names from the folders listed, so it is plain
/// when the root given is.
fn is_plain(path: &Path) -> bool {
    bytes(path).is_some_and(|b| plain_names(b.strip_prefix(b"/").unwrap_or(b)))
}

/// Whether `b` is one name or more, separated by one separator each, none `.` or `..`.
fn plain_names(b: &[u8]) -> bool {
    !b.is_empty()
        && b.split(|&c| c == b'/')
            .all(|name| !name.is_empty() && name != b"." && name != b"..")
}

/// Two plain paths in `Path`'s order. At the first byte where they differ, the names before
/// it are the same in both; a separator there ends one path's name where the other's goes
/// on (or is the root one path has and the other has not), which `Path` puts first, as the
/// separator's rank does; two other bytes order the two names as `Path` does. When one path
/// is the start of the other, it is the shorter name or fewer names, first in both orders.
fn plain_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let rank = |c: Option<&u8>| c.map(|&c| if c == b'/' { 0 } else { u16::from(c) + 1 });
    match a.iter().zip(b).position(|(x, y)| x != y) {
        Some(i) => rank(a.get(i)).cmp(&rank(b.get(i))),
        None => a.len().cmp(&b.len()),
    }
}

/// `path` below `root`, as `path.strip_prefix(root)` finds it (`path` itself when it is not
/// below). When `path` is written as `root`, a separator unless `root` ends with one, then
/// plain names ([`plain_names`]), those names are the answer, found without comparing
/// components. Every path a folder search finds is written so: `root` joined with the names
/// of the folders and the file.
pub(crate) fn below<'a>(root: &Path, path: &'a Path) -> &'a Path {
    let written_below = bytes(root).zip(bytes(path)).and_then(|(root, path)| {
        let rest = path.strip_prefix(root)?;
        let rest = match root.last() {
            Some(b'/') => rest,
            _ => rest.strip_prefix(b"/")?,
        };
        plain_names(rest).then_some(rest)
    });
    match written_below {
        Some(rest) => path_of(rest),
        None => path.strip_prefix(root).unwrap_or(path),
    }
}

#[cfg(unix)]
fn bytes(path: &Path) -> Option<&[u8]> {
    use std::os::unix::ffi::OsStrExt;
    Some(path.as_os_str().as_bytes())
}

/// Elsewhere a path's bytes are not its own encoding to compare: `Path`'s answers are kept.
#[cfg(not(unix))]
fn bytes(_: &Path) -> Option<&[u8]> {
    None
}

#[cfg(unix)]
fn path_of(b: &[u8]) -> &Path {
    use std::os::unix::ffi::OsStrExt;
    Path::new(std::ffi::OsStr::from_bytes(b))
}

/// Never called: [`bytes`] gives none.
#[cfg(not(unix))]
fn path_of(_: &[u8]) -> &Path {
    Path::new("")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn order_of(paths: &[&str]) -> PathOrder {
        PathOrder::of(paths.iter().map(Path::new))
    }

    #[test]
    fn only_plain_paths_are_compared_by_bytes() {
        assert_eq!(
            order_of(&["deals/a.json", "/tmp/x/b.yaml"]),
            PathOrder::Bytes
        );
        for odd in ["a//b", "a/", "./a", "a/./b", "a/../b", "..", "/", "", "//a"] {
            assert_eq!(
                order_of(&["deals/a.json", odd]),
                PathOrder::Components,
                "{odd}"
            );
        }
    }

    #[test]
    fn a_separator_ends_a_name_before_any_other_byte() {
        // By bytes alone `-` (0x2d) comes before `/` (0x2f); `Path` puts `a/b` first.
        let (a, b) = (Path::new("a/b"), Path::new("a-b"));
        assert_eq!(a.cmp(b), Ordering::Less);
        assert_eq!(PathOrder::Bytes.cmp(a, b), Ordering::Less);
        assert_eq!(PathOrder::Bytes.cmp(b, a), Ordering::Greater);
        let (root, name) = (Path::new("/a"), Path::new("-a"));
        assert_eq!(PathOrder::Bytes.cmp(root, name), root.cmp(name));
    }

    /// A path of one to three names, rooted or not, with a trailing separator or not. The
    /// names are made of the bytes that sort around the separator, a dot among them: `/`
    /// in a name makes empty names, and `.` makes `.` and `..` names too.
    fn any_path(name: &'static str) -> impl Strategy<Value = String> {
        let names = prop::collection::vec(name, 1..4);
        (any::<bool>(), names, any::<bool>()).prop_map(|(rooted, names, slash)| {
            let root = if rooted { "/" } else { "" };
            let end = if slash { "/" } else { "" };
            format!("{root}{}{end}", names.join("/"))
        })
    }

    /// A plain path: its names have no separator and are neither `.` nor `..`.
    fn plain_path() -> impl Strategy<Value = String> {
        let names = prop::collection::vec(
            "[-.0a]{1,3}".prop_filter("a name", |n| n != "." && n != ".."),
            1..4,
        );
        (any::<bool>(), names).prop_map(|(rooted, names)| {
            let root = if rooted { "/" } else { "" };
            format!("{root}{}", names.join("/"))
        })
    }

    proptest! {
        #[test]
        fn sorts_as_path_does(paths in prop::collection::vec(any_path("[-./0a]{1,3}"), 0..12)) {
            let paths: Vec<&Path> = paths.iter().map(Path::new).collect();
            let order = PathOrder::of(paths.iter().copied());
            let mut ours = paths.clone();
            ours.sort_by(|a, b| order.cmp(a, b));
            let mut theirs = paths.clone();
            theirs.sort();
            // As written, not as `Path` compares them (`a/` and `a` are equal paths).
            let ours: Vec<_> = ours.into_iter().map(Path::as_os_str).collect();
            let theirs: Vec<_> = theirs.into_iter().map(Path::as_os_str).collect();
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn below_a_root_as_strip_prefix_finds_it(
            root in any_path("[-./0a]{1,3}"),
            names in prop::collection::vec("[-.0a]{1,3}", 1..3),
            other in any_path("[-./0a]{1,3}"),
        ) {
            let root = Path::new(&root);
            let joined = names.iter().fold(root.to_path_buf(), |p, n| p.join(n));
            let other = Path::new(&other);
            for path in [joined.as_path(), other] {
                let theirs = path.strip_prefix(root).unwrap_or(path);
                prop_assert_eq!(below(root, path).as_os_str(), theirs.as_os_str());
            }
        }

        #[test]
        fn plain_paths_compare_as_path_does(a in plain_path(), b in plain_path()) {
            let (a, b) = (Path::new(&a), Path::new(&b));
            prop_assert!(is_plain(a) && is_plain(b));
            prop_assert_eq!(PathOrder::Bytes.cmp(a, b), a.cmp(b));
        }
    }
}
