//! Which files' header clause of one kind each file sees: its own, and those of every file it
//! uses, transitively (SPEC §9 for `calendar`, §11 for `fx`). A file reached by two ways is
//! loaded once, so its clause counts once.

use super::load::{reachable_files, LoadedFile};

/// For each file, the files it sees whose header has the clause `has` looks for, in file order.
pub(super) fn seen_by_each(
    files: &[LoadedFile],
    has: impl Fn(&LoadedFile) -> bool,
) -> Vec<Vec<usize>> {
    (0..files.len())
        .map(|file| {
            let mut seen = reachable_files(files, file);
            seen.retain(|&f| files.get(f).is_some_and(&has));
            seen.sort_unstable();
            seen
        })
        .collect()
}
