//! A unified diff of two texts, line by line, with three lines of context (for `fmt --check`).
//! The edit script is `similar`'s; this module prints it.

use similar::algorithms::{lcs, myers, Capture, DiffHook};
use similar::ChangeTag;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// Up to this many line pairs in the differing middle, the script is a longest common
/// subsequence (`similar`'s table is a map with an entry per pair: about 30 MB here).
const LCS_CELLS: usize = 1_000_000;

/// Above this many line pairs in the differing middle, the texts are not compared line by
/// line: the middle is shown as one replacement, so that the time stays bounded (and the
/// output does not depend on a deadline).
const MAX_CELLS: usize = 16_000_000;

/// One line of the edit script: its tag, its index in the old text and in the new one (for
/// the sides it is on), and its text.
type Line<'a> = (ChangeTag, Option<usize>, Option<usize>, &'a str);

/// The unified diff from `old` to `new`, both named `name`; empty when they are equal.
pub fn diff(name: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let lines = script(&a, &b);
    let mut out = String::new();
    if lines.iter().all(|l| l.0 == ChangeTag::Equal) {
        return out;
    }
    out.push_str(&format!("--- {name}\n+++ {name} (formatted)\n"));
    let changed: Vec<usize> = (0..lines.len())
        .filter(|&i| lines.get(i).is_some_and(|l| l.0 != ChangeTag::Equal))
        .collect();
    let mut k = 0;
    while let Some(&first) = changed.get(k) {
        // Extend the hunk while the next change is close enough to share context.
        let mut last = first;
        k += 1;
        while let Some(&next) = changed.get(k) {
            if next - last > 2 * CONTEXT {
                break;
            }
            last = next;
            k += 1;
        }
        let start = first.saturating_sub(CONTEXT);
        let end = (last + CONTEXT + 1).min(lines.len());
        hunk(&mut out, lines.get(start..end).unwrap_or(&[]));
    }
    out
}

/// The edit script from `a` to `b`, one entry per line: the common prefix and suffix kept, the
/// middle by `similar`'s longest common subsequence (deletions first where two scripts are
/// equally short), by Myers' algorithm past [`LCS_CELLS`], as one replacement past
/// [`MAX_CELLS`].
fn script<'t>(a: &[&'t str], b: &[&'t str]) -> Vec<Line<'t>> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(a.len().min(b.len()) - prefix)
        .take_while(|(x, y)| x == y)
        .count();
    let mid_a = a.get(prefix..a.len() - suffix).unwrap_or(&[]);
    let mid_b = b.get(prefix..b.len() - suffix).unwrap_or(&[]);
    let (n, m) = (mid_a.len(), mid_b.len());
    let mut capture = Capture::new();
    // The middle alone goes to `similar`: its LCS (2.7) builds its table from the first
    // element of each slice whatever the range given, so a range must start at 0.
    let done = match n.saturating_mul(m) {
        cells if cells <= LCS_CELLS => lcs::diff(&mut capture, mid_a, 0..n, mid_b, 0..m),
        cells if cells <= MAX_CELLS => myers::diff(&mut capture, mid_a, 0..n, mid_b, 0..m),
        _ => capture
            .delete(0, n, 0)
            .and_then(|()| capture.insert(n, 0, m)),
    };
    let Ok(()) = done;
    let mut lines: Vec<Line<'t>> = Vec::with_capacity(a.len().max(b.len()));
    lines.extend(
        a.iter()
            .take(prefix)
            .enumerate()
            .map(|(i, &t)| (ChangeTag::Equal, Some(i), Some(i), t)),
    );
    for op in capture.ops() {
        lines.extend(op.iter_changes(mid_a, mid_b).map(|c| {
            let shift = |i: Option<usize>| i.map(|i| i + prefix);
            (
                c.tag(),
                shift(c.old_index()),
                shift(c.new_index()),
                c.value(),
            )
        }));
    }
    let (sa, sb) = (a.len() - suffix, b.len() - suffix);
    lines.extend(
        a.iter()
            .skip(sa)
            .enumerate()
            .map(|(k, &t)| (ChangeTag::Equal, Some(sa + k), Some(sb + k), t)),
    );
    lines
}

fn hunk(out: &mut String, lines: &[Line<'_>]) {
    // 1-based first lines, as `diff -u` counts them (the line before when a side is empty).
    let first_a = lines.iter().find_map(|l| l.1);
    let first_b = lines.iter().find_map(|l| l.2);
    let len_a = lines.iter().filter(|l| l.1.is_some()).count();
    let len_b = lines.iter().filter(|l| l.2.is_some()).count();
    let start = |first: Option<usize>, len: usize| match first {
        Some(i) if len > 0 => i + 1,
        _ => 0,
    };
    out.push_str(&format!(
        "@@ -{},{len_a} +{},{len_b} @@\n",
        start(first_a, len_a),
        start(first_b, len_b)
    ));
    for &(tag, _, _, text) in lines {
        out.push(match tag {
            ChangeTag::Equal => ' ',
            ChangeTag::Delete => '-',
            ChangeTag::Insert => '+',
        });
        out.push_str(text);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::diff;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(diff("p", "a\nb\n", "a\nb\n"), "");
    }

    #[test]
    fn one_changed_line_with_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assert_eq!(
            diff("p", old, new),
            "--- p\n+++ p (formatted)\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn distant_changes_make_two_hunks() {
        let old: String = (1..=20).map(|i| format!("line {i}\n")).collect();
        let new = old
            .replace("line 2\n", "two\n")
            .replace("line 19\n", "nineteen\n");
        let d = diff("p", &old, &new);
        assert_eq!(d.matches("@@ -").count(), 2, "{d}");
    }

    /// Six equal lines between two changes: two hunks that touch (as before `similar`).
    #[test]
    fn six_equal_lines_between_changes_make_two_hunks() {
        let old = "a\n1\n2\n3\n4\n5\n6\nb\n";
        let new = "A\n1\n2\n3\n4\n5\n6\nB\n";
        assert_eq!(
            diff("p", old, new),
            "--- p\n+++ p (formatted)\n@@ -1,4 +1,4 @@\n-a\n+A\n 1\n 2\n 3\n\
             @@ -5,4 +5,4 @@\n 4\n 5\n 6\n-b\n+B\n"
        );
    }

    /// Where two scripts are as short, deletions come first (the longest common subsequence
    /// is read from the start).
    #[test]
    fn deletions_come_first_among_equally_short_scripts() {
        assert_eq!(
            diff("p", "a\nb\nc\n", "b\na\nc\n"),
            "--- p\n+++ p (formatted)\n@@ -1,3 +1,3 @@\n-a\n b\n+a\n c\n"
        );
    }

    /// Applying the hunks of `diff(old, new)` to `old` gives `new`.
    fn apply(old: &str, patch: &str) -> String {
        let old: Vec<&str> = old.lines().collect();
        let mut out: Vec<&str> = Vec::new();
        let mut next = 0;
        for line in patch.lines().skip(2) {
            if let Some(header) = line.strip_prefix("@@ -") {
                let (start, len) = header
                    .split_once(' ')
                    .unwrap_or_default()
                    .0
                    .split_once(',')
                    .unwrap_or_default();
                let (start, len): (usize, usize) =
                    (start.parse().unwrap_or(0), len.parse().unwrap_or(0));
                let first = if len == 0 { start } else { start - 1 };
                out.extend(old.get(next..first).unwrap_or_default());
                next = first;
            } else if let Some(kept) = line.strip_prefix(' ') {
                assert_eq!(old.get(next), Some(&kept));
                out.push(kept);
                next += 1;
            } else if let Some(gone) = line.strip_prefix('-') {
                assert_eq!(old.get(next), Some(&gone));
                next += 1;
            } else if let Some(added) = line.strip_prefix('+') {
                out.push(added);
            }
        }
        out.extend(old.get(next..).unwrap_or_default());
        out.iter().map(|l| format!("{l}\n")).collect()
    }

    /// Past the LCS table's size (Myers) and past the line-by-line bound (one replacement),
    /// the diff still turns the old text into the new one.
    #[test]
    fn large_diffs_apply() {
        for lines in [50, 1_200, 4_200] {
            let old: String = (0..lines).map(|i| format!("line {}\n", i % 7)).collect();
            let new: String = (0..lines)
                .map(|i| format!("line {}\n", (i * 3) % 11))
                .collect();
            let d = diff("p", &old, &new);
            assert_eq!(apply(&old, &d), new, "{lines} lines");
        }
    }

    #[test]
    fn insertion_into_empty_text() {
        assert_eq!(
            diff("p", "", "a\n"),
            "--- p\n+++ p (formatted)\n@@ -0,0 +1,1 @@\n+a\n"
        );
    }
}
