//! The parses of a file's items, kept from one parse to the next (see
//! [`super::parse_partial_cached`]): an item of the same text parses the same wherever it
//! stands, but for its spans, which are offsets into the file: an item that moved (an edit
//! before it) is reused with its spans shifted ([`super::shift`]).

use std::collections::HashMap;

use super::lower::Entry;
use super::shift::Shift;

/// The items of the last parse of a file that parsed without errors, by their text, with
/// where each stood.
#[derive(Debug, Default)]
pub struct ParseCache {
    items: HashMap<Box<str>, (usize, Vec<Entry>)>,
}

impl ParseCache {
    /// The entries of the item `text` parsed at `start`, when it was parsed before.
    pub(super) fn get(&self, start: usize, text: &str) -> Option<Vec<Entry>> {
        let (was, entries) = self.items.get(text)?;
        let mut entries = entries.clone();
        let by = isize::try_from(start).ok()? - isize::try_from(*was).ok()?;
        if by != 0 {
            entries.shift(by);
        }
        Some(entries)
    }

    pub(super) fn put(&mut self, start: usize, text: &str, entries: &[Entry]) {
        self.items.insert(text.into(), (start, entries.to_vec()));
    }

    /// How many items it holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::ParseCache;
    use crate::source::SourceFile;
    use crate::syntax::{parse_partial, parse_partial_cached};

    /// Every example policy, parsed after a line is put before its second item (which moves
    /// every item after it), is the parse of the edited text: no span is left behind.
    #[test]
    fn moved_items_of_every_example_policy_keep_their_places() {
        let root = crate::repo_root().join("examples");
        let mut policies = Vec::new();
        for dir in ["policies", "canada", "north-america"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "policy") {
                    policies.push(std::fs::read_to_string(path).unwrap());
                }
            }
        }
        assert!(policies.len() >= 5);
        for text in policies {
            let mut cache = ParseCache::default();
            let before = parse_partial_cached(&SourceFile::policy("p", &text), &mut cache);
            assert!(before.1.is_empty());
            let at = ["\nrule ", "\nlet ", "\ndefine "]
                .iter()
                .filter_map(|w| text.find(w))
                .min()
                .unwrap()
                + 1;
            let edited = format!("{}let added = 1\n\n{}", &text[..at], &text[at..]);
            let edited = SourceFile::policy("p", &edited);
            let cached = parse_partial_cached(&edited, &mut cache);
            assert_eq!(cached.0, parse_partial(&edited).0);
        }
    }

    #[test]
    fn a_cached_parse_after_an_edit_is_the_parse_of_the_edited_text() {
        let rule = |i: usize, limit: &str| format!("rule r{i}: board seats > {limit}\n\n");
        let before: String = (0..40).map(|i| rule(i, "1")).collect();
        let after: String = (0..40)
            .map(|i| rule(i, if i == 20 { "12" } else { "1" }))
            .collect::<String>()
            + "rule broken: (\n";
        let mut cache = ParseCache::default();
        let _ = parse_partial_cached(&SourceFile::policy("p", &before), &mut cache);
        assert_eq!(cache.len(), 40);
        let edited = SourceFile::policy("p", &after);
        let cached = parse_partial_cached(&edited, &mut cache);
        let fresh = parse_partial(&edited);
        assert_eq!(cached.0, fresh.0);
        assert_eq!(cached.1.len(), 1);
        assert_eq!(cache.len(), 40);
    }
}
