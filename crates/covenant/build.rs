//! The words each rule of the grammar matches, for the tests of `syntax/keywords.rs`: they
//! hold the keyword lists to `grammar/covenant.pest`.
//!
//! The grammar is read here, with `pest_meta` (already built for the host by `pest_derive`),
//! rather than in the tests: as a dev-dependency `pest_meta` turned on pest's `std` feature,
//! and with it pest's stack guard, in every test build of the workspace, so the tests ran a
//! parser the shipped build does not (Cargo.toml: pest without `std`). A build dependency is
//! built for the host and leaves the library's pest as shipped.

use std::fmt::Write as _;
use std::path::PathBuf;

use pest_meta::ast::Expr;

fn main() {
    let grammar = "../../grammar/covenant.pest";
    println!("cargo:rerun-if-changed={grammar}");
    println!("cargo:rerun-if-changed=build.rs");
    let text =
        std::fs::read_to_string(grammar).unwrap_or_else(|e| fail(&format!("{grammar}: {e}")));
    let pairs = pest_meta::parser::parse(pest_meta::parser::Rule::grammar_rules, &text)
        .unwrap_or_else(|e| fail(&format!("the grammar does not parse: {e}")));
    let rules = pest_meta::parser::consume_rules(pairs)
        .unwrap_or_else(|e| fail(&format!("the grammar does not parse: {e:?}")));
    let mut out = String::from(
        "/// Each rule of `grammar/covenant.pest` with the words its expression matches, in the\n\
         /// order a top-down walk meets them (written by `build.rs`).\n\
         pub const RULE_WORDS: &[(&str, &[&str])] = &[\n",
    );
    for rule in &rules {
        let words: Vec<String> = rule.expr.iter_top_down().filter_map(word).collect();
        let _ = writeln!(out, "    ({:?}, &{:?}),", rule.name, words);
    }
    out.push_str("];\n");
    let dir = std::env::var_os("OUT_DIR").unwrap_or_else(|| fail("OUT_DIR is not set"));
    let path = PathBuf::from(dir).join("grammar_words.rs");
    std::fs::write(&path, out).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
}

/// A string the expression matches that is a word: letters, maybe joined by `-`
/// (`look-through`).
fn word(e: Expr) -> Option<String> {
    match e {
        Expr::Str(s)
            if s.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-')
                && s.starts_with(|c: char| c.is_ascii_alphabetic()) =>
        {
            Some(s)
        }
        _ => None,
    }
}

fn fail(message: &str) -> ! {
    eprintln!("build.rs: {message}");
    std::process::exit(1)
}
