//! The JSON fast path against the full loader: it either gives up or builds the same record.

use super::*;
use std::sync::Arc;

use crate::json_bytes::plain_run;
use crate::schema::{Constraint, Field, RecordId, RecordSchema, Type};

/// The fast path on `text` alone.
fn load_json_fast(
    text: &str,
    base: usize,
    schema: &Schema,
    limits: &Limits,
) -> Option<(Record, Span)> {
    crate::deal::fast::load_json_fast(&Arc::from(text), base, schema, limits)
}

/// The full loader alone: its record when the deal loads without any error or warning.
fn full(text: &str, schema: &Schema, opts: &LoadOptions) -> Option<(Record, Span)> {
    let file = source(text);
    let mut d = Diags::new(&file);
    let root = parse_and_validate(text, 0, Format::Json, schema, opts, &mut d);
    // The stake-total warning is added by `load` after either path, so it does not count here.
    let warned = d
        .warnings
        .iter()
        .any(|w| w.kind() != crate::deal::DealErrorKind::StakesNot100);
    (d.errors.is_empty() && !warned).then_some(root).flatten()
}

/// Checks that the fast path agrees with the full loader; true when it did not give up.
fn agrees_with(text: &str, schema: &Schema, opts: &LoadOptions) -> bool {
    let Some(fast) = load_json_fast(text, 0, schema, &opts.limits) else {
        return false;
    };
    let full = full(text, schema, opts);
    assert_eq!(Some(&fast), full.as_ref(), "{text}");
    true
}

fn agrees(text: &str) -> bool {
    agrees_with(text, &Schema::standard(), &LoadOptions::default())
}

/// The fast path gives up on `text`.
fn gives_up(text: &str) {
    assert!(
        load_json_fast(text, 0, &Schema::standard(), &Limits::default()).is_none(),
        "{text}"
    );
}

/// Generated deals (`tests/differential/gen.py`), one per line.
pub(super) fn generated(n: usize) -> Vec<String> {
    crate::run_generator("tests/differential/gen.py", &["--no-yaml"], n)
}

/// A small deterministic generator (xorshift64).
pub(super) struct Rng(pub u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const VALUES: &[&str] = &[
    "null",
    "true",
    "false",
    "\"x\"",
    "\"\"",
    "1",
    "-0",
    "0",
    "01",
    "1.",
    "1.5",
    "-2.25e3",
    "1E+2",
    "1e400",
    "123456789012345678901234567890",
    "1234567890123456789012345678901234567890",
    "\"51%\"",
    "\"51 %\"",
    "\" 51%\"",
    "\"-5%\"",
    "\"5.%\"",
    "\".5%\"",
    "\"1_000%\"",
    "\"51\"",
    "\"0.1234567890123456789%\"",
    "\"99999999999999999999999999999999%\"",
    "\"USD 5\"",
    "\"USD 1_000\"",
    "\"usd 5\"",
    "\"USD 5K\"",
    "\"USD 5k\"",
    "\"USD  5\"",
    "\"US 5\"",
    "\"USD 2.5B\"",
    "\"USD -3M\"",
    "\"USD 1234567890123456789.5B\"",
    "\"2026-02-30\"",
    "\"2026-02-28\"",
    "\"2026-02-28T10:00\"",
    "\" 2026-02-28\"",
    "\"0000-01-01\"",
    "\"\\u0041b\"",
    "\"\\ud83d\\ude00\"",
    "\"\\ud83d\"",
    "\"a\\nb\\t\\\"\\\\\\/\"",
    "\"\\x\"",
    "\"é–\"",
    "[]",
    "{}",
    "[1]",
    "[\"US\"]",
    "[null]",
    "[{}]",
    "[[]]",
    "{\"seats\":1}",
    "{\"seats\":null,\"seats\":2}",
    "[\"US\",]",
    "\"USD 5\\u0042\"",
    "\"5\\u0025\"",
];

const SNIPPETS: &[&str] = &[
    ",",
    ":",
    "\"",
    "\\",
    "{",
    "}",
    "[",
    "]",
    " ",
    "\t",
    "\r\n",
    "\u{feff}",
    "\0",
    "x",
    "0",
    "-",
    ".",
    "e",
    "%",
    "null",
    "\"name\":\"n\",",
    "\"proposal\":\"p\",",
    "\"stak\":1,",
    "\"n\\u0061me\":\"n\",",
    "\u{1}",
];

/// One random edit of a deal line: a value, a key or a character.
pub(super) fn mutate(line: &str, rng: &mut Rng) -> String {
    let starts: Vec<usize> = line.match_indices("\":").map(|(i, _)| i + 2).collect();
    let keys: Vec<usize> = line.match_indices("{\"").map(|(i, _)| i + 1).collect();
    let boundaries: Vec<usize> = (0..=line.len())
        .filter(|&i| line.is_char_boundary(i))
        .collect();
    let splice = |at: usize, end: usize, ins: &str| format!("{}{ins}{}", &line[..at], &line[end..]);
    match rng.below(4) {
        0 if !starts.is_empty() => {
            // Replace the value after a key (up to the next `,` `}` or `]` outside strings).
            let at = starts[rng.below(starts.len())];
            let end = value_end(line, at);
            splice(at, end, rng.pick(VALUES))
        }
        1 if !keys.is_empty() => {
            let at = keys[rng.below(keys.len())];
            let end = line[at + 1..].find('"').map_or(at, |i| at + i + 2);
            let names = [
                "\"proposal\"",
                "\"name\"",
                "\"stake\"",
                "\"seats\"",
                "\"country\"",
                "\"Name\"",
                "\"plants\"",
                "\"data\"",
                "\"transfers\"",
                "\"n\\u0061me\"",
                "\"\"",
            ];
            splice(at, end, rng.pick(&names))
        }
        2 => {
            let at = boundaries[rng.below(boundaries.len())];
            splice(at, at, rng.pick(SNIPPETS))
        }
        _ => {
            let i = rng.below(boundaries.len().saturating_sub(1));
            splice(boundaries[i], boundaries[i + 1], "")
        }
    }
}

/// The end of a JSON value starting at `at` (approximate: for mutation only).
fn value_end(line: &str, at: usize) -> usize {
    let (mut depth, mut in_str, mut escaped) = (0i32, false, false);
    for (i, c) in line[at..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_str => escaped = true,
            '"' => in_str = !in_str,
            _ if in_str => {}
            '{' | '[' => depth += 1,
            '}' | ']' | ',' if depth == 0 => return at + i,
            '}' | ']' => depth -= 1,
            _ => {}
        }
    }
    line.len()
}

#[test]
fn generated_deals_load_fast_and_identically() {
    let lines = generated(1500);
    let accepted = lines.iter().filter(|l| agrees(l)).count();
    assert!(
        accepted * 100 >= lines.len() * 99,
        "only {accepted} of {} clean deals took the fast path",
        lines.len()
    );
    // Pretty-printed and with a byte-order mark, through `load`.
    for line in lines.iter().take(50) {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        assert!(agrees(&pretty));
        let bom = format!("\u{feff}{pretty}");
        let loaded = ok(&bom, Format::Json);
        let file = source(&bom);
        let mut d = Diags::new(&file);
        let opts = LoadOptions::default();
        let full = parse_and_validate(&pretty, 3, Format::Json, &Schema::standard(), &opts, &mut d);
        assert_eq!(full, Some((loaded.deal.root, loaded.deal.root_span)));
    }
}

/// `COVENANT_FAST_DEALS=20000 cargo test --release --lib fast_path` mutates more deals.
#[test]
fn mutated_deals_are_given_up_or_loaded_identically() {
    let n = std::env::var("COVENANT_FAST_DEALS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(400);
    let lines = generated(n);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut fast, mut clean, mut total) = (0, 0, 0);
    let opts = LoadOptions::default();
    for line in &lines {
        for _ in 0..12 {
            let mut text = mutate(line, &mut rng);
            if rng.below(3) == 0 {
                text = mutate(&text, &mut rng);
            }
            total += 1;
            let took = agrees(&text);
            fast += usize::from(took);
            if full(&text, &Schema::standard(), &opts).is_some() {
                clean += 1;
                if !took && std::env::var_os("FAST_SHOW").is_some() {
                    eprintln!("gave up on a clean deal: {text}");
                }
            }
        }
    }
    // Many edits keep the deal valid; the fast path takes nearly all of those.
    assert!(
        fast * 100 >= clean * 99,
        "{fast} of {clean} clean ({total} in all)"
    );
    eprintln!("fast path: {fast} of {clean} clean mutated deals ({total} in all)");
}

#[test]
fn limits_are_kept_exactly() {
    let text = r#"{"proposal":"p","waivers":["ab","cd"],"board":{"seats":1}}"#;
    // 7 values, depth 2, longest string 8 (`proposal`).
    for (nodes, depth, len, fast) in [
        (7, 2, 8, true),
        (6, 2, 8, false),
        (7, 1, 8, false),
        (7, 2, 7, false),
    ] {
        let opts = LoadOptions {
            strict: false,
            limits: Limits {
                max_depth: depth,
                max_nodes: nodes,
                max_string_len: len,
            },
        };
        assert_eq!(
            agrees_with(text, &Schema::standard(), &opts),
            fast,
            "{opts:?}"
        );
        assert_eq!(full(text, &Schema::standard(), &opts).is_some(), fast);
    }
}

#[test]
fn escapes_are_decoded() {
    assert!(!agrees(
        r#"{"proposal":"a\"b\\c\/d\b\f\n\r\t\u00e9\u20AC","n\u0061me":1}"#
    ));
    assert!(agrees(r#"{"proposal":"a\"b\\c\/d\b\f\n\r\t\u00e9\u20AC"}"#));
    assert!(agrees(r#"{"pr\u006fposal":"x","date":"2026\u002d01-01"}"#));
    assert!(agrees(r#"{"proposal":"x","investment":"USD 5\u0042"}"#));
}

#[test]
fn usual_deals_take_the_fast_path() {
    for text in [
        r#"{"proposal":"x"}"#,
        " \t\r\n{ \"proposal\" : \"x\" , \"board\" : { } } \n",
        r#"{"proposal":"x","date":null,"board":null,"parties":null,"waivers":[null]}"#,
        r#"{"proposal":"x","parties":[null,{},{"stake":"0.50%","subsidies":"USD 3.25K"}]}"#,
        r#"{"proposal":"x","board":{"seats":-0},"data":[{"subjects":1.5e3,"transfers":[]}]}"#,
        r#"{"proposal":"x","board":{"seats":123456789012345678901234567890}}"#,
        r#"{"proposal":"x","board":{"seats":-12345678901234567890123456789012345678}}"#,
        r#"{"proposal":"x","plants":[{"capacity":12345678901234567890123456789012345678.5e-3}]}"#,
        r#"{"proposal":"x","parties":[{"stake":"51 %","subsidies":"USD 1_000"}]}"#,
        r#"{"proposal":"x","investment":"EUR 007.10M","cfius_filed":false}"#,
        r#"{"proposal":"\ud83d\ude00","parties":[{"stake":"5.%","profit_share":"7 %"}]}"#,
        r#"{"proposal":"x","parties":[{"stake":"0.12345678901234567890123456789%"}]}"#,
        r#"{"proposal":"x","investment":"USD 0.12345678901234567890123456789K"}"#,
    ] {
        assert!(agrees(text), "{text}");
    }
}

/// Whole numbers around the width the fast path reads in a word (18 digits; longer ones from
/// their text): every one loads as the full loader loads it.
#[test]
fn whole_numbers_of_every_width_load_as_the_full_loader_loads_them() {
    let mut numbers: Vec<String> = (1..=38).map(|n| "9".repeat(n)).collect();
    numbers.extend((1..=38).map(|n| format!("1{}", "0".repeat(n - 1))));
    numbers.extend(
        [u64::MAX, u64::MAX / 10, 1 << 63, (1 << 63) - 1, 1 << 60]
            .iter()
            .map(u64::to_string),
    );
    for n in numbers {
        for sign in ["", "-"] {
            let text = format!(r#"{{"proposal":"x","board":{{"seats":{sign}{n}}}}}"#);
            assert!(agrees(&text), "{text}");
        }
    }
}

#[test]
fn out_of_range_shares_and_negative_money_go_to_the_full_loader() {
    for text in [
        r#"{"proposal":"x","parties":[{"stake":"-0.50%"}]}"#,
        r#"{"proposal":"x","parties":[{"stake":"100.01%"}]}"#,
        r#"{"proposal":"x","parties":[{"subsidies":"USD -3.25K"}]}"#,
    ] {
        assert!(
            load_json_fast(text, 0, &Schema::standard(), &LoadOptions::default().limits).is_none(),
            "{text}"
        );
    }
}

#[test]
fn the_fast_path_gives_up_on_anything_unusual() {
    for text in [
        // Syntax.
        "",
        "{",
        r#"{"proposal":"x",}"#,
        r#"{"proposal":"x"} {}"#,
        r#"{"proposal":'x'}"#,
        r#"{"proposal":"x","board":{"seats":01}}"#,
        r#"{"proposal":"x","board":{"seats":1.}}"#,
        r#"{"proposal":"x","waivers":["a",]}"#,
        "{\"proposal\":\"a\0b\"}",
        "{\"proposal\":\"a\nb\"}",
        r#"{"proposal":"x" "date":null}"#,
        r#"{"proposal":"x","cfius_filed":True}"#,
        r#"{"proposal":"x","cfius_filed":nul}"#,
        // Not a mapping, duplicate and unknown keys, missing or null `proposal`.
        "null",
        "[]",
        r#"{"proposal":"x","proposal":"y"}"#,
        r#"{"proposal":"x","stak":"5%"}"#,
        r#"{"date":"2026-01-01"}"#,
        r#"{"proposal":null}"#,
        // Wrong types.
        r#"{"proposal":1}"#,
        r#"{"proposal":"x","cfius_filed":"true"}"#,
        r#"{"proposal":"x","board":{"seats":"7"}}"#,
        r#"{"proposal":"x","board":[]}"#,
        r#"{"proposal":"x","parties":{}}"#,
        r#"{"proposal":"x","parties":["a"]}"#,
        r#"{"proposal":"x","waivers":"a"}"#,
        r#"{"proposal":"x","parties":[{"stake":51}]}"#,
        // Bad percent, money, date; numbers that do not fit.
        r#"{"proposal":"x","parties":[{"stake":"51"}]}"#,
        r#"{"proposal":"x","investment":"usd 5"}"#,
        r#"{"proposal":"x","investment":"USD 5k"}"#,
        r#"{"proposal":"x","date":"2026-02-30"}"#,
        r#"{"proposal":"x","date":"2026-02-28T10:00"}"#,
        r#"{"proposal":"x","board":{"seats":1e400}}"#,
        r#"{"proposal":"x","board":{"seats":1234567890123456789012345678901234567890}}"#,
        // Invalid escapes, lone surrogates.
        r#"{"proposal":"\ud83d"}"#,
        r#"{"proposal":"\ude00"}"#,
        r#"{"proposal":"\ud83d\u0041"}"#,
        r#"{"proposal":"\x"}"#,
        r#"{"proposal":"\u12"}"#,
        // Percents and amounts too long to keep exactly.
        r#"{"proposal":"x","parties":[{"stake":"1234567890123456789012345678901234567890%"}]}"#,
        r#"{"proposal":"x","investment":"USD 1234567890123456789012345678901234567890B"}"#,
    ] {
        gives_up(text);
    }
}

/// A custom schema: nested lists, a recursive record, a required field that is not first.
fn custom() -> Schema {
    let f = |name: &str, ty: Type, required: bool, default_empty: bool| Field {
        name: name.into(),
        ty,
        singular: None,
        required,
        default_empty,
        constraint: Constraint::None,
        computed: None,
    };
    Schema {
        plan: Default::default(),
        name: "custom".into(),
        records: vec![
            RecordSchema {
                name: "root".into(),
                fields: vec![
                    f("grid", Type::list(Type::list(Type::Number)), false, true),
                    f("id", Type::String, true, false),
                    f("node", Type::Record(RecordId(1)), false, false),
                ],
            },
            RecordSchema {
                name: "node".into(),
                fields: vec![
                    f("next", Type::Record(RecordId(1)), false, false),
                    f("kids", Type::list(Type::Record(RecordId(1))), false, true),
                ],
            },
        ],
    }
}

#[test]
fn custom_schemas_agree() {
    let schema = custom();
    let opts = LoadOptions::default();
    for (text, fast) in [
        (r#"{"id":"a"}"#, true),
        (r#"{"id":"a","grid":[[1,2],[],null]}"#, true),
        (r#"{"grid":[[1]]}"#, false),
        (r#"{"id":"a","grid":[1]}"#, false),
        (
            r#"{"id":"a","node":{"next":{"next":{"kids":[{},null]}}}}"#,
            true,
        ),
        (r#"{"id":"a","node":{"kids":[[]]}}"#, false),
    ] {
        assert_eq!(agrees_with(text, &schema, &opts), fast, "{text}");
    }
    let deep = format!(
        "{{\"id\":\"a\",\"node\":{}null{}}}",
        "{\"next\":".repeat(200),
        "}".repeat(200)
    );
    assert!(!agrees_with(&deep, &schema, &opts));
    let limits = Limits {
        max_depth: 300,
        ..Limits::default()
    };
    let opts = LoadOptions {
        strict: true,
        limits,
    };
    assert!(agrees_with(&deep, &schema, &opts));
}

/// Keys are matched against field names on the bytes of the text: a name JSON would have to
/// escape, or one that is a prefix of another, is still read exactly as the full loader reads it.
#[test]
fn keys_match_field_names_exactly() {
    let f = |name: &str| Field {
        name: name.into(),
        ty: Type::Number,
        singular: None,
        required: false,
        default_empty: false,
        constraint: Constraint::None,
        computed: None,
    };
    let schema = Schema {
        plan: Default::default(),
        name: "keys".into(),
        records: vec![RecordSchema {
            name: "root".into(),
            fields: [
                "a",
                "a\\",
                "a\"b",
                "ab",
                "b\u{1}",
                "\u{e9}t\u{e9}",
                "a\\\"",
                "n",
            ]
            .into_iter()
            .map(f)
            .collect(),
        }],
    };
    let opts = LoadOptions::default();
    for (text, fast) in [
        (r#"{"a":1,"ab":2,"n":3}"#, true),
        (r#"{"n":3,"ab":2,"a":1}"#, true),
        (r#"{"a\\":1}"#, true),
        (r#"{"a\"b":1}"#, true),
        (r#"{"a\\\"":1}"#, true),
        (r#"{"a\u0022b":1,"\u00e9t\u00e9":2}"#, true),
        (r#"{"été":1,"a":2}"#, true),
        (r#"{"b\u0001":1}"#, true),
        (r#"{"abc":1}"#, false),
        (r#"{"a":1,"a":2}"#, false),
        (r#"{"a\":1}"#, false),
    ] {
        assert_eq!(agrees_with(text, &schema, &opts), fast, "{text}");
    }
    // Raw control characters are not JSON: the fast path gives up (the full loader reports).
    assert!(load_json_fast("{\"b\u{1}\":1}", 0, &schema, &opts.limits).is_none());
    // A key longer than the string limit is too.
    let limits = Limits {
        max_string_len: 1,
        ..Limits::default()
    };
    assert!(load_json_fast(r#"{"ab":1}"#, 0, &schema, &limits).is_none());
    assert!(load_json_fast(r#"{"a":1}"#, 0, &schema, &limits).is_some());
}

/// A record of 64 fields (the most the fast path tracks by bits) and one of 70 (tracked by
/// its slots): each field present or absent, a required one last, loads through the fast
/// path as the full loader loads it, and a missing required field is the full loader's.
#[test]
fn records_of_many_fields_are_read_with_or_without_bits() {
    for width in [64, 70] {
        let field = |i: usize| Field {
            name: format!("f{i}"),
            ty: Type::Number,
            singular: None,
            required: i == width - 1 || i == 3,
            default_empty: false,
            constraint: Constraint::None,
            computed: None,
        };
        let schema = Schema {
            plan: Default::default(),
            name: "wide".into(),
            records: vec![RecordSchema {
                name: "root".into(),
                fields: (0..width).map(field).collect(),
            }],
        };
        let opts = LoadOptions::default();
        let deal = |keep: &dyn Fn(usize) -> bool| {
            let fields: Vec<String> = (0..width)
                .filter(|&i| keep(i))
                .map(|i| format!("\"f{i}\":{i}"))
                .collect();
            format!("{{{}}}", fields.join(","))
        };
        assert!(agrees_with(&deal(&|_| true), &schema, &opts), "{width}");
        assert!(agrees_with(
            &deal(&|i| i % 3 == 0 || i == width - 1),
            &schema,
            &opts
        ));
        assert!(
            !agrees_with(&deal(&|i| i != width - 1), &schema, &opts),
            "{width}"
        );
        assert!(!agrees_with(&deal(&|i| i != 3), &schema, &opts), "{width}");
    }
}

#[test]
fn plain_runs_stop_at_the_first_quote_backslash_or_control() {
    let mut rng = Rng(7);
    let alphabet = [
        b'a', b' ', b'"', b'\\', 0x1f, 0x20, 0x7f, 0x80, 0xff, 0x00, b'!', 0x5d,
    ];
    for _ in 0..20_000 {
        let len = rng.below(40);
        let rare = [3, 20, 200][rng.below(3)];
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                if rng.below(rare) == 0 {
                    alphabet[rng.below(alphabet.len())]
                } else {
                    b'a' + (rng.below(26) as u8)
                }
            })
            .collect();
        let naive = bytes
            .iter()
            .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
            .unwrap_or(bytes.len());
        assert_eq!(plain_run(&bytes), naive, "{bytes:?}");
    }
}

/// The deal's dates of SPEC §9 take the fast path, read as the full loader reads them.
#[test]
fn the_deal_dates_take_the_fast_path() {
    assert!(agrees(
        r#"{"proposal":"x","date":"2024-06-01","signing_date":"2024-06-12","closing_date":"2024-07-11","implementation_date":null}"#
    ));
    gives_up(r#"{"proposal":"x","closing_date":"2024-02-30"}"#);
    gives_up(r#"{"proposal":"x","signing_date":20240612}"#);
}

/// The constraint predicates both loaders share ([`crate::deal::constraints`]), which skip
/// straight to "accepted" for a field without a constraint: for every constraint and a value
/// of each kind, alone and in a list, they answer as the rules of SPEC §8, §13 and §7.1 do,
/// written out here in full.
#[test]
fn constraint_predicates_answer_as_the_rules_for_every_constraint() {
    use crate::deal::constraints::{accepts, meets, text_meets};
    use crate::value::{Currency, Text};
    let constraints = [
        Constraint::None,
        Constraint::Country,
        Constraint::Integer,
        Constraint::OneOf(vec!["alpha".into(), "beta".into()]),
        Constraint::EntityKind,
        Constraint::DateOrNever,
    ];
    let scalars = [
        Scalar::Number(Exact::from_int(3)),
        Scalar::Number(Exact::parse("2.5").unwrap()),
        Scalar::Percent(Exact::parse("2.5").unwrap()),
        Scalar::Money(Currency(*b"USD"), Exact::parse("2.5").unwrap()),
        Scalar::Date(jiff::civil::date(2026, 1, 2)),
        Scalar::Never,
        Scalar::Bool(true),
        Scalar::Str(Text::from("US")),
        Scalar::Str(Text::from("XX")),
        Scalar::Str(Text::from("alpha")),
        Scalar::Str(Text::from("gamma")),
        Scalar::Str(Text::from("company")),
        Scalar::Str(Text::from("")),
    ];
    let rule = |c: &Constraint, s: &Scalar| match (c, s) {
        (Constraint::Integer, Scalar::Number(n)) => n.is_integer(),
        (Constraint::Country, Scalar::Str(t)) => crate::country::is_code_bytes(t.as_bytes()),
        (Constraint::OneOf(allowed), Scalar::Str(t)) => allowed.iter().any(|a| a == &**t),
        (Constraint::EntityKind, Scalar::Str(t)) => crate::schema::ENTITY_KINDS.contains(&&**t),
        _ => true,
    };
    let span = Span::new(0, 1);
    let node = |value| Node { value, span };
    for c in &constraints {
        let field = Field {
            constraint: c.clone(),
            ..Field::new("f", Type::String)
        };
        for s in &scalars {
            let want = rule(c, s);
            assert_eq!(meets(c, s), want, "{c:?} {s:?}");
            if let Scalar::Str(t) = s {
                assert_eq!(text_meets(c, t.as_bytes()), want, "{c:?} {s:?}");
            }
            let one = node(NodeValue::Scalar(s.clone()));
            assert_eq!(accepts(&field, &one), want, "{c:?} {s:?}");
            let list = node(NodeValue::List(vec![
                node(NodeValue::Scalar(Scalar::Str(Text::from("US")))),
                one.clone(),
                node(NodeValue::Null),
            ]));
            let all = want && rule(c, &Scalar::Str(Text::from("US")));
            assert_eq!(accepts(&field, &list), all, "{c:?} [{s:?}]");
        }
        assert!(accepts(&field, &node(NodeValue::Null)));
        assert!(accepts(&field, &node(NodeValue::Record(Record::default()))));
    }
}
