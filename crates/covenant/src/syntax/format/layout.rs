//! The formatter's output: lines of code with their comments, and the source's comments
//! waiting to be placed.
//!
//! Tokens are printed in source order. Before a token with a source position is printed,
//! every comment that comes before it in the source is placed: a trailing comment (code before
//! it on its line) goes at the end of the line of the last token printed, an own-line comment
//! on a line of its own. Either way the next token starts a new line: the source had a line
//! end at that place, between the same two tokens, so the grammar allows one there.

use crate::source::Span;
use crate::syntax::comment_start;

/// A `#` comment of the source.
#[derive(Debug)]
pub(super) struct Comment {
    pub start: usize,
    pub end: usize,
    /// The text from `#`, trailing white space removed.
    pub text: String,
    /// Nothing but white space before it on its line.
    pub own_line: bool,
}

/// Every comment of `text`, in order: a `#` outside strings and back-quoted words.
pub(super) fn comments(text: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        if let Some(i) = comment_start(line) {
            let before = line.get(..i).unwrap_or("");
            let body = line.get(i..).unwrap_or("").trim_end();
            out.push(Comment {
                start: line_start + i,
                end: line_start + i + body.len(),
                text: body.to_string(),
                own_line: before.chars().all(|c| c.is_whitespace() || c == '\u{FEFF}'),
            });
        }
        line_start += line.len() + 1;
    }
    out
}

/// `text` without comments, its words separated by single spaces.
pub(super) fn words(text: &str) -> String {
    let mut out = String::new();
    for line in text.split('\n') {
        let code = match comment_start(line) {
            Some(i) => line.get(..i).unwrap_or(""),
            None => line,
        };
        for w in code.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
    }
    out
}

#[derive(Debug, Default)]
struct Line {
    indent: usize,
    code: String,
    comment: Option<String>,
    blank: bool,
}

/// Lines being built, and the comments still to place.
pub(super) struct Printer<'s> {
    pub src: &'s str,
    comments: Vec<Comment>,
    next: usize,
    lines: Vec<Line>,
    /// The last line takes more tokens.
    open: bool,
    /// Indentation of continuation lines (after a line break forced by a comment).
    pub cont: usize,
    /// End of the last token or comment placed, in the source.
    last_end: usize,
    /// The line that holds the last token printed.
    last_tok_line: Option<usize>,
    /// No blank line before the next line (the start of a braced body).
    no_blank: bool,
}

impl<'s> Printer<'s> {
    pub fn new(src: &'s str) -> Self {
        Printer {
            src,
            comments: comments(src),
            next: 0,
            lines: Vec::new(),
            open: false,
            cont: 4,
            last_end: 0,
            last_tok_line: None,
            no_blank: false,
        }
    }

    /// The source text under `span`.
    pub fn slice(&self, span: Span) -> &'s str {
        self.src.get(span.start..span.end).unwrap_or("")
    }

    /// Is there a comment inside `span`?
    pub fn has_comment_in(&self, span: Span) -> bool {
        let i = self.comments.partition_point(|c| c.start < span.start);
        self.comments.get(i).is_some_and(|c| c.start < span.end)
    }

    /// The indentation of the line being built.
    pub fn indent(&self) -> usize {
        self.lines.last().map_or(0, |l| l.indent)
    }

    /// Start a line at `indent` for a construct that begins at `pos` in the source, after
    /// the comments before it (own-line ones at `indent`). With `blank`, a blank line of the
    /// source before it (or before one of those comments) is kept.
    pub fn line(&mut self, indent: usize, pos: usize, blank: bool) {
        self.flush(pos, Some(indent), blank);
        if blank {
            self.blank_before(pos);
        }
        self.push(Line {
            indent,
            ..Line::default()
        });
        self.open = true;
        self.cont = indent + 4;
    }

    /// Print a token; `at` is its source span, when it has one (a keyword printed from the
    /// AST may borrow the position of the token after it).
    pub fn tok(&mut self, text: &str, at: Option<Span>) {
        if let Some(span) = at {
            self.flush(span.start, None, false);
        }
        if !self.open {
            let indent = self.cont;
            self.push(Line {
                indent,
                ..Line::default()
            });
            self.open = true;
        }
        let last = self.lines.len().saturating_sub(1);
        if let Some(line) = self.lines.last_mut() {
            let glued = line.code.is_empty()
                || text.starts_with([')', ']', ',', ':'])
                || line.code.ends_with(['(', '[', '{']);
            if !glued {
                line.code.push(' ');
            }
            line.code.push_str(text);
        }
        self.last_tok_line = Some(last);
        if let Some(span) = at {
            self.last_end = self.last_end.max(span.end);
        }
    }

    /// The next line starts a braced body: no blank line before it.
    pub fn body_start(&mut self) {
        self.no_blank = true;
    }

    /// Place the comments that come before `pos` in the source. Own-line comments go at
    /// `indent` (the continuation indentation when `None`); with `blank`, blank lines of the
    /// source before them are kept.
    pub fn flush(&mut self, pos: usize, indent: Option<usize>, blank: bool) {
        while let Some(c) = self.comments.get(self.next) {
            if c.start >= pos {
                break;
            }
            let (start, end, text, own_line) = (c.start, c.end, c.text.clone(), c.own_line);
            self.next += 1;
            let last = self.lines.len().checked_sub(1);
            let trailing_to = self
                .last_tok_line
                .filter(|&i| !own_line && Some(i) == last)
                .filter(|&i| self.lines.get(i).is_some_and(|l| l.comment.is_none()));
            if let Some(line) = trailing_to.and_then(|i| self.lines.get_mut(i)) {
                line.comment = Some(text);
            } else {
                if blank {
                    self.blank_before(start);
                }
                let indent = indent.unwrap_or(self.cont);
                self.push(Line {
                    indent,
                    comment: Some(text),
                    ..Line::default()
                });
            }
            self.open = false;
            self.last_end = end;
        }
    }

    fn push(&mut self, line: Line) {
        self.no_blank = false;
        self.lines.push(line);
    }

    /// Keep one blank line when the source has one between the last thing placed and `pos`.
    fn blank_before(&mut self, pos: usize) {
        let gap = self.src.get(self.last_end..pos).unwrap_or("");
        let after_blank = self.lines.last().is_none_or(|l| l.blank);
        if !self.no_blank && !after_blank && gap.matches('\n').count() >= 2 {
            self.lines.push(Line {
                blank: true,
                ..Line::default()
            });
        }
    }

    /// Place the remaining comments and render the lines. Trailing comments of consecutive
    /// lines are aligned two columns after the longest of those lines.
    pub fn finish(mut self) -> String {
        self.flush(usize::MAX, Some(0), true);
        let lines: Vec<Line> = self
            .lines
            .into_iter()
            .filter(|l| l.blank || !l.code.is_empty() || l.comment.is_some())
            .collect();
        let width = |l: &Line| l.indent + l.code.chars().count();
        let trailing = |l: &Line| !l.code.is_empty() && l.comment.is_some();
        let mut out = String::new();
        let mut i = 0;
        while let Some(line) = lines.get(i) {
            if !trailing(line) {
                render(&mut out, line, 0);
                i += 1;
                continue;
            }
            let run = lines
                .get(i..)
                .unwrap_or(&[])
                .iter()
                .take_while(|l| trailing(l))
                .count();
            let run_lines = lines.get(i..i + run).unwrap_or(&[]);
            let column = run_lines.iter().map(width).max().unwrap_or(0) + 2;
            for l in run_lines {
                render(&mut out, l, column);
            }
            i += run;
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        out
    }
}

/// One line; a trailing comment starts at `column`.
fn render(out: &mut String, line: &Line, column: usize) {
    if line.blank {
        out.push('\n');
        return;
    }
    out.extend(std::iter::repeat_n(' ', line.indent));
    out.push_str(&line.code);
    if let Some(comment) = &line.comment {
        if !line.code.is_empty() {
            let width = line.indent + line.code.chars().count();
            out.extend(std::iter::repeat_n(
                ' ',
                column.saturating_sub(width).max(1),
            ));
        }
        out.push_str(comment);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::{comments, words};

    #[test]
    fn comments_skip_strings_and_back_quotes() {
        let text = "a = \"x # y\" # one\n  # two  \n`#w` = 1\nb = \"\\\"#\" #three";
        let found: Vec<(String, bool)> = comments(text)
            .into_iter()
            .map(|c| (c.text, c.own_line))
            .collect();
        assert_eq!(
            found,
            [
                ("# one".to_string(), false),
                ("# two".to_string(), true),
                ("#three".to_string(), false)
            ]
        );
    }

    #[test]
    fn words_drop_comments_and_collapse_space() {
        assert_eq!(words("  is # note\n   at\tleast "), "is at least");
        assert_eq!(words(""), "");
    }
}
