//! The values of a table's value cell (SPEC §8), sorted once when the policy compiles, so that
//! a lookup and the compile-time checks find a value by binary search or by merging two sets,
//! whatever the size of a list cell; with the strings folded (trimmed, lower case) as well, to
//! find a near miss (SPEC §2.6) the same way.

use std::cmp::Ordering;

use crate::value::Scalar;

/// Sorted values of one type (and one currency): the cells of one key are checked to be so
/// before a set is made.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueSet {
    values: Vec<Scalar>,
    /// Each string value folded, with the index of its value, sorted by the folded text.
    folded: Vec<(Box<str>, usize)>,
}

impl ValueSet {
    pub fn new(mut values: Vec<Scalar>) -> ValueSet {
        values.sort_by(order);
        values.dedup_by(|a, b| order(a, b) == Ordering::Equal);
        let mut folded: Vec<(Box<str>, usize)> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match v {
                Scalar::Str(s) => Some((fold(s).into_boxed_str(), i)),
                _ => None,
            })
            .collect();
        folded.sort();
        ValueSet { values, folded }
    }

    /// A copy whose strings are its own: see [`super::Policy::unshared_copy`].
    pub fn unshared_copy(&self) -> ValueSet {
        ValueSet {
            values: self.values.iter().map(Scalar::unshared_copy).collect(),
            folded: self.folded.clone(),
        }
    }

    pub fn values(&self) -> &[Scalar] {
        &self.values
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The first value, to check that a key can be compared with the set at all.
    pub fn first(&self) -> Option<&Scalar> {
        self.values.first()
    }

    /// Whether `x`, of the set's type, is one of its values.
    pub fn contains(&self, x: &Scalar) -> bool {
        self.values.binary_search_by(|v| order(v, x)).is_ok()
    }

    /// A value that differs from the string `x` only in case or surrounding white space.
    pub fn loosely(&self, x: &str) -> Option<&Scalar> {
        let at = if x.is_ascii() {
            // Folded as it is compared: nothing allocated for the usual key.
            let key = x.trim().bytes().map(|b| b.to_ascii_lowercase());
            self.folded
                .binary_search_by(|(f, _)| f.bytes().cmp(key.clone()))
        } else {
            let key = fold(x);
            self.folded
                .binary_search_by(|(f, _)| (**f).cmp(key.as_str()))
        }
        .ok()?;
        let (_, i) = self.folded.get(at)?;
        self.values.get(*i)
    }

    /// Whether some value `v` has `from ≤ v < until` (no `until`: no end).
    pub fn any_within(&self, from: &Scalar, until: Option<&Scalar>) -> bool {
        let first = self
            .values
            .partition_point(|v| order(v, from) == Ordering::Less);
        self.values
            .get(first)
            .is_some_and(|v| until.is_none_or(|u| order(v, u) == Ordering::Less))
    }

    /// Whether the two sets share a value.
    pub fn meets(&self, other: &ValueSet) -> bool {
        merge_meets(&self.values, &other.values, order)
    }

    /// Whether the two sets share a string once folded.
    pub fn meets_loosely(&self, other: &ValueSet) -> bool {
        merge_meets(&self.folded, &other.folded, |a, b| a.0.cmp(&b.0))
    }
}

/// Whether two sorted slices share an element.
fn merge_meets<T>(a: &[T], b: &[T], cmp: impl Fn(&T, &T) -> Ordering) -> bool {
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match cmp(x, y) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => return true,
        }
    }
    false
}

/// A string trimmed and in lower case: what a near miss ignores.
fn fold(s: &str) -> String {
    s.trim().chars().flat_map(char::to_lowercase).collect()
}

/// The order of two values of one type (and one currency). Values that cannot be compared
/// count as equal: the cells of a key are checked to be of one type and currency first, and a
/// run-time key of another kind is compared by the evaluator before it searches a set.
pub fn order(a: &Scalar, b: &Scalar) -> Ordering {
    match (a, b) {
        (Scalar::Number(x), Scalar::Number(y)) | (Scalar::Percent(x), Scalar::Percent(y)) => {
            x.cmp(y)
        }
        (Scalar::Money(c, x), Scalar::Money(d, y)) if c == d => x.cmp(y),
        (Scalar::Date(x), Scalar::Date(y)) => x.cmp(y),
        (Scalar::Str(x), Scalar::Str(y)) => x.cmp(y),
        (Scalar::Bool(x), Scalar::Bool(y)) => x.cmp(y),
        _ => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::Exact;

    fn strs(xs: &[&str]) -> ValueSet {
        ValueSet::new(xs.iter().map(|x| Scalar::Str((*x).into())).collect())
    }

    #[test]
    fn sets_find_values_exactly_and_loosely() {
        let s = strs(&["RU", "CN", "KP", "CN"]);
        assert_eq!(s.values().len(), 3);
        assert!(s.contains(&Scalar::Str("CN".into())));
        assert!(!s.contains(&Scalar::Str("cn".into())));
        assert_eq!(s.loosely(" cn "), Some(&Scalar::Str("CN".into())));
        assert_eq!(s.loosely("US"), None);
        assert!(s.meets(&strs(&["US", "KP"])));
        assert!(!s.meets(&strs(&["US", "kp"])));
        assert!(s.meets_loosely(&strs(&["US", "kp"])));
        let pct = |n: i128| Scalar::Percent(Exact::from_int(n));
        let p = ValueSet::new(vec![pct(50), pct(10)]);
        assert!(p.any_within(&pct(10), Some(&pct(11))));
        assert!(!p.any_within(&pct(11), Some(&pct(50))));
        assert!(p.any_within(&pct(11), None));
        assert!(!p.any_within(&pct(51), None));
    }

    #[test]
    fn an_ascii_key_is_folded_as_it_is_compared() {
        let s = strs(&[
            "Straße", "license", "LICENSE ", "a b", "\tvcs", "ADS", "Ωmega", "z",
        ]);
        for key in [
            "License",
            " license\t",
            "VCS",
            "\u{b}vcs\r",
            "A B",
            "a  b",
            "ads",
            "ADS ",
            "straße",
            "STRASSE",
            "ωMEGA",
            "Z",
            "",
            " ",
            "y",
            "licensee",
        ] {
            let folded = fold(key);
            let slow = s
                .folded
                .binary_search_by(|(f, _)| (**f).cmp(folded.as_str()))
                .ok()
                .and_then(|at| s.folded.get(at))
                .and_then(|(_, i)| s.values.get(*i));
            assert_eq!(s.loosely(key), slow, "{key:?}");
        }
        assert_eq!(s.loosely(" Vcs "), Some(&Scalar::Str("\tvcs".into())));
    }
}
