//! Text inside Markdown: code spans and table cells, escaped so that deal and policy text can
//! never change the document's structure. Used by the Markdown report and its citation
//! footnotes.
//!
//! Every character either function changes is ASCII, so both look for them byte by byte and
//! copy the runs between them whole (a character at a time, the two were a fifth of a
//! Markdown report's instructions). Both read the text [`visible_lines`] makes of theirs, in
//! which the only control character left is the line feed (a carriage return is `\u{d}`).

use super::escape_runs::push_escaped;
use super::visible::visible_lines;

/// A code span holding `s` literally: a backtick fence longer than any run inside, `|` escaped
/// for tables, newlines as spaces, other control characters escaped (`\u{1b}`).
pub fn code(s: &str) -> String {
    let s = visible_lines(s);
    let longest = runs_of(s.as_bytes(), b'`').max().unwrap_or(0);
    let mut out = String::with_capacity(s.len() + 2 * longest + 4);
    let fence = |out: &mut String| out.extend(std::iter::repeat_n('`', longest + 1));
    // The body starts or ends with a backtick only if `s` does: `|` and line ends are not one.
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    fence(&mut out);
    out.push_str(pad);
    push_code_body(&mut out, &s);
    out.push_str(pad);
    fence(&mut out);
    out
}

/// `s` inside a code span in a table: `|` escaped, line feeds as spaces.
fn push_code_body(out: &mut String, s: &str) {
    let stop = |b| matches!(b, b'|' | b'\n');
    push_escaped(out, s, stop, |out, c| {
        out.push_str(if c == '|' { "\\|" } else { " " })
    });
}

/// The lengths of the runs of `b` in `bytes`, in order.
fn runs_of(bytes: &[u8], b: u8) -> impl Iterator<Item = usize> + '_ {
    bytes
        .split(move |&x| x != b)
        .map(<[u8]>::len)
        .filter(|&n| n > 0)
}

/// Text for a table cell: code spans (backtick runs with a matching closing run) are kept, with
/// `|` escaped; elsewhere Markdown and HTML characters are escaped; newlines become `<br>`;
/// other control characters are escaped (`\u{1b}`).
pub fn cell(s: &str) -> String {
    let s = visible_lines(s);
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    loop {
        let rest = bytes.get(i..).unwrap_or_default();
        let Some(at) = rest.iter().position(|&b| cell_special(b)) else {
            out.push_str(s.get(i..).unwrap_or_default());
            return out;
        };
        let at = i + at;
        out.push_str(s.get(i..at).unwrap_or_default());
        let b = bytes.get(at).copied().unwrap_or_default();
        i = at + 1;
        match b {
            b'`' => {
                let run = bytes.get(at..).map_or(0, |r| leading(r, b'`'));
                match closing_run(bytes, at + run, run) {
                    Some(end) => {
                        push_code_body(&mut out, s.get(at..end + run).unwrap_or_default());
                        i = end + run;
                    }
                    None => {
                        for _ in 0..run {
                            out.push_str("\\`");
                        }
                        i = at + run;
                    }
                }
            }
            b'<' => out.push_str("&lt;"),
            b'>' => out.push_str("&gt;"),
            b'&' => out.push_str("&amp;"),
            b'\n' => out.push_str("<br>"),
            b => {
                out.push('\\');
                out.push(char::from(b));
            }
        }
    }
}

/// The bytes [`cell`] does not copy as they are.
fn cell_special(b: u8) -> bool {
    matches!(
        b,
        b'`' | b'\\'
            | b'*'
            | b'_'
            | b'~'
            | b'['
            | b']'
            | b'|'
            | b'#'
            | b'!'
            | b'<'
            | b'>'
            | b'&'
            | b'\n'
    )
}

/// How many `b` begin `bytes`.
fn leading(bytes: &[u8], b: u8) -> usize {
    bytes.iter().take_while(|&&x| x == b).count()
}

/// Start of the next run of exactly `n` backticks at or after `from`.
fn closing_run(bytes: &[u8], from: usize, n: usize) -> Option<usize> {
    let mut j = from;
    while let Some(rest) = bytes.get(j..).filter(|r| !r.is_empty()) {
        let at = j + rest.iter().position(|&b| b == b'`')?;
        let run = bytes.get(at..).map_or(0, |r| leading(r, b'`'));
        if run == n {
            return Some(at);
        }
        j = at + run;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    /// [`cell`] a character at a time, as it was first written.
    fn cell_by_chars(s: &str) -> String {
        let s = visible_lines(s);
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        let closing = |from: usize, n: usize| {
            let mut j = from;
            while j < chars.len() {
                if chars.get(j) == Some(&'`') {
                    let run = chars.iter().skip(j).take_while(|&&x| x == '`').count();
                    if run == n {
                        return Some(j);
                    }
                    j += run;
                } else {
                    j += 1;
                }
            }
            None
        };
        while let Some(&c) = chars.get(i) {
            if c == '`' {
                let run = chars.iter().skip(i).take_while(|&&x| x == '`').count();
                if let Some(end) = closing(i + run, run) {
                    for &x in chars.get(i..end + run).unwrap_or(&[]) {
                        match x {
                            '|' => out.push_str("\\|"),
                            '\n' | '\r' => out.push(' '),
                            x => out.push(x),
                        }
                    }
                    i = end + run;
                } else {
                    out.push_str(&"\\`".repeat(run));
                    i += run;
                }
                continue;
            }
            match c {
                '\\' | '*' | '_' | '~' | '[' | ']' | '|' | '#' | '!' => {
                    out.push('\\');
                    out.push(c);
                }
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                '\n' => out.push_str("<br>"),
                '\r' => {}
                c => out.push(c),
            }
            i += 1;
        }
        out
    }

    /// [`code`] as it was first written.
    fn code_by_replace(s: &str) -> String {
        let s = visible_lines(s);
        let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest + 1);
        let body = s.replace('|', "\\|").replace(['\n', '\r'], " ");
        let pad = if body.starts_with('`') || body.ends_with('`') {
            " "
        } else {
            ""
        };
        format!("{fence}{pad}{body}{pad}{fence}")
    }

    proptest::proptest! {
        /// Cells and code spans written by runs are those written a character at a time, in
        /// text of backtick runs, every character escaped, control characters and others.
        #[test]
        fn runs_are_escaped_as_one_character_at_a_time(
            parts in proptest::collection::vec(proptest::prop_oneof![
                proptest::sample::select(vec![
                    "`", "``", "```", "\\", "*", "_", "~", "[", "]", "|", "#", "!", "<", ">",
                    "&", "\n", "\r", "\u{1b}", "\u{202e}", "–", "a", " ", "deals/a.yaml",
                ]).prop_map(str::to_string),
                proptest::char::any().prop_map(String::from),
            ], 0..30)
        ) {
            let s: String = parts.concat();
            proptest::prop_assert_eq!(cell(&s), cell_by_chars(&s));
            proptest::prop_assert_eq!(code(&s), code_by_replace(&s));
        }
    }

    /// A code span closes at the next run of exactly its opening run's length: a longer run
    /// after it does not close it.
    #[test]
    fn a_code_span_closes_at_a_run_of_its_own_length() {
        for s in ["`a```", "``a```b``", "`a``|`", "x ``` y ` z"] {
            assert_eq!(cell(s), cell_by_chars(s), "{s:?}");
        }
        assert_eq!(cell("`a```"), "\\`a\\`\\`\\`");
    }
}
