//! The parses of a file's items, kept from one parse to the next (see
//! [`super::parse_partial_cached`]): an item parses the same wherever its text is the same at
//! the same place, since its spans are offsets into the file.

use std::collections::HashMap;

use super::lower::Entry;

/// The items of the last parse of a file that parsed without errors, by their place and text.
#[derive(Debug, Default)]
pub struct ParseCache {
    items: HashMap<usize, (Box<str>, Vec<Entry>)>,
}

impl ParseCache {
    pub(super) fn get(&self, start: usize, text: &str) -> Option<&[Entry]> {
        match self.items.get(&start) {
            Some((written, entries)) if **written == *text => Some(entries),
            _ => None,
        }
    }

    pub(super) fn put(&mut self, start: usize, text: &str, entries: &[Entry]) {
        self.items.insert(start, (text.into(), entries.to_vec()));
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
