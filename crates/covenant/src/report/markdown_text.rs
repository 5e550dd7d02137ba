//! Text inside Markdown: code spans and table cells, escaped so that deal and policy text can
//! never change the document's structure. Used by the Markdown report and its citation
//! footnotes.

use super::visible::visible_lines;

/// A code span holding `s` literally: a backtick fence longer than any run inside, `|` escaped
/// for tables, newlines as spaces, other control characters escaped (`\u{1b}`).
pub fn code(s: &str) -> String {
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

/// Text for a table cell: code spans (backtick runs with a matching closing run) are kept, with
/// `|` escaped; elsewhere Markdown and HTML characters are escaped; newlines become `<br>`;
/// other control characters are escaped (`\u{1b}`).
pub fn cell(s: &str) -> String {
    let s = visible_lines(s);
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '`' {
            let run = chars.iter().skip(i).take_while(|&&x| x == '`').count();
            if let Some(end) = closing_run(&chars, i + run, run) {
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

/// Start of the next run of exactly `n` backticks at or after `from`.
fn closing_run(chars: &[char], from: usize, n: usize) -> Option<usize> {
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
}
