//! Item definitions (SPEC §8): `define SINGULAR WORDS: EXPR` as a field of the items SINGULAR
//! names, on real deals: the outcomes it decides, `use`, cycles, collisions, visibility, and
//! the evidence it gives.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::common;
use common::*;
use covenant::report::written::written;

/// The §8 example: a party controls the JV by votes, by the casting vote or by a veto outside
/// the minority protections.
const CONTROLS: &str = r#"
let home = "US"
let foreign partner = parties where country != home
let minority protection = ["annual budget", "new shares"]
define party controls: voting > 50% or name = deal board casting vote or some veto where veto not in minority protection
rule no-foreign-control: no foreign partner controls
"#;

/// Acme holds the casting vote unless `board` says otherwise.
fn jv(dragon: &str, board: &str) -> String {
    let board = match board {
        "" => ", casting_vote: \"Acme Motors\"",
        b => b,
    };
    format!(
        "proposal: \"t\"\nboard: {{ seats: 7{board} }}\nparties:\n  - {{ name: \"Acme Motors\", country: US, kind: public, stake: \"51%\", voting: \"51%\" }}\n  - {{ name: \"Dragon Motors\", country: CN, kind: company, stake: \"49%\"{dragon} }}\n"
    )
}

#[test]
fn a_definition_decides_pass_fail_and_incomplete() {
    let minority = jv(", voting: \"49%\", vetoes: [\"annual budget\"]", "");
    assert_eq!(one(CONTROLS, &minority), "pass");
    let veto = jv(
        ", voting: \"49%\", vetoes: [\"annual budget\", \"CEO\"]",
        "",
    );
    assert_eq!(one(CONTROLS, &veto), "fail");
    let casting = jv(", voting: \"49%\"", ", casting_vote: \"Dragon Motors\"");
    assert_eq!(one(CONTROLS, &casting), "fail");
    let majority = jv(", voting: \"60%\"", "");
    assert_eq!(one(CONTROLS, &majority), "fail");
    // Dragon's voting is missing and nothing else makes it control: unknown, never a pass.
    let unknown = jv("", "");
    assert_eq!(one(CONTROLS, &unknown), "incomplete");
    // So is a board that does not say who has the casting vote.
    let no_casting_vote = jv(", voting: \"49%\"", ", chair: \"Acme Motors\"");
    assert_eq!(one(CONTROLS, &no_casting_vote), "incomplete");
    // … unless another disjunct decides it.
    let decided = jv(", vetoes: [\"CEO\"]", "");
    assert_eq!(one(CONTROLS, &decided), "fail");
}

#[test]
fn a_definition_is_a_field_in_every_phrase_form() {
    // Dragon controls (60% of the votes, and the casting vote); Acme does not.
    let d = jv(", voting: \"60%\"", ", casting_vote: \"Dragon Motors\"")
        .replace("voting: \"51%\"", "voting: \"40%\"");
    let p = |rule: &str| format!("{CONTROLS}rule r2: {rule}\n");
    let second = |rule: &str| outcomes(&p(rule), &d)[1].clone();
    assert_eq!(second("some party controls"), "r2=pass");
    assert_eq!(
        second("some party where country = home: controls"),
        "r2=fail"
    );
    assert_eq!(
        second("every party where country = home: not controls"),
        "r2=pass"
    );
    assert_eq!(second("count of (parties where controls) = 1"), "r2=pass");
    assert_eq!(
        second("some party where party controls and country = \"CN\""),
        "r2=pass"
    );
    assert_eq!(second("every party: controls"), "r2=fail");
    // A mapped phrase is an element side in `require` (implicit each).
    assert_eq!(second("party controls = false"), "r2=fail");
    assert_eq!(second("foreign partner controls = true"), "r2=pass");
}

#[test]
fn aggregates_over_a_per_item_expression() {
    let policy = "define party state share: stake * government stake\nrule r: total party state share < 25%\n";
    let d = "proposal: t\nparties:\n  - { name: A, stake: \"51%\", government_stake: \"0%\" }\n  - { name: B, stake: \"49%\", government_stake: \"60%\" }\n";
    // 49% × 60% = 29.4%.
    assert_eq!(one(policy, d), "fail");
    let d = "proposal: t\nparties:\n  - { name: A, stake: \"51%\", government_stake: \"0%\" }\n  - { name: B, stake: \"49%\", government_stake: \"40%\" }\n";
    assert_eq!(one(policy, d), "pass");
    let d = "proposal: t\nparties:\n  - { name: A, stake: \"51%\" }\n  - { name: B, stake: \"49%\", government_stake: \"40%\" }\n";
    assert_eq!(one(policy, d), "incomplete");
    let exact = "define party state share: stake * government stake\nrule r: total party state share = 29.4%\n";
    let d = "proposal: t\nparties:\n  - { name: A, stake: \"51%\", government_stake: \"0%\" }\n  - { name: B, stake: \"49%\", government_stake: \"60%\" }\n";
    assert_eq!(one(exact, d), "pass");
}

#[test]
fn entity_definitions_cover_parties() {
    let policy = "define entity covered: country in [\"CN\", \"RU\"]\nrule r: no party covered\n";
    assert_eq!(one(policy, &jv(", voting: \"49%\"", "")), "fail");
    let d = "proposal: t\nparties:\n  - { name: A, country: US }\n";
    assert_eq!(one(policy, d), "pass");
}

/// The code and message of each compile error of `text`.
fn errors(text: &str) -> Vec<String> {
    use miette::Diagnostic;
    match covenant::resolve::compile_str("test.policy", text) {
        Ok(_) => panic!("compiled, but should not:\n{text}"),
        Err(diags) => diags
            .iter()
            .map(|d| {
                format!(
                    "{} {d}",
                    d.code().map(|c| c.to_string()).unwrap_or_default()
                )
            })
            .collect(),
    }
}

#[test]
fn cycles_among_definitions_and_lets_are_errors() {
    let e = errors("define party a: b\ndefine party b: a\nrule r: some party a\n");
    assert!(
        e[0].starts_with("covenant::resolve::cyclic-definition"),
        "{e:?}"
    );
    assert!(e[0].contains("`party a` → `party b` → `party a`"), "{e:?}");
    let e = errors("let x = some party a\ndefine party a: x\nrule r: x\n");
    assert!(
        e[0].starts_with("covenant::resolve::cyclic-definition"),
        "{e:?}"
    );
    // Through an owner's link to its entity: a definition never reads itself.
    let e = errors("define entity deep: some owner where owner deep\nrule r: some party deep\n");
    assert!(
        e[0].starts_with("covenant::resolve::cyclic-definition"),
        "{e:?}"
    );
    assert_eq!(e.len(), 1, "{e:?}");
}

#[test]
fn collisions_with_fields_and_other_definitions() {
    let e = errors("define party stake: 1\nrule r: some party\n");
    assert_eq!(
        e,
        ["covenant::resolve::ambiguous-definition `stake` has the same words as `stake`, a field of every party"]
    );
    // A word-prefix of a field (`board seats`), as SPEC §2.3 rule 4 says for `let`.
    let e = errors("define party board: 1\nrule r: some party\n");
    assert!(
        e[0].contains("`board` has the same words as `board seats`"),
        "{e:?}"
    );
    let e = errors("define party x: 1\ndefine party x: 2\nrule r: some party\n");
    assert_eq!(
        e,
        ["covenant::resolve::duplicate-definition `party x` is defined twice"]
    );
    // An entity's field is a party's too.
    let e = errors("define entity x: 1\ndefine party x: 2\nrule r: some party\n");
    assert_eq!(
        e,
        ["covenant::resolve::duplicate-definition `party x` is defined twice"]
    );
    // A `let` of the same words is ambiguous where a party is in scope.
    let e = errors(
        "let controls = true\ndefine party controls: voting > 50%\nrule r: some party: controls\n",
    );
    assert!(
        e[0].starts_with("covenant::resolve::ambiguous-definition"),
        "{e:?}"
    );
    // The same words on different records are two fields.
    let ok = "define party x: 1\ndefine plant x: 2\nrule r: total party x + total plant x = 3\n";
    assert_eq!(
        one(
            ok,
            "proposal: t\nparties: [{ name: A }]\nplants: [{ country: US }]\n"
        ),
        "pass"
    );
}

#[test]
fn a_singular_must_name_items() {
    let e = errors("define partie controls: true\nrule r: some party\n");
    assert!(
        e[0].starts_with("covenant::resolve::unknown-phrase `partie` names no items"),
        "{e:?}"
    );
    let help =
        covenant::resolve::compile_str("t.policy", "define partie controls: true\nrule r: x\n")
            .err()
            .unwrap();
    let help = help.iter().map(|d| {
        use miette::Diagnostic;
        d.help().map(|h| h.to_string()).unwrap_or_default()
    });
    assert!(help.into_iter().any(|h| h.contains("party")));
    // A record field names its record too.
    let ok = "define board odd: seats / 2 > 3\nrule r: not board odd\n";
    assert_eq!(one(ok, "proposal: t\nboard: { seats: 7 }\n"), "fail");
}

#[test]
fn a_definition_is_read_as_a_guard_and_typed() {
    let e = errors(
        "define party chinese owned: owner country = \"CN\"\nrule r: some party chinese owned\n",
    );
    assert!(e[0].starts_with("covenant::type::list-in-guard"), "{e:?}");
    assert!(e[0].contains("some") || e.len() == 1, "{e:?}");
    let e = errors("define party x: stake + 1\nrule r: some party where x > 1\n");
    assert!(e[0].starts_with("covenant::type::unit-mismatch"), "{e:?}");
    // Its type is its value's: a percent compared with a number is an error where used.
    let e = errors("define party s: stake\nrule r: total party s > 3\n");
    assert!(e[0].starts_with("covenant::type::unit-mismatch"), "{e:?}");
}

/// A fresh folder with `files` written in it.
fn folder(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("covenant-define-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

const COMMON: &str = "define party controls: voting > 50%\n";

#[test]
fn use_brings_a_definition_in_and_only_there() {
    let dir = folder(
        "use",
        &[
            ("common.policy", COMMON),
            (
                "a.policy",
                "use \"common.policy\"\nrule a: no party controls\n",
            ),
        ],
    );
    let policy = covenant::resolve::compile(&[dir.join("a.policy")])
        .unwrap()
        .policy;
    let d = load_yaml(
        &policy,
        "proposal: t\nparties: [{ name: A, voting: \"60%\" }]\n",
    );
    let r = covenant::eval::evaluate(&policy, &d, None);
    assert_eq!(r[0].outcome.as_str(), "fail");
    // `b.policy` is loaded with them but does not use `common.policy`: there `controls` is
    // an unknown phrase, even though parties have the field in the compiled schema.
    std::fs::write(dir.join("b.policy"), "rule b: no party controls\n").unwrap();
    let e = covenant::resolve::compile(&[dir.join("a.policy"), dir.join("b.policy")])
        .err()
        .unwrap();
    let shown: Vec<String> = e.iter().map(|d| format!("{d}")).collect();
    assert_eq!(shown, ["unknown phrase `controls`"]);
    // Nor does the help send a reader of `b.policy` to a field it cannot reach.
    std::fs::write(
        dir.join("b.policy"),
        "rule b: controls
",
    )
    .unwrap();
    let e = covenant::resolve::compile(&[dir.join("a.policy"), dir.join("b.policy")])
        .err()
        .unwrap();
    let help: Vec<String> = e
        .iter()
        .map(|d| {
            use miette::Diagnostic;
            d.help().map(|h| h.to_string()).unwrap_or_default()
        })
        .collect();
    assert_eq!(help, [""], "{help:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unused_definitions_are_linted() {
    let text = "define party controls: voting > 50%\ndefine party unused: stake > 10%\ndefine party via owner: some owner where owner far\ndefine entity far: kind = \"state\"\nrule r: no party controls\nrule s: no party via owner\n";
    let dir = folder("lint", &[("p.policy", text)]);
    let report = covenant::lint::lint(&[dir.join("p.policy")], jiff::civil::date(2026, 6, 1));
    let unused: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.code == "covenant::lint::unused-definition")
        .map(|f| f.message.clone())
        .collect();
    // `entity far` is used through an owner's link to it.
    assert_eq!(unused, ["definition `party unused` is never used"]);
    // A definition's words are a field of its records: never a `shadows-field` warning.
    assert!(!report
        .findings
        .iter()
        .any(|f| f.code == "covenant::lint::shadows-field"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn list_valued_definitions_map_and_flatten() {
    let policy = "define party big owners: owners where stake > 50%\ndefine party owner flags: owners controls\nrule r1: count of party big owners = 2\nrule r2: some party owner flags\nrule r3: every party: count of big owners <= 1\n";
    let d = "proposal: t\nparties:\n  - { name: A, owners: [{ name: X, stake: \"60%\", controls: false }] }\n  - { name: B, owners: [{ name: Y, stake: \"70%\" }, { name: Z, stake: \"30%\", controls: true }] }\nentities: [{ name: X }, { name: Y }, { name: Z }]\n";
    assert_eq!(outcomes(policy, d), ["r1=pass", "r2=pass", "r3=pass"]);
    let d = "proposal: t\nparties:\n  - { name: A, owners: [{ name: X, stake: \"60%\", controls: false }] }\nentities: [{ name: X }]\n";
    assert_eq!(outcomes(policy, d), ["r1=fail", "r2=fail", "r3=pass"]);
}

#[test]
fn a_chain_of_definitions_is_bounded_by_the_depth_limit() {
    let mut defs = vec!["define party a0: stake".to_string()];
    defs.extend((1..3_000).map(|i| format!("define party a{i}: a{} + 1%", i - 1)));
    defs.push("rule r: every party: a2999 > 1%".into());
    let e = errors(&defs.join("\n"));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("covenant::resolve::too-deep"), "{e:?}");
    // A short chain is fine.
    let short = "define party a0: stake\ndefine party a1: a0 + 1%\ndefine party a2: a1 + 1%\nrule r: every party: a2 > 10%\n";
    assert_eq!(
        one(
            short,
            "proposal: t\nparties: [{ name: A, stake: \"9%\" }]\n"
        ),
        "pass"
    );
}

#[test]
fn a_definition_sees_only_its_item_and_the_root() {
    // `count of parties` reads no item: computed once per deal, also inside a definition.
    let policy = "define party equal share: profit share = 100% / count of parties\nrule r: every party: equal share\n";
    let d = "proposal: t\nparties:\n  - { name: A, profit_share: \"50%\" }\n  - { name: B, profit_share: \"50%\" }\n";
    assert_eq!(one(policy, d), "pass");
    let d = "proposal: t\nparties:\n  - { name: A, profit_share: \"60%\" }\n  - { name: B, profit_share: \"40%\" }\n";
    assert_eq!(one(policy, d), "fail");
    // Read inside other items' scopes, it is still computed on its own record.
    let policy = "define party big: stake > 50%\nrule r: every technology: some party where name = technology owner and big\nrule s: every technology: every party where name = technology owner: party big\n";
    let d = "proposal: t\nparties:\n  - { name: A, stake: \"60%\" }\n  - { name: B, stake: \"40%\" }\ntechnology:\n  - { name: t1, owner: A }\n  - { name: t2, owner: B }\n";
    assert_eq!(outcomes(policy, d), ["r=fail", "s=fail"]);
    let d = d.replace("owner: B", "owner: A");
    assert_eq!(outcomes(policy, &d), ["r=pass", "s=pass"]);
}

#[test]
fn the_evidence_shows_the_value_and_what_it_came_from() {
    let d = jv(", voting: \"40%\", vetoes: [\"CEO\"]", "");
    let (p, r) = results(CONTROLS, &d, None);
    let w = written(&r[0]);
    let notes: Vec<String> = w.evidence.iter().map(|e| e.note.clone()).collect();
    assert_eq!(
        notes,
        [
            "`foreign partner controls` is true for party \"Dragon Motors\"",
            "`veto` is \"CEO\" for party \"Dragon Motors\", not in [\"annual budget\", \"new shares\"]"
        ],
        "{:?}",
        p.rules[0].id
    );
    assert_eq!(w.evidence[0].path.as_deref(), Some("parties[1].controls"));
    let policy = "define party state share: stake * government stake\nrule r: total party state share < 25%\n";
    let d = "proposal: t\nparties:\n  - { name: A, stake: \"51%\", government_stake: \"0%\" }\n  - { name: B, stake: \"49%\", government_stake: \"60%\" }\n";
    let (_, r) = results(policy, d, None);
    let w = written(&r[0]);
    let notes: Vec<String> = w.evidence.iter().map(|e| e.note.clone()).collect();
    assert_eq!(
        notes,
        [
            "`total party state share` is 29.4%, not < 25%",
            "`party state share` is 0% for party \"A\"",
            "`stake` is 51% for party \"A\"",
            "`government stake` is 0% for party \"A\"",
            "`party state share` is 29.4% for party \"B\"",
            "`stake` is 49% for party \"B\"",
            "`government stake` is 60% for party \"B\""
        ]
    );
    // Unknown: the reason is the missing value inside the definition.
    let (_, r) = results(CONTROLS, &jv("", ""), None);
    let w = written(&r[0]);
    assert_eq!(
        w.evidence[0].note,
        "`voting` is missing for party \"Dragon Motors\""
    );
}

#[test]
fn files_that_do_not_see_each_other_may_define_the_same_words() {
    let dir = folder(
        "apart",
        &[
            (
                "low.policy",
                "define party big: stake > 10%\nrule low: no party big\n",
            ),
            (
                "high.policy",
                "define party big: stake > 90%\nrule high: no party big\n",
            ),
        ],
    );
    let policy = covenant::resolve::compile(&[dir.join("low.policy"), dir.join("high.policy")])
        .unwrap()
        .policy;
    let d = load_yaml(
        &policy,
        "proposal: t\nparties: [{ name: A, stake: \"50%\" }]\n",
    );
    let got: Vec<String> = covenant::eval::evaluate(&policy, &d, None)
        .iter()
        .map(|r| format!("{}={}", policy.rules[r.rule].id, r.outcome.as_str()))
        .collect();
    assert_eq!(got, ["low=fail", "high=pass"]);
    // A file that uses both sees the same field twice.
    std::fs::write(
        dir.join("both.policy"),
        "use \"low.policy\"\nuse \"high.policy\"\n",
    )
    .unwrap();
    let e = covenant::resolve::compile(&[dir.join("both.policy")])
        .err()
        .unwrap();
    let shown: Vec<String> = e.iter().map(|d| format!("{d}")).collect();
    assert_eq!(shown, ["`party big` is defined twice"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An entity definition read through an owner (`owner home country`) is computed on the entity
/// the owner names, as a yes/no condition and as a value (SPEC §7.1: an owner's phrases reach
/// the named entity's `define entity` fields).
#[test]
fn an_owner_reads_an_entity_definition_on_the_entity_it_names() {
    let policy = r#"
define entity home country: country = "US"
define entity listed share: 10%
rule by-condition: every party: every owner: owner home country
rule by-value: every party: every owner: owner listed share < 20%
"#;
    let deal = |country: &str| {
        format!(
            "proposal: x\nparties:\n  - {{ name: A, kind: company, country: US, stake: \"100%\", owners: [{{ name: B, stake: \"100%\" }}] }}\nentities:\n  - {{ name: B, kind: company, country: {country} }}\n"
        )
    };
    assert_eq!(
        outcomes(policy, &deal("US")),
        ["by-condition=pass", "by-value=pass"]
    );
    assert_eq!(
        outcomes(policy, &deal("CN")),
        ["by-condition=fail", "by-value=pass"]
    );
}
