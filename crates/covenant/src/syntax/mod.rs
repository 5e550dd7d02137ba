//! Syntax: policy text → AST with spans (pest grammar in `grammar/covenant.pest`).
//!
//! [`parse`] reads a whole file and reports every item that fails, not only the first:
//! the file is split into items ([`scan`]), each item is parsed on its own with absolute
//! offsets, and lowering errors (bad literals, duplicate clauses) are collected as well.

pub mod ast;
mod ast_cite;
mod ast_fx;
mod chars;
pub mod error;
mod expected;
pub mod format;
pub mod grammar;
mod hints;
mod id;
pub mod keywords;
mod literal;
mod lower;
pub(crate) use lower::comment_start;
mod cache;
mod lower_cite;
mod lower_expr;
mod lower_fx;
mod lower_holdings;
mod lower_ops;
mod lower_table;
mod lower_time;
mod scan;
mod shift;
mod table_hints;

#[cfg(test)]
mod tests;

use std::borrow::Cow;

use pest::Parser;

use crate::source::{SourceFile, Span};

use self::ast::{Expr, Header, Item, PolicyFile};
pub use self::cache::ParseCache;
pub use self::error::{ParseError, ParseErrors, MAX_DEPTH, MAX_TREE_DEPTH};
pub use self::format::format_policy;
use self::grammar::{CovenantParser, Rule};
pub use self::id::{derive_id, id_tokens, IdToken};
pub use self::keywords::keyword_doc;
use self::lower::Entry;
use self::lower_expr::Lowerer;

/// Stack for the parser thread: enough for [`MAX_DEPTH`] levels of nesting in a debug build,
/// many times over (the memory is reserved, not committed).
const PARSE_STACK: usize = 64 * 1024 * 1024;

/// Parse a policy file into its AST, or report every error found.
///
/// A lone CR ends a line, as LF and CR LF do: the file is read with each one made a line feed
/// (the spans are the same). Load policies with [`SourceFile::policy`], so that diagnostics
/// drawn from the file's own text count the same lines.
pub fn parse(file: &SourceFile) -> Result<PolicyFile, ParseErrors> {
    let file = &*file.with_lone_crs_as_line_feeds();
    with_parse_stack(|| parse_file(file))
}

/// Parse a file that holds one clause expression (or must-form), such as
/// `foreign partner stake < 50%`. Used by tools and tests of later phases.
pub fn parse_expr(file: &SourceFile) -> Result<Expr, ParseErrors> {
    let file = &*file.with_lone_crs_as_line_feeds();
    with_parse_stack(|| parse_expr_file(file))
}

/// Run `f` with a large stack, so that deep (but allowed) nesting never overflows the
/// caller's: here when this thread already has it (a compile on the big-stack thread), else on
/// a thread of its own.
fn with_parse_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    crate::limits::with_stack("covenant-parse", PARSE_STACK, f)
}

/// Items per file above which they are parsed in parallel (each item parses on its own).
const PARALLEL_ITEMS: usize = 256;

/// Parse every chunk that scanned cleanly; in parallel for large files, on threads with the
/// same large stack as the parse thread.
fn parse_chunks(
    file: &SourceFile,
    chunks: &[scan::Chunk],
    cache: Option<&ParseCache>,
) -> Vec<Option<(Vec<Entry>, Vec<ParseError>)>> {
    use rayon::prelude::*;
    let one = |c: &scan::Chunk| {
        let cached = cache
            .filter(|_| c.error.is_none())
            .and_then(|cache| cache.get(c.span.start, file.slice(c.span)));
        match cached {
            Some(entries) => Some((entries, Vec::new())),
            None => c.error.is_none().then(|| parse_chunk(file, c)),
        }
    };
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    let pool = (chunks.len() > PARALLEL_ITEMS)
        .then(|| {
            POOL.get_or_init(|| {
                rayon::ThreadPoolBuilder::new()
                    .stack_size(PARSE_STACK)
                    .build()
                    .ok()
            })
            .as_ref()
        })
        .flatten();
    match pool {
        Some(pool) => pool.install(|| chunks.par_iter().map(one).collect()),
        None => chunks.iter().map(one).collect(),
    }
}

/// A NUL byte anywhere in a policy is an error of its own: it would otherwise be reported as
/// an invisible "unexpected" character, or kept inside a string. So is a line separator that
/// is not a line end ([`chars::line_separators`]).
fn nul_byte(file: &SourceFile) -> Option<ParseErrors> {
    let errors = match file.text.find('\0') {
        Some(at) => vec![ParseError::syntax(
            file,
            Span::new(at, at + 1),
            "the policy contains a NUL byte".to_string(),
            "NUL byte".to_string(),
            Some("a policy is a text file; remove the NUL byte".to_string()),
        )],
        None => chars::line_separators(file),
    };
    (!errors.is_empty()).then(|| ParseErrors {
        name: file.name.to_string(),
        errors,
    })
}

fn parse_file(file: &SourceFile) -> Result<PolicyFile, ParseErrors> {
    let (parsed, errors) = parse_file_partial(file, None);
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(ParseErrors {
            name: file.name.to_string(),
            errors,
        })
    }
}

/// Parse what parses of a file, for tools that work on a file being edited (the language
/// server): the items that parse, and the errors of those that do not, in source order. A
/// policy with errors is never compiled from this for a check: [`parse`] rejects it.
pub fn parse_partial(file: &SourceFile) -> (PolicyFile, Vec<ParseError>) {
    let file = &*file.with_lone_crs_as_line_feeds();
    with_parse_stack(|| parse_file_partial(file, None))
}

/// [`parse_partial`], reusing the parses of the items that `cache` holds from the last parse
/// of the file (an item of the same text at the same place is not parsed again), and keeping
/// this parse's items in it for the next. For a tool that parses a file after every edit.
pub fn parse_partial_cached(
    file: &SourceFile,
    cache: &mut ParseCache,
) -> (PolicyFile, Vec<ParseError>) {
    let file = &*file.with_lone_crs_as_line_feeds();
    let mut again = ParseCache::default();
    let parsed = with_parse_stack(|| parse_file_partial(file, Some((cache, &mut again))));
    *cache = again;
    parsed
}

fn parse_file_partial(
    file: &SourceFile,
    mut cache: Option<(&ParseCache, &mut ParseCache)>,
) -> (PolicyFile, Vec<ParseError>) {
    if let Some(e) = nul_byte(file) {
        return (PolicyFile::default(), e.errors);
    }
    let mut errors = Vec::new();
    let mut header: Option<Header> = None;
    let mut items: Vec<Item> = Vec::new();
    // An item that failed to parse still comes before a later header.
    let mut failed_item: Option<Span> = None;
    let chunks = scan::split(file);
    let old = cache.as_ref().map(|(old, _)| *old);
    let mut parsed = parse_chunks(file, &chunks, old).into_iter();
    for chunk in chunks {
        let is_header = starts_with_header(file.slice(chunk.span));
        let result = parsed.next().flatten();
        if let (Some((_, new)), Some((entries, errs))) = (&mut cache, &result) {
            if chunk.error.is_none() && errs.is_empty() {
                new.put(chunk.span.start, file.slice(chunk.span), entries);
            }
        }
        if let Some(err) = chunk.error {
            errors.push(err);
            if !is_header {
                failed_item = failed_item.or(Some(chunk.span));
            }
            continue;
        }
        let Some((entries, errs)) = result else {
            continue;
        };
        if entries.is_empty() && !errs.is_empty() && !is_header {
            failed_item = failed_item.or(Some(chunk.span));
        }
        errors.extend(errs);
        for entry in entries {
            match entry {
                Entry::Header(h)
                    if header.is_none() && items.is_empty() && failed_item.is_none() =>
                {
                    header = Some(*h)
                }
                Entry::Header(h) => {
                    let first = items
                        .first()
                        .map(item_span)
                        .or(header.as_ref().map(|h| h.span))
                        .or(failed_item);
                    errors.push(ParseError::misplaced_header(file, h.span, first));
                }
                Entry::Item(item) => items.push(item),
            }
        }
    }
    errors.sort_by_key(|e| (e.span().start, e.span().end));
    let parsed = PolicyFile {
        header: header.unwrap_or_default(),
        items,
    };
    (parsed, errors)
}

fn parse_expr_file(file: &SourceFile) -> Result<Expr, ParseErrors> {
    if let Some(e) = nul_byte(file) {
        return Err(e);
    }
    let fail = |errors: Vec<ParseError>| ParseErrors {
        name: file.name.to_string(),
        errors,
    };
    let mut line_ends = Vec::new();
    for chunk in scan::split(file) {
        if let Some(err) = chunk.error {
            return Err(fail(vec![err]));
        }
        line_ends.extend(chunk.bracketed_line_ends);
    }
    let whole = Span::new(0, file.text.len());
    let text = grammar_text(file, whole, &line_ends);
    let pairs = CovenantParser::parse(Rule::expr_file, &text)
        .map_err(|e| fail(vec![expected::syntax_error(file, whole, &e)]))?;
    let mut lowerer = Lowerer::new(file, 0);
    let mut result = None;
    for top in pairs {
        for k in lower_expr::kids(&top) {
            if k.as_rule() == Rule::clause_expr {
                result = Some(lowerer.expr(k));
            }
        }
    }
    let expr = match result {
        Some(Ok(e)) => e,
        Some(Err(e)) => return Err(fail(vec![e])),
        None => {
            return Err(fail(vec![ParseError::syntax(
                file,
                Span::new(0, 0),
                "expected an expression".to_string(),
                "here".to_string(),
                None,
            )]))
        }
    };
    if lowerer.errors.is_empty() {
        Ok(expr)
    } else {
        Err(fail(lowerer.errors))
    }
}

/// Parse the items of `chunk` of `file`.
fn parse_chunk(file: &SourceFile, chunk: &scan::Chunk) -> (Vec<Entry>, Vec<ParseError>) {
    let span = chunk.span;
    let text = grammar_text(file, span, &chunk.bracketed_line_ends);
    let pairs = match CovenantParser::parse(Rule::file, &text) {
        Ok(pairs) => pairs,
        Err(e) => return (Vec::new(), vec![expected::syntax_error(file, span, &e)]),
    };
    let mut lowerer = Lowerer::new(file, span.start);
    let mut entries = Vec::new();
    for top in pairs {
        match lowerer.entries(&top) {
            Ok(mut es) => entries.append(&mut es),
            Err(e) => lowerer.errors.push(e),
        }
    }
    (entries, lowerer.errors)
}

/// The text of `span` as the grammar reads it: each line end inside `( )` or `[ ]` (at the
/// offsets `line_ends`, from [`scan::split`]) made a VT, which the grammar takes for white
/// space, where any other line end ends a clause. A VT is rejected before the grammar runs
/// ([`chars::line_separators`]), so it stands for nothing else; one byte for another keeps
/// every offset. (The grammar once kept a stack of open brackets instead; pest then saved and
/// restored that stack around every alternative that could open a bracket, most of them.)
/// The lowerer reads every text from the file itself, so the VT is seen by the grammar only.
fn grammar_text<'f>(file: &'f SourceFile, span: Span, line_ends: &[usize]) -> Cow<'f, str> {
    let text = file.slice(span);
    if line_ends.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for i in line_ends.iter().filter_map(|at| at.checked_sub(span.start)) {
        // scan.rs records line feeds only, in order, inside the item.
        let line_feed = text.get(i..i + 1);
        debug_assert_eq!(line_feed, Some("\n"), "not a line end at {i}");
        let (Some(before), Some("\n")) = (text.get(from..i), line_feed) else {
            continue;
        };
        out.push_str(before);
        out.push('\u{b}');
        from = i + 1;
    }
    out.push_str(text.get(from..).unwrap_or_default());
    Cow::Owned(out)
}

/// Does this item text (after blank and comment lines) start with `policy`?
fn starts_with_header(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| {
            l.strip_prefix("policy").is_some_and(|rest| {
                !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            })
        })
}

fn item_span(item: &Item) -> Span {
    item.span()
}
