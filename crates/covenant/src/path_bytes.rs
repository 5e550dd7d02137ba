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
        debug_assert!(self == PathOrder::Components || (is_plain(a) && is_plain(b)));
        match (self, bytes(a), bytes(b)) {
            (PathOrder::Bytes, Some(a_bytes), Some(b_bytes)) => plain_cmp(a_bytes, b_bytes),
            _ => a.cmp(b),
        }
    }
}

/// Whether `path` is an optional leading separator, then names separated by one separator
/// each: no empty name (`a//b`, `a/`), no `.` and no `..`. For such paths `Path`'s components
/// are its root, if any, then the names between the separators, so comparing them component
/// by component is comparing their bytes with the separator ranked first ([`plain_cmp`]).
/// The canonical paths a folder search keys its files by are plain; the paths it shows are
/// its root joined with names, plain when the root has no `.`, `..` or empty name (`deals`,
/// `deals/` and `/tmp/deals` are such roots, `./deals` is not).
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
/// below), found without comparing components when `path` is written so ([`written_below`]):
/// every path a folder search finds is `root` joined with the names of folders and a file.
pub(crate) fn below<'a>(root: &Path, path: &'a Path) -> &'a Path {
    written_below(root, path).unwrap_or_else(|| path.strip_prefix(root).unwrap_or(path))
}

/// The plain names ([`plain_names`]) that `path` has after `root` and a separator (none when
/// `root` ends with one), which are then what `strip_prefix` finds; `None` when `path` is not
/// written so. An empty `root` has no separator after it: a path's leading one is its root.
#[cfg(unix)]
fn written_below<'a>(root: &Path, path: &'a Path) -> Option<&'a Path> {
    use std::os::unix::ffi::OsStrExt;
    let root = bytes(root)?;
    let rest = bytes(path)?.strip_prefix(root)?;
    let rest = match root.last()? {
        b'/' => rest,
        _ => rest.strip_prefix(b"/")?,
    };
    plain_names(rest).then(|| Path::new(std::ffi::OsStr::from_bytes(rest)))
}

/// Elsewhere `strip_prefix` answers every path.
#[cfg(not(unix))]
fn written_below<'a>(_: &Path, _: &'a Path) -> Option<&'a Path> {
    None
}

#[cfg(unix)]
fn bytes(path: &Path) -> Option<&[u8]> {
    use std::os::unix::ffi::OsStrExt;
    Some(path.as_os_str().as_bytes())
}

/// Elsewhere a path's bytes are not its own encoding to compare: `Path`'s order is kept.
#[cfg(not(unix))]
fn bytes(_: &Path) -> Option<&[u8]> {
    None
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

    /// Names of the bytes that sort around the separator, a dot among them: now and then `.`
    /// or `..`, so not plain.
    const NAME: &str = "[-.a]{1,2}";
    /// The same with the separator: empty names too.
    const ODD_NAME: &str = "[-./a]{1,2}";

    /// A path of one to three names, rooted or not, now and then with a trailing separator.
    fn any_path(name: &'static str) -> impl Strategy<Value = String> {
        let names = prop::collection::vec(name, 1..4);
        let slash = prop::bool::weighted(0.2);
        (any::<bool>(), names, slash).prop_map(|(rooted, names, slash)| {
            let root = if rooted { "/" } else { "" };
            let end = if slash { "/" } else { "" };
            format!("{root}{}{end}", names.join("/"))
        })
    }

    /// A plain path: its names have no separator and are neither `.` nor `..`.
    fn plain_path() -> impl Strategy<Value = String> {
        let name = NAME.prop_filter("a plain name", |n| n != "." && n != "..");
        let names = prop::collection::vec(name, 1..4);
        (any::<bool>(), names).prop_map(|(rooted, names)| {
            let root = if rooted { "/" } else { "" };
            format!("{root}{}", names.join("/"))
        })
    }

    /// `paths` sorted by `order`, and by `Path`, as written (not as `Path` compares them:
    /// `a/` and `a` are equal paths).
    fn both_sorts(paths: &[String]) -> (PathOrder, Vec<&std::ffi::OsStr>, Vec<&std::ffi::OsStr>) {
        let paths: Vec<&Path> = paths.iter().map(Path::new).collect();
        let order = PathOrder::of(paths.iter().copied());
        let mut ours = paths.clone();
        ours.sort_by(|a, b| order.cmp(a, b));
        let mut theirs = paths;
        theirs.sort();
        (order, written(ours), written(theirs))
    }

    fn written(paths: Vec<&Path>) -> Vec<&std::ffi::OsStr> {
        paths.into_iter().map(Path::as_os_str).collect()
    }

    proptest! {
        #[test]
        fn sorts_as_path_does(paths in prop::collection::vec(any_path(ODD_NAME), 0..12)) {
            let (_, ours, theirs) = both_sorts(&paths);
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn plain_paths_sort_by_bytes_as_path_does(
            paths in prop::collection::vec(plain_path(), 2..12),
        ) {
            let (order, ours, theirs) = both_sorts(&paths);
            prop_assert_eq!(order, PathOrder::Bytes);
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn paths_compare_as_path_does(a in any_path(NAME), b in any_path(NAME)) {
            let (a, b) = (Path::new(&a), Path::new(&b));
            let order = PathOrder::of([a, b].into_iter());
            prop_assert_eq!(order.cmp(a, b), a.cmp(b));
            prop_assert_eq!(order == PathOrder::Bytes, is_plain(a) && is_plain(b));
        }

        #[test]
        fn below_a_root_as_strip_prefix_finds_it(
            root in prop_oneof![Just(String::new()), any_path(ODD_NAME)],
            names in prop::collection::vec(NAME, 1..3),
            other in any_path(ODD_NAME),
        ) {
            let joined = names.iter().fold(Path::new(&root).to_path_buf(), |p, n| p.join(n));
            // Written after the root without a separator: not below it.
            let run_on = format!("{root}{}", names.join("/"));
            let root = Path::new(&root);
            for path in [joined.as_path(), Path::new(&run_on), Path::new(&other)] {
                let theirs = path.strip_prefix(root).unwrap_or(path);
                prop_assert_eq!(below(root, path).as_os_str(), theirs.as_os_str());
            }
        }
    }
}
