//! A quick lexical pass over a policy file, before pest runs.
//!
//! It splits the file into items so that each item is parsed on its own (an error in one
//! item does not hide the errors of the next ones), and it finds, per item, the errors that a
//! grammar reports badly or must never see: unterminated strings, unclosed or mismatched
//! brackets, and nesting deep enough to exhaust the stack. It also records, per item, the line
//! ends inside `( )` and `[ ]`, which the grammar is given as white space (see
//! [`super::grammar_text`]).
//!
//! An item starts at a line that begins at column 1 with `rule`, `let`, `use` or `policy`, or
//! with anything else that is not blank, not a comment and not a clause word, when that line
//! is not inside a bracket or a braced rule and does not continue the previous line (which
//! ends with `and`, `or`, `where`, `,`, `:` or an operator, see [`CONTINUE_WORDS`]).

use crate::source::{SourceFile, Span};

use super::error::{ParseError, MAX_DEPTH, MAX_TREE_DEPTH};
use super::keywords::{CLAUSE_WORDS, ITEM_WORDS};

/// One item's text: `span` of the file, and the lexical error found in it, if any.
#[derive(Debug)]
pub(crate) struct Chunk {
    pub span: Span,
    pub error: Option<ParseError>,
    /// The offsets of the line ends inside `( )` or `[ ]`, where a line end is white space:
    /// the grammar is given them as VT (see [`super::grammar_text`]).
    pub bracketed_line_ends: Vec<usize>,
}

/// Words after which a clause goes on to the next line (the grammar allows a line end after
/// them): `and`, `or`, `where`, and the last word of a word operator (`in`, `not in`,
/// `contains`, `is one of`, `of`, `is`, `is not`, `is at least`, `is more than`, …).
const CONTINUE_WORDS: &[&str] = &[
    "and", "or", "where", "in", "contains", "of", "is", "not", "least", "most", "than",
];

/// Keywords that nest what follows them (they cost parser stack).
const NESTING_WORDS: &[&str] = &[
    "not", "every", "some", "no", "at", "exactly", "where", "total", "count", "number", "max",
    "min", "average", "must",
];

/// Binary operators written as words: each one of a chain is a level of the expression tree.
/// (`and` and `or` are not, nor `+ - * /`: a chain of them is one flat node, whatever its
/// length.)
const OPERATOR_WORDS: &[&str] = &["of"];

/// Split `file` into items, each with its first lexical error.
pub(crate) fn split(file: &SourceFile) -> Vec<Chunk> {
    let text: &str = &file.text;
    let mut chunks = Vec::new();
    let mut state = ItemState::new(file, 0);
    let mut line_start = 0;
    while line_start < text.len() {
        let line_end = text
            .get(line_start..)
            .and_then(|rest| rest.find('\n'))
            .map_or(text.len(), |i| line_start + i);
        if state.starts_item(text, line_start, line_end) {
            let done = std::mem::replace(&mut state, ItemState::new(file, line_start));
            chunks.push(done.finish(line_start));
        }
        state.scan_line(text, line_start, line_end);
        line_start = line_end + 1;
    }
    chunks.push(state.finish(text.len()));
    chunks
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    None,
    /// A token after which the clause goes on to the next line.
    Continues,
    Other,
}

struct ItemState<'f> {
    file: &'f SourceFile,
    start: usize,
    has_content: bool,
    /// Open brackets: the character and its offset.
    open: Vec<(u8, usize)>,
    /// Nesting keywords seen at each bracket level (index 0: outside brackets).
    nesting: Vec<usize>,
    depth: usize,
    /// Binary operators seen at each bracket level (index 0: outside brackets).
    ops: Vec<usize>,
    /// Their sum over the open levels: with `depth`, a bound on the expression tree's depth.
    ops_total: usize,
    last: Last,
    error: Option<ParseError>,
    bracketed_line_ends: Vec<usize>,
}

impl<'f> ItemState<'f> {
    fn new(file: &'f SourceFile, start: usize) -> Self {
        ItemState {
            file,
            start,
            has_content: false,
            open: Vec::new(),
            nesting: vec![0],
            depth: 0,
            ops: vec![0],
            ops_total: 0,
            last: Last::None,
            error: None,
            bracketed_line_ends: Vec::new(),
        }
    }

    fn fail(&mut self, error: ParseError) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    fn finish(mut self, end: usize) -> Chunk {
        if let Some(&(open, at)) = self.open.last() {
            let err = ParseError::unclosed(self.file, char::from(open), Span::new(at, at + 1));
            self.fail(err);
        }
        Chunk {
            span: Span::new(self.start, end),
            error: self.error,
            bracketed_line_ends: self.bracketed_line_ends,
        }
    }

    /// Does the line `[start, end)` begin a new item?
    fn starts_item(&self, text: &str, start: usize, end: usize) -> bool {
        if !self.has_content {
            return false;
        }
        let line = text.get(start..end).unwrap_or("");
        let Some(first) = line.bytes().next() else {
            return false;
        };
        if matches!(first, b' ' | b'\t' | b'\r' | b'#') {
            return false;
        }
        let word_len = line
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        let word = line.get(..word_len).unwrap_or("");
        if ITEM_WORDS.contains(&word) {
            return true;
        }
        if CLAUSE_WORDS.contains(&word) {
            return false;
        }
        self.open.is_empty() && self.last != Last::Continues
    }

    fn push_nesting(&mut self, at: usize, len: usize) {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let err = ParseError::too_deep(self.file, Span::new(at, at + len));
            self.fail(err);
        }
    }

    /// A binary operator: one more level of the expression tree at this bracket level.
    fn push_operator(&mut self, at: usize, len: usize) {
        if let Some(n) = self.ops.last_mut() {
            *n += 1;
        }
        self.ops_total += 1;
        if self.depth + self.ops_total > MAX_TREE_DEPTH {
            let err = ParseError::too_deep_tree(self.file, Span::new(at, at + len));
            self.fail(err);
        }
    }

    fn scan_line(&mut self, text: &str, start: usize, end: usize) {
        let bytes = text.as_bytes();
        let mut i = start;
        let mut line_last = None;
        while i < end {
            let b = bytes.get(i).copied().unwrap_or(b'\n');
            let tok_start = i;
            match b {
                b' ' | b'\t' | b'\r' => {
                    i += 1;
                    continue;
                }
                b'#' => break,
                b'"' => {
                    i = self.scan_string(bytes, i, end);
                    line_last = Some(Last::Other);
                }
                b'`' => {
                    i += 1;
                    while i < end && bytes.get(i) != Some(&b'`') {
                        i += 1;
                    }
                    i = (i + 1).min(end);
                    line_last = Some(Last::Other);
                }
                b'(' | b'[' | b'{' => {
                    self.open.push((b, i));
                    self.nesting.push(0);
                    self.ops.push(0);
                    self.push_nesting(i, 1);
                    i += 1;
                    line_last = Some(Last::Other);
                }
                b')' | b']' | b'}' => {
                    self.close(b, i);
                    i += 1;
                    line_last = Some(Last::Other);
                }
                b'<' | b'>' | b'!' | b'=' | b'+' | b'-' | b'*' | b'/' | b',' | b':' => {
                    i += 1;
                    if matches!(b, b'<' | b'>' | b'!') && bytes.get(i) == Some(&b'=') {
                        i += 1;
                    }
                    line_last = Some(Last::Continues);
                }
                _ if b.is_ascii_alphabetic() || b == b'_' => {
                    while i < end
                        && bytes
                            .get(i)
                            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                    {
                        i += 1;
                    }
                    let word = text.get(tok_start..i).unwrap_or("");
                    if NESTING_WORDS.contains(&word) {
                        if let Some(n) = self.nesting.last_mut() {
                            *n += 1;
                        }
                        self.push_nesting(tok_start, i - tok_start);
                    }
                    if OPERATOR_WORDS.contains(&word) {
                        self.push_operator(tok_start, i - tok_start);
                    }
                    line_last = Some(if CONTINUE_WORDS.contains(&word) {
                        Last::Continues
                    } else {
                        Last::Other
                    });
                }
                _ if b.is_ascii_digit() => {
                    while i < end
                        && bytes.get(i).is_some_and(|c| {
                            c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'%')
                        })
                    {
                        i += 1;
                    }
                    line_last = Some(Last::Other);
                }
                _ => {
                    i += 1;
                    line_last = Some(Last::Other);
                }
            }
            self.has_content = true;
        }
        if let Some(last) = line_last {
            self.last = last;
        }
        if end < text.len() && self.open.iter().any(|&(b, _)| b != b'{') {
            self.bracketed_line_ends.push(end);
        }
        // A line end outside brackets that does not continue the clause ends it.
        if self.open.is_empty() && self.last != Last::Continues {
            if let Some(n) = self.nesting.first_mut() {
                self.depth = self.depth.saturating_sub(*n);
                *n = 0;
            }
            if let Some(n) = self.ops.first_mut() {
                self.ops_total = self.ops_total.saturating_sub(*n);
                *n = 0;
            }
        }
    }

    /// Scan a string starting at the `"` at `i`; returns the offset after it.
    fn scan_string(&mut self, bytes: &[u8], i: usize, end: usize) -> usize {
        let mut j = i + 1;
        while j < end {
            match bytes.get(j) {
                Some(b'"') => return j + 1,
                Some(b'\\') => j += 2,
                _ => j += 1,
            }
        }
        // Trim a trailing `\r` so the label ends on the visible text.
        let mut stop = end;
        if stop > i + 1 && bytes.get(stop - 1) == Some(&b'\r') {
            stop -= 1;
        }
        let err = ParseError::unterminated_string(self.file, Span::new(i, stop));
        self.fail(err);
        end
    }

    fn close(&mut self, b: u8, at: usize) {
        let want = match b {
            b')' => b'(',
            b']' => b'[',
            _ => b'{',
        };
        let Some(&(open, open_at)) = self.open.last() else {
            // An unmatched closer: the grammar reports it.
            return;
        };
        if open != want {
            let err = ParseError::mismatched(
                self.file,
                char::from(b),
                Span::new(at, at + 1),
                (char::from(open), Span::new(open_at, open_at + 1)),
            );
            self.fail(err);
        }
        self.open.pop();
        if let Some(n) = self.nesting.pop() {
            self.depth = self.depth.saturating_sub(n);
        }
        if self.ops.len() > 1 {
            if let Some(n) = self.ops.pop() {
                self.ops_total = self.ops_total.saturating_sub(n);
            }
        }
        self.depth = self.depth.saturating_sub(1);
    }
}
