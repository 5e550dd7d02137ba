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

/// One line of documentation for a keyword, item word or clause word, as an editor's hover
/// shows it; `None` for any other word.
pub fn keyword_doc(word: &str) -> Option<&'static str> {
    Some(match word {
        "and" => "`A and B`: both conditions hold (an unknown side makes the whole unknown unless the other is false).",
        "or" => "`A or B`: at least one condition holds.",
        "not" => "`not C`: the condition does not hold; also `not in`.",
        "every" => "`every X [where C]: P`: P holds for every item of X (vacuously true on none).",
        "some" => "`some X [where C][: P]`: at least one item of X (that meets C) exists, or satisfies P.",
        "no" => "`no X [where C][: P]`: no item of X meets C (and P).",
        "at" => "`at least N X …` / `at most N X …`, or `is at least V` / `is at most V`.",
        "least" => "`at least`: a lower bound, inclusive (`>=`), or a count of items.",
        "most" => "`at most`: an upper bound, inclusive (`<=`), or a count of items.",
        "exactly" => "`exactly N X [where C]`: exactly N items of X meet C.",
        "of" => "`count of X`, `5% of X`, `year of D`: the value of the phrase after it.",
        "where" => "`X where C`: the items of X that meet C; C reads each item's fields by name.",
        "in" => "`A in L`: A is one of the values of the list L.",
        "is" => "`A is B` (=), `is not`, `is at least`, `is one of`, `is within`, `is missing`/`present`.",
        "contains" => "`L contains A`: the list L holds the value A.",
        "one" => "`is one of L` / `be one of L`: membership in the list L.",
        "within" => "`A is within T of B`: the difference of A and B is at most T.",
        "must" => "`X must P`: every value of X satisfies P (`be`, `be in`, `have`, `stay in`).",
        "be" => "`must be V`, `must be in L`, `must be at least V`, `must be present`.",
        "stay" => "`X must stay in L` / `stay L`: every value of X is one of L.",
        "have" => "`X must have F`: every item of X has the yes/no field F set to true.",
        "total" => "`total X`: the sum of the values of the list X (exact; unknown if any is unknown).",
        "count" => "`count of X`: how many items X holds.",
        "number" => "`number of X`: how many items X holds (as `count of`).",
        "max" => "`max X`: the largest value of the list X.",
        "min" => "`min X`: the smallest value of the list X.",
        "average" => "`average X`: the mean of the values of the list X (exact).",
        "true" => "The boolean true.",
        "false" => "The boolean false.",
        "deal" => "`deal`: the deal itself, the root of every phrase (`deal date`, `look-through … in deal`).",
        "as" => "`every party as investor …`: names the item of a quantifier or filter (SPEC §8).",
        "look-through" => "`look-through M of S in T [by control …]`: the share M that S holds of T, directly or indirectly (SPEC §7.2).",
        "per" => "`AGG X per K`: one aggregate per value of the key K (SPEC §7.3).",
        "rule" => "`rule ID \"title\" { clauses }` or `rule ID: condition`: a rule of the policy.",
        "let" => "`let NAME = VALUE`: a definition, used by its name in any phrase of the files that see it.",
        "define" => "`define SINGULAR NAME: EXPR`: a computed field of each item the singular names (SPEC §8).",
        "use" => "`use \"file.policy\"`: load another policy file and see its definitions.",
        "policy" => "`policy \"title\" version \"v\"`: the file's header, followed by its header clauses.",
        "version" => "`version \"v\"`: the policy's version (header), or a cited source's version.",
        "jurisdiction" => "`jurisdiction \"US\"`: every rule of the file applies only to deals hosted there.",
        "schema" => "`schema \"file.json\" [extends standard]`: the deal schema phrases resolve against.",
        "effective" => "`effective FROM [until UNTIL] [on D]`: the window in which a rule applies (SPEC §9).",
        "until" => "`until DATE`: the end of an effective window (exclusive).",
        "severity" => "`severity error|warning|info`: how a failing rule is reported.",
        "status" => "`status in-force|proposed|reported|repealed`: the rule's legal status (SPEC §12).",
        "fx" => "`fx \"TEXT\" from \"FILE\"`: the exchange-rate table conversions use (SPEC §11).",
        "overrides" => "`overrides ID, …`: when this rule applies, the named rules give way (SPEC §14).",
        "error" => "`severity error`: a failing rule makes the deal non-compliant.",
        "warning" => "`severity warning`: a failing rule is reported but does not fail the deal.",
        "info" => "`severity info`: a failing rule is reported for information only.",
        "cite" => "`cite \"TEXT\" [section \"S\"] [url \"U\"] [version \"V\"]`: the rule's source (SPEC §12).",
        "when" => "`when C`: the rule applies only to deals where C holds (else not applicable).",
        "require" => "`require C`: the condition a deal must meet for the rule to pass.",
        "unless" => "`unless C`: the rule does not apply where C holds.",
        "help" => "`help \"TEXT\"`: what to do when the rule fails, shown in reports.",
        "calendar" => "`calendar \"TEXT\" from \"FILE\"`: the holidays `working days` skip (SPEC §9).",
        "waivable" => "`waivable by L`: the authorities whose approval waives the rule (SPEC §10).",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::{keyword_doc, CLAUSE_WORDS, ITEM_WORDS, KEYWORDS};

    #[test]
    fn every_word_of_the_language_has_one_line_of_docs() {
        for word in KEYWORDS.iter().chain(&ITEM_WORDS).chain(&CLAUSE_WORDS) {
            let doc = keyword_doc(word).unwrap_or_else(|| panic!("no doc for `{word}`"));
            assert!(!doc.contains('\n'), "{word}: {doc}");
        }
        assert_eq!(keyword_doc("stake"), None);
    }

    // The grammar's rules and the words each matches, read from `grammar/covenant.pest` by
    // the build script (`RULE_WORDS`).
    include!(concat!(env!("OUT_DIR"), "/grammar_words.rs"));

    /// A rule of the grammar: its name and the words (strings of letters, maybe joined by
    /// `-`: `look-through`) its expression matches.
    struct Rule {
        name: &'static str,
        words: &'static [&'static str],
    }

    fn rules() -> Vec<Rule> {
        RULE_WORDS
            .iter()
            .map(|&(name, words)| Rule { name, words })
            .collect()
    }

    fn words(rule: &Rule) -> Vec<String> {
        rule.words.iter().map(|w| w.to_string()).collect()
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
