//! The loading plan of a schema ([`crate::deal::plan`]) and the cheaper typing of the fast
//! path: loading with them gives exactly what the full loader gives, on every deal.

use super::fast_path::{generated, mutate, Rng};
use super::*;
use crate::deal::schema_extends::extend_standard;
use crate::number::Exact;
use crate::run_generator;
use crate::schema::RecordId;
use crate::value::{read_percent, read_share};

/// `load` (the fast path, then the whole-deal checks with the plan) against the full loader
/// alone: the same deal and warnings, or the same errors.
fn same_as_full(text: &str, schema: &Schema) -> bool {
    let src = || SourceFile::new("deal", text);
    let opts = LoadOptions::default();
    let got = load(src(), "deal".into(), 1, Format::Json, schema, &opts);
    let full = load_full(src(), "deal".into(), 1, Format::Json, schema, &opts);
    let show = |e: &[DealError]| format!("{e:?}");
    match (&got, &full) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.deal.root, b.deal.root, "{text}");
            assert_eq!(a.deal.root_span, b.deal.root_span, "{text}");
            assert_eq!(show(&a.warnings), show(&b.warnings), "{text}");
            true
        }
        (Err(a), Err(b)) => {
            assert_eq!(show(&a.errors), show(&b.errors), "{text}");
            assert_eq!(show(&a.warnings), show(&b.warnings), "{text}");
            false
        }
        _ => panic!("one loader refused the deal: {text}"),
    }
}

/// The baseline-v2 deals (`benches/baseline-v2/gen.py`): entities, owner edges, holding
/// chains, under the baseline-v2 schema.
fn v2_deals(n: usize) -> (Vec<String>, Schema) {
    let deals = run_generator("benches/baseline-v2/gen.py", &[], n);
    let root = crate::repo_root().display().to_string();
    let schema_text = std::fs::read_to_string(format!(
        "{root}/benches/baseline-v2/baseline-v2.schema.json"
    ))
    .unwrap();
    let schema = extend_standard(&schema_text).unwrap();
    (deals, schema)
}

/// The whole-deal checks (stake total, SPEC §7.1's names, owners, cycles and defaults) read
/// their fields from the plan: on baseline-v2 deals and random edits of them, `load` gives
/// exactly what the full loader gives.
#[test]
fn whole_deal_checks_with_the_plan_agree_with_the_full_loader() {
    let (lines, schema) = v2_deals(150);
    let loaded = lines.iter().filter(|l| same_as_full(l, &schema)).count();
    assert!(
        loaded * 10 >= lines.len() * 9,
        "{loaded} of {}",
        lines.len()
    );
    let mut rng = Rng(0x51_7CC1_B727_220A);
    let (mut ok, mut total) = (0, 0);
    for line in &lines {
        for _ in 0..10 {
            let mut text = mutate(line, &mut rng);
            if rng.below(2) == 0 {
                text = mutate(&text, &mut rng);
            }
            total += 1;
            ok += usize::from(same_as_full(&text, &schema));
        }
    }
    // Edits that keep a deal valid and ones that break it are both common.
    assert!(ok > total / 10 && ok < total, "{ok} of {total} loaded");
    // The standard schema too, on the v1 deals.
    let standard = Schema::standard();
    for line in generated(100) {
        for _ in 0..5 {
            same_as_full(&mutate(&line, &mut rng), &standard);
        }
    }
}

/// A field no rule reads is still typed and checked: a wrong type there makes the deal
/// invalid, with the same error and place as anywhere else.
#[test]
fn unread_fields_of_the_wrong_type_are_still_invalid() {
    let deal = r#"{"proposal":"P","date":"2026-10-12","parties":[{"name":"A","country":"US","stake":"100%"}],"technology":[{"name":"lidar","owner":"A","origin":"DE","category":"ads","transfer":"license"}],"data":[{"name":"maps","category":"mapping","location":"US","subjects":5,"transfers":[]}],"plants":[{"country":"US","region":"TN","capacity":250000,"local_content":"62%"}]}"#;
    assert!(same_as_full(deal, &Schema::standard()));
    for (from, to, code, shown) in [
        (r#""region":"TN""#, r#""region":7"#, "type-mismatch", "7"),
        (
            r#""capacity":250000"#,
            r#""capacity":"250k""#,
            "type-mismatch",
            "\"250k\"",
        ),
        (
            r#""name":"lidar""#,
            r#""name":["lidar"]"#,
            "type-mismatch",
            "[\"lidar\"]",
        ),
        (
            r#""name":"maps""#,
            r#""name":true"#,
            "type-mismatch",
            "true",
        ),
        (
            r#""capacity":250000"#,
            r#""capacity":1e999999"#,
            "?",
            "1e999999",
        ),
        (r#""region":"TN""#, r#""regio":"TN""#, "", ""),
        (
            r#""local_content":"62%""#,
            r#""local_content":"162%""#,
            "bad-percent",
            "\"162%\"",
        ),
        (
            r#""local_content":"62%""#,
            r#""local_content":"-0.5%""#,
            "bad-percent",
            "\"-0.5%\"",
        ),
        (
            r#""local_content":"62%""#,
            r#""local_content":"62""#,
            "bad-percent",
            "\"62\"",
        ),
    ] {
        assert!(deal.contains(from), "{from}");
        let text = deal.replacen(from, to, 1);
        let loaded = same_as_full(&text, &Schema::standard());
        if code.is_empty() {
            // An unknown key is a warning: the deal loads, by the full loader.
            assert!(loaded, "{text}");
            assert!(load_json_fast_gives_up(&text), "{text}");
            continue;
        }
        assert!(!loaded, "{text}");
        let errs = errors(&text, Format::Json);
        assert_eq!(errs.len(), 1, "{text}: {errs:?}");
        if code != "?" {
            assert_eq!(errs[0], (code, shown.to_string()), "{text}");
        } else {
            assert_eq!(errs[0].1, shown, "{text}");
        }
    }
}

fn load_json_fast_gives_up(text: &str) -> bool {
    let src: std::sync::Arc<str> = std::sync::Arc::from(text);
    crate::deal::fast::load_json_fast(&src, 0, &Schema::standard(), &Limits::default()).is_none()
}

/// `read_share` is `read_percent` kept when between 0% and 100%: on edge cases and random
/// percent texts.
#[test]
fn read_share_is_read_percent_in_range() {
    let expected = |t: &str| {
        read_percent(t)
            .ok()
            .filter(|p| !p.is_negative() && *p <= Exact::HUNDRED)
    };
    let mut texts: Vec<String> = [
        "0%",
        "-0%",
        "-0.0%",
        "+0%",
        "100%",
        "100.0%",
        "100.000000000000000%",
        "100.0000000000000001%",
        "100.00000000000000001%",
        "100.01%",
        "100.5%",
        "101%",
        "999%",
        "1000%",
        "0100%",
        "099.5%",
        "5.123456789012345%",
        "5.1234567890123456%",
        "99.999999999999999%",
        "99.99%",
        "-0.01%",
        "33.34%",
        "33.33%",
        "0.5%",
        ".5%",
        "5.%",
        "5 %",
        " 5%",
        "5% ",
        "1_0%",
        "1e2%",
        "%",
        "",
        "-%",
        "50",
        "50%%",
        "0000000000000000050%",
        "00000000000000000050%",
        "999999999999999999%",
        "1000000000000000000%",
        "12.345678901234567%",
        "12.3456789012345678%",
        "١٢%",
        "5\u{a0}%",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut rng = Rng(0xDEAD_BEEF_1234_5678);
    let alphabet = ['0', '1', '5', '9', '.', '-', '+', '%', ' ', '_', 'e'];
    for _ in 0..20_000 {
        let len = 1 + rng.below(22);
        let mut t: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        if rng.below(2) == 0 {
            t.push('%');
        }
        texts.push(t);
    }
    for t in &texts {
        assert_eq!(read_share(t), expected(t), "{t:?}");
    }
}

/// The table of powers of five gives the same fraction as the powers it replaces.
#[test]
fn scaled_decimals_are_exact() {
    let mut rng = Rng(99);
    for scale in 0..=20u32 {
        for _ in 0..200 {
            let digits = 1 + rng.below(18);
            let m: i64 = (0..digits).fold(0i64, |m, _| m * 10 + rng.below(10) as i64);
            let m = if rng.below(3) == 0 { -m } else { m };
            let text = if scale == 0 {
                m.to_string()
            } else {
                let abs = format!("{:0>width$}", m.unsigned_abs(), width = scale as usize + 1);
                let (int, frac) = abs.split_at(abs.len() - scale as usize);
                format!("{}{int}.{frac}", if m < 0 { "-" } else { "" })
            };
            let want = Exact::parse(&text);
            assert_eq!(Exact::from_scaled(m, scale), want, "{m} / 10^{scale}");
        }
    }
}

/// Keys are compared with names a word at a time: the same as comparing the bytes, for names
/// and keys of every length around the word size.
#[test]
fn keys_compare_as_their_bytes() {
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    let alphabet = b"ab\"_";
    for _ in 0..50_000 {
        let n = rng.below(26);
        let name: Vec<u8> = (0..n).map(|_| alphabet[rng.below(2)]).collect();
        let mut rest = name.clone();
        // Mostly the name itself, then an edit, a shorter or longer text, and what follows.
        match rng.below(4) {
            0 if !rest.is_empty() => {
                let i = rng.below(rest.len());
                rest[i] = alphabet[rng.below(alphabet.len())];
            }
            1 => rest.truncate(rng.below(n + 1)),
            _ => {}
        }
        for _ in 0..rng.below(12) {
            rest.push(alphabet[rng.below(alphabet.len())]);
        }
        let want = rest.get(..n) == Some(&name[..]) && rest.get(n) == Some(&b'"');
        assert_eq!(
            crate::deal::fast::key_is(&rest, &name),
            want,
            "{:?} {:?}",
            String::from_utf8_lossy(&rest),
            String::from_utf8_lossy(&name)
        );
    }
}

/// The text with the first value of `"key":` (a string, a number, a literal) replaced by
/// `value` (JSON).
fn with_value(text: &str, key: &str, value: &str) -> String {
    let at = text.find(&format!("\"{key}\":")).expect(key) + key.len() + 3;
    let rest = &text[at..];
    let len = match rest.strip_prefix('"') {
        Some(string) => string.find('"').unwrap() + 2,
        None => rest.find([',', '}', ']']).unwrap(),
    };
    format!("{}{value}{}", &text[..at], &rest[len..])
}

/// Fields no rule of the baseline policies reads, in a compact deal (the fast path's usual
/// input), each made wrong in one way: the fast path gives up and the deal is refused with the
/// full loader's errors and places (baseline-v2's schema: the standard one extended); an
/// unknown key is a warning, an error with `strict`.
#[test]
fn every_field_is_still_checked_where_the_fast_path_reads_strings_in_place() {
    let (lines, v2) = v2_deals(4);
    let deal = lines
        .iter()
        .find(|l| l.contains(r#""owners":[{"name":""#) && l.contains(r#""plants":[{"#))
        .expect("a v2 deal with owners and a plant");
    assert!(same_as_full(deal, &v2));
    let party = r#""profit_share":"#;
    let owner = r#""owners":[{"#;
    let mut wrong = Vec::new();
    let insert = |from: &str, to: &str| {
        assert!(deal.contains(from), "{from}");
        deal.replacen(from, to, 1)
    };
    // (the edited deal, the code of its error, or "" for a warning).
    for (text, code) in [
        (
            insert(party, r#""prior_stake":"12,5%","profit_share":"#),
            "bad-percent",
        ),
        (
            insert(party, r#""prior_stake":"-0.5%","profit_share":"#),
            "bad-percent",
        ),
        (
            insert(party, r#""prior_stake":"101%","profit_share":"#),
            "bad-percent",
        ),
        (
            insert(party, r#""prior_voting":51,"profit_share":"#),
            "bare-number",
        ),
        (
            insert(party, r#""state":"ZZ","profit_share":"#),
            "bad-country",
        ),
        (
            insert(party, r#""state":7,"profit_share":"#),
            "type-mismatch",
        ),
        (
            insert(party, r#""vetoes":["budget",3],"profit_share":"#),
            "type-mismatch",
        ),
        (
            insert(party, r#""appointments":"none","profit_share":"#),
            "type-mismatch",
        ),
        (insert(party, r#""subsidies_":"USD 1","profit_share":"#), ""),
        (with_value(deal, "region", r#"["TN"]"#), "type-mismatch"),
        (with_value(deal, "capacity", r#""9""#), "type-mismatch"),
        (with_value(deal, "kind", r#""corp""#), "bad-kind"),
        (insert(r#""plants":[{"#, r#""plants":[{"regoin":"TN","#), ""),
        (
            insert(r#""date":"#, r#""signing_date":"2026-13-01","date":"#),
            "bad-date",
        ),
        (
            insert(r#""date":"#, r#""closing_date":"2026-02-29","date":"#),
            "bad-date",
        ),
        (
            insert(r#""date":"#, r#""sector":5,"date":"#),
            "type-mismatch",
        ),
        (
            insert(r#""date":"#, r#""waivers":"none","date":"#),
            "type-mismatch",
        ),
        (
            insert(r#""board":{"#, r#""board":{"chair":1,"#),
            "type-mismatch",
        ),
        (insert(r#""board":{"#, r#""board":{"size":9,"#), ""),
        (
            insert(owner, r#""owners":[{"controls":"yes","#),
            "type-mismatch",
        ),
        (
            insert(owner, r#""owners":[{"prior_stake":"5 percent","#),
            "bad-percent",
        ),
        (insert(owner, r#""owners":[{"stak":"5%","#), ""),
    ] {
        let src: std::sync::Arc<str> = std::sync::Arc::from(text.as_str());
        let fast = crate::deal::fast::load_json_fast(&src, 0, &v2, &Limits::default());
        assert!(fast.is_none(), "the fast path took {text}");
        let loaded = same_as_full(&text, &v2);
        let opts = LoadOptions::default();
        let got = load(source(&text), "deal".into(), 1, Format::Json, &v2, &opts);
        if code.is_empty() {
            assert!(loaded, "{text}");
            let warned = got.as_ref().map(|l| codes(&l.warnings, &text)).unwrap();
            assert_eq!(warned.len(), 1, "{text}: {warned:?}");
            assert_eq!(warned[0].0, "unknown-key", "{text}");
            let strict = LoadOptions {
                strict: true,
                ..opts
            };
            let errs = load(source(&text), "deal".into(), 1, Format::Json, &v2, &strict)
                .err()
                .map(|e| codes(&e.errors, &text))
                .unwrap();
            assert_eq!(errs.len(), 1, "{text}: {errs:?}");
            continue;
        }
        assert!(!loaded, "{text}");
        let errs = got.err().map(|e| codes(&e.errors, &text)).unwrap();
        if errs.len() != 1 || errs[0].0 != code {
            wrong.push(format!("{text}: {errs:?}, expected one {code}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    // A required field missing or null (an owner's `name`, the root's `proposal`).
    for (from, to) in [
        (r#""owners":[{"name":"#, r#""owners":[{"name_":"#),
        (r#""proposal":"#, r#""proposal":null,"proposal_":"#),
    ] {
        let text = insert(from, to);
        assert!(!same_as_full(&text, &v2), "{text}");
    }
}

/// The checks of names with their shortcut (no group and no repeated name: nothing to
/// report) still find every repeat: two entities, a party and an entity, a group and an
/// entity.
#[test]
fn repeated_names_are_found_with_or_without_groups() {
    let (lines, v2) = v2_deals(4);
    let deal = lines
        .iter()
        .find(|l| l.contains(r#""entities":[{"name":""#))
        .expect("a v2 deal with entities");
    assert!(same_as_full(deal, &v2));
    let first_entity = deal
        .split(r#""entities":[{"name":""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let first_party = deal
        .split(r#""parties":[{"name":""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let entity = |name: &str| format!(r#"{{"name":"{name}","kind":"individual","country":"DE"}}"#);
    let with_entity = |name: &str| {
        deal.replacen(
            r#""entities":["#,
            &format!(r#""entities":[{},"#, entity(name)),
            1,
        )
    };
    let group = |name: &str| {
        let text = deal.trim_end_matches('}');
        format!(r#"{text},"groups":[{{"name":"{name}","members":["{first_party}"]}}]}}"#)
    };
    for text in [
        with_entity(&first_entity),
        with_entity(&first_party),
        group(&first_entity),
        group(&first_party),
    ] {
        assert!(!same_as_full(&text, &v2), "{text}");
        let errs = load(
            source(&text),
            "deal".into(),
            1,
            Format::Json,
            &v2,
            &LoadOptions::default(),
        )
        .err()
        .map(|e| codes(&e.errors, &text))
        .unwrap();
        assert_eq!(errs.len(), 1, "{text}: {errs:?}");
        assert_eq!(errs[0].0, "duplicate-entity", "{text}");
    }
    // A group of its own name loads.
    assert!(same_as_full(&group("A bloc of its own"), &v2));
}

/// A date written `YYYY-MM-DD` made from its digits is the date the parser reads, and every
/// other text is left to the parser.
#[test]
fn short_dates_are_parsed_dates() {
    use crate::value::{parse_date, short_date};
    let mut texts = vec![
        "0000-01-01",
        "9999-12-31",
        "2024-02-29",
        "2026-02-29",
        "2026-00-10",
        "2026-13-01",
        "2026-04-31",
        "2026-04-30",
        "2026-12-00",
        "2026-1-01",
        " 2026-01-01",
        "2026-01-01 ",
        "2026/01/01",
        "2026-01-0a",
        "+026-01-01",
        "-026-01-01",
        "2026-01-011",
        "",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    let mut rng = Rng(0xDA7E_0000_0001);
    for _ in 0..20_000 {
        texts.push(format!(
            "{:04}-{:02}-{:02}",
            rng.below(10_000),
            rng.below(14),
            rng.below(33)
        ));
    }
    for text in &texts {
        match short_date(text) {
            Some(date) => assert_eq!(parse_date(text).ok(), Some(date), "{text}"),
            // Written so, a date the short form refuses is no date.
            None if crate::value::looks_like_date(text) => {
                assert!(parse_date(text).is_err(), "{text}")
            }
            None => {}
        }
    }
}

/// The fields the fast path reads as text, by the plan's mask: exactly the string, percent,
/// money and date fields, without a date that may be `never` (an approval's `expires`).
#[test]
fn the_text_mask_holds_the_fields_read_as_text() {
    let schema = Schema::standard();
    let plan = crate::deal::plan::Plan::of(&schema);
    let named = |id: RecordId, field: &str| {
        let masks = plan.record(&schema, id).masks.unwrap();
        let i = schema.record(id).field_index(field).unwrap();
        masks.text >> i & 1 == 1
    };
    let (root, party, approval) = (Schema::ROOT, Schema::PARTY, Schema::APPROVAL);
    assert!(named(party, "name") && named(party, "stake") && named(party, "subsidies"));
    assert!(named(root, "date") && named(approval, "authority") && named(approval, "granted"));
    assert!(!named(approval, "expires"), "a date that may be never");
    assert!(!named(party, "board_seats") && !named(party, "owners"));
    assert!(!named(root, "cfius_filed") && !named(root, "board"));
    for (r, record) in schema.records.iter().enumerate() {
        let masks = plan.record(&schema, RecordId(r)).masks.unwrap();
        for (i, field) in record.stored_fields().iter().enumerate() {
            let text = crate::deal::plan::read_as_text(field);
            assert_eq!(
                masks.text >> i & 1 == 1,
                text,
                "{}.{}",
                record.name,
                field.name
            );
        }
    }
}
