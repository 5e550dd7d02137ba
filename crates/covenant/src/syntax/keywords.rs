//! The words of the policy language (SPEC §2.1), listed once.
//!
//! The parser's error hints, the item splitter and the type checker's "did you mean"
//! suggestions all read these lists; a test checks them against `grammar/covenant.pest`.

/// The keywords: never a bare word, so a field with such a name is written back-quoted
/// (`` `count` ``). The grammar's `keyword` rule.
pub const KEYWORDS: [&str; 33] = [
    "and",
    "or",
    "not",
    "every",
    "some",
    "no",
    "at",
    "least",
    "most",
    "exactly",
    "of",
    "where",
    "in",
    "is",
    "contains",
    "one",
    "within",
    "must",
    "be",
    "stay",
    "have",
    "total",
    "count",
    "number",
    "max",
    "min",
    "average",
    "true",
    "false",
    "deal",
    "as",
    "look-through",
    "per",
];

/// Words that start an item at the start of a line, even inside an unclosed bracket.
pub const ITEM_WORDS: [&str; 5] = ["rule", "let", "define", "use", "policy"];

/// The other clause words: keywords only where a clause starts; at the start of a line they
/// continue the item before. With [`ITEM_WORDS`], the grammar's `clause_word` rule.
pub const CLAUSE_WORDS: [&str; 19] = [
    "version",
    "jurisdiction",
    "schema",
    "effective",
    "until",
    "severity",
    "status",
    "fx",
    "overrides",
    "error",
    "warning",
    "info",
    "cite",
    "when",
    "require",
    "unless",
    "help",
    "calendar",
    "waivable",
];

/// Is `word` a keyword, which a phrase writes back-quoted?
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use pest_meta::ast::{Expr, Rule};

    use super::{CLAUSE_WORDS, ITEM_WORDS, KEYWORDS};

    const GRAMMAR: &str = include_str!("../../../../grammar/covenant.pest");

    fn rules() -> Vec<Rule> {
        let pairs = pest_meta::parser::parse(pest_meta::parser::Rule::grammar_rules, GRAMMAR)
            .unwrap_or_else(|e| panic!("the grammar does not parse: {e}"));
        pest_meta::parser::consume_rules(pairs)
            .unwrap_or_else(|e| panic!("the grammar does not parse: {e:?}"))
    }

    /// The words (strings of letters, maybe joined by `-`: `look-through`) that `rule`'s
    /// expression matches.
    fn words(rule: &Rule) -> Vec<String> {
        rule.expr
            .iter_top_down()
            .filter_map(|e| match e {
                Expr::Str(s)
                    if s.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-')
                        && s.starts_with(|c: char| c.is_ascii_alphabetic()) =>
                {
                    Some(s)
                }
                _ => None,
            })
            .collect()
    }

    fn words_of(rules: &[Rule], name: &str) -> Vec<String> {
        let rule = rules.iter().find(|r| r.name == name);
        words(rule.unwrap_or_else(|| panic!("the grammar has no rule `{name}`")))
    }

    fn set(words: &[&str]) -> BTreeSet<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    /// A set of words, each once.
    fn distinct(words: Vec<String>, what: &str) -> BTreeSet<String> {
        let set: BTreeSet<String> = words.iter().cloned().collect();
        assert_eq!(set.len(), words.len(), "a word is listed twice in {what}");
        set
    }

    #[test]
    fn the_keyword_list_is_the_grammars() {
        let rules = rules();
        let keywords = distinct(words_of(&rules, "keyword"), "`keyword`");
        assert_eq!(set(&KEYWORDS), keywords, "KEYWORDS against `keyword`");
        assert_eq!(KEYWORDS.len(), keywords.len(), "a keyword is listed twice");
        let clause_words = distinct(words_of(&rules, "clause_word"), "`clause_word`");
        let listed: Vec<&str> = ITEM_WORDS.iter().chain(&CLAUSE_WORDS).copied().collect();
        assert_eq!(set(&listed), clause_words, "ITEM_WORDS + CLAUSE_WORDS");
        assert_eq!(
            listed.len(),
            clause_words.len(),
            "a clause word is listed twice"
        );
    }

    /// Every `kw_*` rule matches one word of the lists, and every word has its rule.
    #[test]
    fn every_listed_word_has_its_kw_rule() {
        let rules = rules();
        let mut kw_words = Vec::new();
        for rule in rules.iter().filter(|r| r.name.starts_with("kw_")) {
            let words = words(rule);
            let word = rule.name["kw_".len()..].replace('_', "-");
            assert_eq!(words, [word], "{}", rule.name);
            kw_words.extend(words);
        }
        let all: Vec<&str> = KEYWORDS
            .iter()
            .chain(&ITEM_WORDS)
            .chain(&CLAUSE_WORDS)
            .copied()
            .collect();
        assert_eq!(distinct(kw_words, "the `kw_*` rules"), set(&all));
    }

    /// The words read only in their place (`w_*` rules: `section` and `url` in `cite`, `from`
    /// in `fx`, …) are neither keywords nor clause words: a phrase may use them unquoted.
    #[test]
    fn words_in_their_place_are_not_keywords() {
        let rules = rules();
        let reserved: BTreeSet<String> =
            set(&KEYWORDS).union(&set(&CLAUSE_WORDS)).cloned().collect();
        let mut placed = Vec::new();
        for rule in rules.iter().filter(|r| r.name.starts_with("w_")) {
            for word in words(rule) {
                assert!(!reserved.contains(&word), "`{}` is reserved", rule.name);
                placed.push(word);
            }
        }
        for word in ["section", "url", "from"] {
            assert!(
                placed.iter().any(|w| w == word),
                "no `w_` rule for `{word}`"
            );
        }
    }

    /// The look-ahead tests name only keywords (a test on any other word would skip an
    /// alternative for a phrase that starts with it).
    #[test]
    fn the_look_ahead_tests_name_keywords() {
        let rules = rules();
        let keywords = set(&KEYWORDS);
        let mut tested = 0;
        for rule in rules.iter().filter(|r| r.name.ends_with("_ahead")) {
            for word in words(rule) {
                assert!(keywords.contains(&word), "`{}` tests `{word}`", rule.name);
                tested += 1;
            }
        }
        assert!(tested >= 20, "{tested}");
    }
}
