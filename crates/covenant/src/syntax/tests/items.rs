//! Items (SPEC §2.2): header, `use`, `let`, braced, one-line and bare rules.

use super::{errors, file, messages, require_of, rules, sx, under};
use crate::syntax::ast::{Clause, Item, RuleForm, Severity, Status};

#[test]
fn header_with_all_clauses() {
    let text = "policy \"US–China auto JV\" version \"2026.1\"\n  jurisdiction \"US\"\n  effective 2026-02-01 until 2028-01-01\n  schema \"jv.json\"\n\nrule a: x\n";
    let p = file(text);
    let h = &p.header;
    assert_eq!(h.title.as_ref().unwrap().node, "US–China auto JV");
    assert_eq!(h.version.as_ref().unwrap().node, "2026.1");
    assert_eq!(h.jurisdiction.as_ref().unwrap().node, "US");
    assert_eq!(h.schema.as_ref().unwrap().node, "jv.json");
    let w = h.effective.as_ref().unwrap();
    assert_eq!(w.from.node, jiff::civil::date(2026, 2, 1));
    assert_eq!(
        w.until.as_ref().unwrap().node,
        jiff::civil::date(2028, 1, 1)
    );
    assert_eq!(under(text, w.span), "effective 2026-02-01 until 2028-01-01");
    assert!(under(text, h.span).starts_with("policy"));
    assert!(under(text, h.span).ends_with("\"jv.json\""));
    assert_eq!(p.items.len(), 1);
}

#[test]
fn header_clauses_at_column_one_and_version_on_its_own_line() {
    let p = file("policy \"t\"\nversion \"2\"\njurisdiction \"US\"\nrule a: x\n");
    assert_eq!(p.header.version.as_ref().unwrap().node, "2");
    assert_eq!(p.header.jurisdiction.as_ref().unwrap().node, "US");
    assert_eq!(p.items.len(), 1);
}

#[test]
fn status_in_the_header_and_in_rules() {
    let text = "policy \"t\"\n  status reported\nrule a {\n  status in-force\n  require x\n}\nrule b {\n  status repealed\n  require x\n}\n";
    let p = file(text);
    let h = p.header.status.as_ref().unwrap();
    assert_eq!(
        (h.node, under(text, h.span)),
        (Status::Reported, "reported")
    );
    let statuses: Vec<Status> = rules(&p)
        .iter()
        .flat_map(|r| &r.clauses)
        .filter_map(|c| match c {
            Clause::Status(s) => Some(s.node),
            _ => None,
        })
        .collect();
    assert_eq!(statuses, [Status::InForce, Status::Repealed]);
    // The status words are plain words elsewhere; a second status is a duplicate clause.
    let plain = file("rule r: reported and proposed\n");
    assert_eq!(require_of(rules(&plain)[0]), "(and reported proposed)");
    let twice = errors("rule r {\n  status proposed\n  status repealed\n  require x\n}\n");
    assert!(
        messages(&twice).contains("`status` appears twice"),
        "{}",
        messages(&twice)
    );
    errors("rule r {\n  status pending\n  require x\n}\n");
}

#[test]
fn overrides_lists_rule_ids() {
    let text = "rule a {\n  overrides b-1, c,\n    d\n  overrides e\n  require x\n}\n";
    let p = file(text);
    let ids: Vec<(String, &str)> = rules(&p)[0]
        .clauses
        .iter()
        .filter_map(|c| match c {
            Clause::Overrides(ids) => Some(ids),
            _ => None,
        })
        .flatten()
        .map(|id| (id.node.clone(), under(text, id.span)))
        .collect();
    let want = [("b-1", "b-1"), ("c", "c"), ("d", "d"), ("e", "e")];
    let want: Vec<(String, &str)> = want.iter().map(|(a, b)| (a.to_string(), *b)).collect();
    assert_eq!(ids, want);
    // `overrides` is a clause word only where a clause starts: elsewhere a plain word.
    let plain = file("rule r: overrides and x\n");
    assert_eq!(require_of(rules(&plain)[0]), "(and overrides x)");
    // Rule ids only: no upper case, no strings, no trailing comma, at least one id.
    errors("rule r {\n  overrides Big\n  require x\n}\n");
    errors("rule r {\n  overrides \"b\"\n  require x\n}\n");
    errors("rule r {\n  overrides b,\n  require x\n}\n");
    errors("rule r {\n  overrides\n  require x\n}\n");
}

#[test]
fn no_header() {
    let p = file("rule a: x\n");
    assert_eq!(p.header.title, None);
    assert!(p.header.span.is_empty());
}

#[test]
fn empty_and_comment_only_files() {
    for text in ["", "\n\n", "# only a comment", "# a\n\n  # b\n"] {
        let p = file(text);
        assert!(p.items.is_empty());
        assert_eq!(p.header.title, None);
    }
}

#[test]
fn byte_order_mark_is_ignored() {
    let text = "\u{FEFF}rule a: x\n";
    let p = file(text);
    assert_eq!(under(text, rules(&p)[0].span), "rule a: x");
}

#[test]
fn use_and_let() {
    let text = "use \"common/definitions.policy\"\nlet covered nation = [\"CN\", \"RU\"]\nlet foreign partner =\n  parties where country != home\n";
    let p = file(text);
    let Item::Use(u) = &p.items[0] else { panic!() };
    assert_eq!(u.node, "common/definitions.policy");
    assert_eq!(under(text, u.span), "\"common/definitions.policy\"");
    let Item::Let(l) = &p.items[1] else { panic!() };
    assert_eq!(l.name, ["covered", "nation"]);
    assert_eq!(under(text, l.name_span), "covered nation");
    assert_eq!(sx(&l.value), "[\"CN\" \"RU\"]");
    assert_eq!(under(text, l.span), "let covered nation = [\"CN\", \"RU\"]");
    let Item::Let(l) = &p.items[2] else { panic!() };
    assert_eq!(sx(&l.value), "(where parties (!= country home))");
}

#[test]
fn braced_rule_with_every_clause() {
    let text = r#"rule american-control "The American partner holds a controlling stake" {
  severity error                 # error (default) | warning | info
  cite "Reported framework, 2026-02-14: JV structure"
  cite "second source"
  effective 2026-02-01 until 2028-01-01
  when sector = "automotive"
  require total american partner stake > 50%
  unless waivers contains "US-CONTROL"
  help "move equity to the American partner until it holds more than 50%"
}
"#;
    let p = file(text);
    let r = rules(&p)[0];
    assert_eq!(r.id.node, "american-control");
    assert!(!r.id_derived);
    assert_eq!(r.form, RuleForm::Braced);
    assert_eq!(
        r.title.as_ref().unwrap().node,
        "The American partner holds a controlling stake"
    );
    assert!(under(text, r.span).starts_with("rule american-control"));
    assert!(under(text, r.span).ends_with('}'));
    let kinds: Vec<String> = r
        .clauses
        .iter()
        .map(|c| match c {
            Clause::Severity(s) => format!("severity {}", s.node.as_str()),
            Clause::Status(s) => format!("status {}", s.node.as_str()),
            Clause::Overrides(ids) => {
                let ids: Vec<&str> = ids.iter().map(|i| i.node.as_str()).collect();
                format!("overrides {}", ids.join(", "))
            }
            Clause::Cite(c) => format!("cite {}", c.text.node),
            Clause::Effective(w) => format!("effective {}", w.from.node),
            Clause::When(e) => format!("when {}", sx(e)),
            Clause::Require(e) => format!("require {}", sx(e)),
            Clause::Unless(e) => format!("unless {}", sx(e)),
            Clause::Waivable(e) => format!("waivable by {}", sx(e)),
            Clause::Help(s) => format!("help {}", s.node),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "severity error",
            "cite Reported framework, 2026-02-14: JV structure",
            "cite second source",
            "effective 2026-02-01",
            "when (= sector \"automotive\")",
            "require (> (total american_partner_stake) 50%)",
            "unless (in/contains \"US-CONTROL\" waivers)",
            "help move equity to the American partner until it holds more than 50%",
        ]
    );
    let Clause::Severity(s) = &r.clauses[0] else {
        panic!()
    };
    assert_eq!(under(text, s.span), "error");
}

#[test]
fn severities_and_small_braced_forms() {
    let p = file(
        "rule a { severity warning }\nrule b {\n}\nrule c {\n  severity info\n  require x\n}\n",
    );
    let rs = rules(&p);
    assert_eq!(rs.len(), 3);
    assert!(matches!(&rs[0].clauses[0], Clause::Severity(s) if s.node == Severity::Warning));
    assert!(rs[1].clauses.is_empty());
    assert!(matches!(&rs[2].clauses[0], Clause::Severity(s) if s.node == Severity::Info));
}

#[test]
fn must_forms_in_clauses() {
    let p = file("rule a {\n  when data must stay onshore\n  require x must not be 5\n  unless y must have z\n}\n");
    let r = rules(&p)[0];
    assert_eq!(r.clauses.len(), 3);
}

#[test]
fn one_line_rules() {
    let text = "rule foreign-minority: foreign partner stake < 50%\nrule board-size \"A workable board\": board seats <= 11\n";
    let p = file(text);
    let rs = rules(&p);
    assert_eq!(rs[0].form, RuleForm::OneLine);
    assert_eq!(rs[0].id.node, "foreign-minority");
    assert_eq!(require_of(rs[0]), "(< foreign_partner_stake 50%)");
    assert_eq!(rs[1].title.as_ref().unwrap().node, "A workable board");
    assert_eq!(
        under(text, rs[1].span),
        "rule board-size \"A workable board\": board seats <= 11"
    );
}

#[test]
fn bare_rules_get_derived_ids() {
    let text =
        "data must stay onshore\nforeign partner stake < 50%\n  waivers contains \"US-CONTROL\"\n";
    let p = file(text);
    let rs = rules(&p);
    let ids: Vec<&str> = rs.iter().map(|r| r.id.node.as_str()).collect();
    assert_eq!(
        ids,
        [
            "data-must-stay-onshore",
            "foreign-partner-stake-lt-50",
            "waivers-contains-uscontrol"
        ]
    );
    for r in &rs {
        assert!(r.id_derived);
        assert_eq!(r.form, RuleForm::Bare);
        assert_eq!(r.title, None);
        assert_eq!(r.clauses.len(), 1);
        let Clause::Require(e) = &r.clauses[0] else {
            panic!()
        };
        assert_eq!(r.id.span, e.span);
        assert_eq!(r.span, e.span);
    }
    assert_eq!(under(text, rs[0].id.span), "data must stay onshore");
    assert_eq!(require_of(rs[0]), "(must data (stay onshore))");
}

#[test]
fn derived_id_of_a_multi_line_bare_rule_skips_comments() {
    let p = file("a > 1 and # first\n  b <= 2.5\n");
    assert_eq!(rules(&p)[0].id.node, "a-gt-1-and-b-le-2-5");
}

#[test]
fn rule_ids() {
    let p = file("rule a1-b2: x\nrule z-: y\n");
    let ids: Vec<&str> = rules(&p).iter().map(|r| r.id.node.as_str()).collect();
    assert_eq!(ids, ["a1-b2", "z-"]);
}

#[test]
fn jv_baseline_parses_into_twelve_rules() {
    let text = include_str!("../../../../../tests/fixtures/policies/jv-baseline.policy");
    let p = file(text);
    assert_eq!(
        p.header.title.as_ref().unwrap().node,
        "JV baseline benchmark"
    );
    assert_eq!(p.header.version.as_ref().unwrap().node, "1");
    assert_eq!(p.header.jurisdiction.as_ref().unwrap().node, "US");
    let lets = p.items.iter().filter(|i| matches!(i, Item::Let(_))).count();
    assert_eq!(lets, 4);
    let ids: Vec<&str> = rules(&p).iter().map(|r| r.id.node.as_str()).collect();
    assert_eq!(
        ids,
        [
            "american-control",
            "foreign-minority",
            "board-control",
            "equal-profit",
            "data-onshore",
            "feoc",
            "sensitive-data-review",
            "local-content",
            "tech-escrow",
            "connected-vehicle",
            "us-plant",
            "subsidy-cap",
        ]
    );
    let rs = rules(&p);
    assert_eq!(require_of(rs[4]), "(must data (stay-in [home]))");
    assert_eq!(
        require_of(rs[8]),
        "(every technology where (and (= transfer \"license\") (in owner foreign_partner_name)) : source_code_escrow)"
    );
    let Clause::Effective(w) = &rs[9].clauses[0] else {
        panic!()
    };
    assert_eq!(w.from.node, jiff::civil::date(2026, 9, 1));
    assert_eq!(w.until, None);
}

#[test]
fn define_item() {
    let text = "define party controls: voting > 50% or\n  some veto where veto not in minority protection\ndefine entity state share: stake * government stake\n";
    let p = file(text);
    let Item::Define(d) = &p.items[0] else {
        panic!("{:?}", p.items[0])
    };
    assert_eq!(d.item.node, "party");
    assert_eq!(under(text, d.item.span), "party");
    assert_eq!(d.name, ["controls"]);
    assert_eq!(under(text, d.name_span), "controls");
    assert_eq!(
        sx(&d.value),
        "(or (> voting 50%) (some veto where (not-in veto minority_protection)))"
    );
    assert!(under(text, d.span).starts_with("define party controls:"));
    assert!(under(text, d.span).ends_with("minority protection"));
    let Item::Define(d) = &p.items[1] else {
        panic!()
    };
    assert_eq!(
        (d.item.node.as_str(), d.name.join(" ")),
        ("entity", "state share".into())
    );
}

#[test]
fn define_is_a_clause_word_and_needs_a_singular_and_a_name() {
    // A field called `define` is back-quoted at the start of a bare rule (SPEC §15) …
    let p = file("`define` must be true\n");
    assert_eq!(rules(&p).len(), 1);
    // … and is a plain word elsewhere.
    let p = file("rule r: x define = 1\n");
    assert_eq!(require_of(rules(&p)[0]), "(= x_define 1)");
    errors("define controls: x\n");
    errors("define party controls x\n");
}

#[test]
fn schema_extends_standard() {
    let text = "policy \"t\"\n  schema \"ext.json\" extends standard\nrule a: x\n";
    let p = file(text);
    assert_eq!(p.header.schema.as_ref().unwrap().node, "ext.json");
    assert_eq!(
        under(text, p.header.schema_extends.unwrap()),
        "extends standard"
    );
    let p = file("policy \"t\"\n  schema \"ext.json\"\nrule a: x\n");
    assert_eq!(p.header.schema_extends, None);
    errors("policy \"t\"\n  schema \"ext.json\" extends\nrule a: x\n");
    // Plain words everywhere else.
    let p = file("rule a: extends standard = 1\n");
    assert_eq!(require_of(rules(&p)[0]), "(= extends_standard 1)");
}
