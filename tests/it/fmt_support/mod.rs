//! Helpers of the `fmt` tests: formatting that must succeed, ASTs compared without spans, and
//! (in `gen`) a generator of random policies.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod gen;
pub mod render;

use covenant::source::SourceFile;
use covenant::syntax::{format_policy, parse, ParseErrors};

/// The messages of parse errors, one per line.
pub fn messages(errors: &ParseErrors) -> String {
    errors
        .iter()
        .map(|e| format!("{e} at {:?}", e.span()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The AST of `text` printed without its spans, or the parse errors.
pub fn ast(text: &str) -> Result<String, String> {
    match parse(&SourceFile::new("test.policy", text)) {
        Ok(policy) => Ok(erase_spans(&format!("{policy:#?}"))),
        Err(e) => Err(messages(&e)),
    }
}

/// A debug print with every `Span { start: …, end: … }` replaced by `_`.
pub fn erase_spans(debug: &str) -> String {
    const OPEN: &str = "Span {";
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let close = after.find('}').expect("a closing brace");
        out.push('_');
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Format `text`, which must parse.
pub fn fmt(text: &str) -> String {
    match format_policy(&SourceFile::new("test.policy", text)) {
        Ok(f) => f,
        Err(e) => panic!("does not format: {}\n--- text\n{text}", messages(&e)),
    }
}

/// The comments of a text (as the formatter reads them), trailing space trimmed, sorted.
pub fn comment_texts(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .lines()
        .filter_map(|line| {
            let mut in_str = false;
            let mut in_quote = false;
            let mut escaped = false;
            for (i, c) in line.char_indices() {
                if in_str {
                    match (escaped, c) {
                        (true, _) => escaped = false,
                        (false, '\\') => escaped = true,
                        (false, '"') => in_str = false,
                        _ => {}
                    }
                    continue;
                }
                match c {
                    '`' => in_quote = !in_quote,
                    '"' if !in_quote => in_str = true,
                    '#' if !in_quote => return Some(line[i..].trim_end().to_string()),
                    _ => {}
                }
            }
            None
        })
        .collect();
    out.sort();
    out
}

/// Format `text` and check the laws: the result parses to the same AST (spans aside), keeps
/// every comment, and formatting it again changes nothing. Returns the formatted text.
pub fn check_laws(text: &str) -> String {
    let before = ast(text).unwrap_or_else(|e| panic!("input does not parse: {e}\n{text}"));
    let formatted = fmt(text);
    let after = ast(&formatted).unwrap_or_else(|e| {
        panic!("formatted text does not parse: {e}\n--- input\n{text}\n--- formatted\n{formatted}")
    });
    assert!(
        before == after,
        "the AST changed\n--- input\n{text}\n--- formatted\n{formatted}\n--- before\n{before}\n--- after\n{after}"
    );
    assert_eq!(
        comment_texts(text),
        comment_texts(&formatted),
        "comments changed\n--- input\n{text}\n--- formatted\n{formatted}"
    );
    let again = fmt(&formatted);
    assert!(
        again == formatted,
        "not idempotent\n--- input\n{text}\n--- once\n{formatted}\n--- twice\n{again}"
    );
    formatted
}
