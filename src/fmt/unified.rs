//! A unified diff of two texts, line by line, with three lines of context (for `fmt --check`).

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// Above this many cells the longest-common-subsequence table is not built: the differing
/// middle of the two texts is shown as one replacement.
const MAX_CELLS: usize = 16_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Edit {
    Keep(usize, usize),
    Delete(usize),
    Insert(usize),
}

/// The unified diff from `old` to `new`, both named `name`; empty when they are equal.
pub fn diff(name: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let edits = edits(&a, &b);
    let mut out = String::new();
    if edits.iter().all(|e| matches!(e, Edit::Keep(..))) {
        return out;
    }
    out.push_str(&format!("--- {name}\n+++ {name} (formatted)\n"));
    let changed: Vec<usize> = (0..edits.len())
        .filter(|&i| !matches!(edits.get(i), Some(Edit::Keep(..))))
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
        let end = (last + CONTEXT + 1).min(edits.len());
        hunk(&mut out, edits.get(start..end).unwrap_or(&[]), &a, &b);
    }
    out
}

fn hunk(out: &mut String, edits: &[Edit], a: &[&str], b: &[&str]) {
    // 1-based first lines, as `diff -u` counts them (the line before when a side is empty).
    let first_a = edits.iter().find_map(|e| match e {
        Edit::Keep(i, _) | Edit::Delete(i) => Some(*i),
        Edit::Insert(_) => None,
    });
    let first_b = edits.iter().find_map(|e| match e {
        Edit::Keep(_, j) | Edit::Insert(j) => Some(*j),
        Edit::Delete(_) => None,
    });
    let len_a = edits
        .iter()
        .filter(|e| !matches!(e, Edit::Insert(_)))
        .count();
    let len_b = edits
        .iter()
        .filter(|e| !matches!(e, Edit::Delete(_)))
        .count();
    let start = |first: Option<usize>, len: usize| match first {
        Some(i) if len > 0 => i + 1,
        _ => 0,
    };
    out.push_str(&format!(
        "@@ -{},{len_a} +{},{len_b} @@\n",
        start(first_a, len_a),
        start(first_b, len_b)
    ));
    for e in edits {
        let (mark, line) = match *e {
            Edit::Keep(i, _) => (' ', a.get(i)),
            Edit::Delete(i) => ('-', a.get(i)),
            Edit::Insert(j) => ('+', b.get(j)),
        };
        out.push(mark);
        out.push_str(line.copied().unwrap_or(""));
        out.push('\n');
    }
}

/// An edit script from `a` to `b`: the common prefix and suffix kept, the middle by a
/// longest common subsequence.
fn edits(a: &[&str], b: &[&str]) -> Vec<Edit> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(a.len().min(b.len()) - prefix)
        .take_while(|(x, y)| x == y)
        .count();
    let (n, m) = (a.len() - prefix - suffix, b.len() - prefix - suffix);
    let mut out: Vec<Edit> = (0..prefix).map(|i| Edit::Keep(i, i)).collect();
    let mid_a = a.get(prefix..prefix + n).unwrap_or(&[]);
    let mid_b = b.get(prefix..prefix + m).unwrap_or(&[]);
    if n.saturating_mul(m) > MAX_CELLS {
        out.extend((0..n).map(|i| Edit::Delete(prefix + i)));
        out.extend((0..m).map(|j| Edit::Insert(prefix + j)));
    } else {
        // lcs[i][j]: length of the longest common subsequence of mid_a[i..] and mid_b[j..].
        let width = m + 1;
        let mut lcs = vec![0u32; (n + 1) * width];
        let at = |i: usize, j: usize| i * width + j;
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                let v = if mid_a.get(i) == mid_b.get(j) {
                    lcs.get(at(i + 1, j + 1)).copied().unwrap_or(0) + 1
                } else {
                    let down = lcs.get(at(i + 1, j)).copied().unwrap_or(0);
                    let right = lcs.get(at(i, j + 1)).copied().unwrap_or(0);
                    down.max(right)
                };
                if let Some(cell) = lcs.get_mut(at(i, j)) {
                    *cell = v;
                }
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            let get = |i, j| lcs.get(at(i, j)).copied().unwrap_or(0);
            if i < n && j < m && mid_a.get(i) == mid_b.get(j) {
                out.push(Edit::Keep(prefix + i, prefix + j));
                i += 1;
                j += 1;
            } else if i < n && (j == m || get(i + 1, j) >= get(i, j + 1)) {
                out.push(Edit::Delete(prefix + i));
                i += 1;
            } else {
                out.push(Edit::Insert(prefix + j));
                j += 1;
            }
        }
    }
    out.extend((0..suffix).map(|k| Edit::Keep(a.len() - suffix + k, b.len() - suffix + k)));
    out
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

    #[test]
    fn insertion_into_empty_text() {
        assert_eq!(
            diff("p", "", "a\n"),
            "--- p\n+++ p (formatted)\n@@ -0,0 +1,1 @@\n+a\n"
        );
    }
}
