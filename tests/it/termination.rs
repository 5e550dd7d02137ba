//! Evaluation terminates for every policy: definitions cannot recurse (a cycle is a compile
//! error showing the chain), `use` cycles are found with their chain, and a very large policy
//! on a very large deal completes.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::common;
use crate::support;

use miette::Diagnostic;
use support::{check_jsonl, covenant, Dir};

#[test]
fn a_cycle_of_three_definitions_is_a_compile_error_with_the_chain() {
    let text = "let a = b + 1\nlet b = c + 1\nlet c = a + 1\nrule r: a > 1\n";
    let errs =
        covenant::resolve::compile_str("cycle.policy", text).expect_err("a cycle must not compile");
    let cycles: Vec<String> = errs
        .iter()
        .filter(|e| e.code().unwrap().to_string() == "covenant::resolve::cyclic-definition")
        .map(|e| e.to_string())
        .collect();
    assert_eq!(cycles.len(), 1, "{errs:?}");
    assert!(cycles[0].contains("`a` → `b` → `c` → `a`"), "{}", cycles[0]);
    // A definition that uses itself directly, too.
    let codes = common::compile_errors("let a = a + 1\nrule r: a > 1\n");
    assert!(
        codes.contains(&"covenant::resolve::cyclic-definition".to_string()),
        "{codes:?}"
    );
}

#[test]
fn a_cycle_of_three_used_files_is_an_error_with_the_chain() {
    let dir = Dir::new("use-cycle");
    let a = dir.file("a.policy", "use \"b.policy\"\nrule ra: board seats > 1\n");
    dir.file("b.policy", "use \"c.policy\"\nlet x = 1\n");
    dir.file("c.policy", "use \"a.policy\"\nlet y = 2\n");
    let deal = dir.file("d.yaml", "proposal: x\nboard: {seats: 3}\n");
    let (code, out, err) = covenant(&["check", "-p", &a, "--color", "never", &deal]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("covenant::resolve::use-cycle"), "{err}");
    assert!(err.contains("this `use` closes the cycle"), "{err}");
    let chain = ["a.policy", "b.policy", "c.policy", "a.policy"]
        .map(|f| dir.path(f))
        .join(" → ");
    let errs = covenant::resolve::compile(&[a.into()]).err().unwrap();
    let messages: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert_eq!(messages, [format!("`use` forms a cycle: {chain}")]);
}

#[test]
fn ten_thousand_rules_on_ten_thousand_parties_complete() {
    // 10,000 in the soak; 2,500 rules on 2,500 parties in CI. Each party's stake is 1/n.
    let n = support::size(2_500, 10_000);
    let basis_points = 10_000 / n;
    assert_eq!(basis_points * n, 10_000);
    let stake = format!("{}.{:02}%", basis_points / 100, basis_points % 100);
    let dir = Dir::new("big");
    // Most rules read scalars; every 100th quantifies over all parties, every 250th sums them.
    let mut policy =
        String::from("let home = \"US\"\nlet foreign partner = parties where country != home\n");
    for i in 0..n {
        let rule = match i % 250 {
            0 => format!("rule r{i}: total party stake = 100%\n"),
            _ if i % 100 == 0 => format!("rule r{i}: foreign partner stake < 50%\n"),
            _ => format!("rule r{i}: board seats >= {}\n", i % 20),
        };
        policy.push_str(&rule);
    }
    let policy = dir.file("big.policy", policy);
    let mut deal =
        String::from("proposal: \"Ten thousand parties\"\nboard: {seats: 11}\nparties:\n");
    for i in 0..n {
        let country = if i % 2 == 0 { "US" } else { "CN" };
        deal.push_str(&format!(
            "  - {{name: \"P{i}\", country: {country}, stake: \"{stake}\"}}\n"
        ));
    }
    let deal = dir.file("big.yaml", deal);
    let (code, reports, err) = check_jsonl(&policy, &[&deal], &[]);
    assert_eq!(code, 1, "{err}");
    let rules = reports[0]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), n);
    let outcome = |i: usize| rules[i]["outcome"].as_str().unwrap();
    assert_eq!(outcome(0), "pass", "{n} × {stake} = 100%");
    assert_eq!(outcome(100), "pass");
    assert_eq!(outcome(19), "fail", "11 seats < 19");
    assert_eq!(reports[0]["verdict"], "non-compliant");
}

/// A failing rule over many parties is checked in time linear in the deal: `count of parties`
/// is computed once, not once per party; each value's line and column are counted on from the
/// previous one, not from the start of the deal; the evidence names the first ten parties and
/// counts the others. Sixteen megabytes of text ahead of 20,000 parties make quadratic
/// location-finding scan 320 GB (minutes, even optimised), while the linear check takes about a
/// second unoptimised: the bound is generous both ways. The unit tests in `crates/covenant/src/eval/tests.rs`
/// assert the work directly.
#[test]
fn a_failing_rule_over_twenty_thousand_parties_is_checked_in_linear_time() {
    const N: usize = 20_000;
    let dir = Dir::new("many-parties");
    let policy = dir.file(
        "p.policy",
        "rule equal-profit: every party: profit share = 100% / count of parties\n",
    );
    let padding = "x".repeat(1_000_000);
    let plants: Vec<String> = (0..16)
        .map(|_| format!(r#"{{"country":"US","region":"{padding}","local_content":"80%"}}"#))
        .collect();
    let parties: Vec<String> = (0..N)
        .map(|i| {
            format!(r#"{{"name":"P{i}","country":"US","stake":"0.005%","profit_share":"0.01%"}}"#)
        })
        .collect();
    let text = format!(
        r#"{{"proposal":"many parties","plants":[{}],"parties":[{}]}}"#,
        plants.join(","),
        parties.join(",")
    );
    let deal = dir.file("d.json", &text);
    let start = std::time::Instant::now();
    let (code, reports, err) = check_jsonl(&policy, &[&deal], &[]);
    let elapsed = start.elapsed();
    assert_eq!(code, 1, "{err}");
    let rule = &reports[0]["rules"][0];
    assert_eq!(rule["outcome"], "fail");
    let evidence = rule["evidence"].as_array().unwrap();
    assert_eq!(
        evidence.len(),
        11,
        "ten parties and the count of the others"
    );
    assert_eq!(evidence[0]["bound"], "0.005%", "100% / 20,000");
    assert_eq!(evidence[9]["element"], "party \"P9\"");
    assert_eq!(evidence[10]["more"], N - 10);
    assert_eq!(
        evidence[10]["note"],
        "and 19990 more of `party` (evidence is shown for the first 10)"
    );
    // The one-line deal's columns count characters from the start of the line.
    let column = |i: usize| evidence[i]["column"].as_u64().unwrap() as usize;
    let at = |n: usize| {
        text.match_indices(r#""profit_share":"0.01%""#)
            .nth(n)
            .unwrap()
            .0
            + r#""profit_share":"#.len()
    };
    assert_eq!(column(0), at(0) + 1);
    assert_eq!(column(9), at(9) + 1);
    assert!(
        elapsed < std::time::Duration::from_secs(30),
        "checking {N} parties took {elapsed:?}: quadratic again?"
    );
}

/// A failing nested quantifier names at most ten elements per quantifier, and says how many
/// more there are: `every party: some technology where owner = party name` on 2,000 parties
/// and 2,000 technologies owned by nobody listed all 4,000,000 non-matching pairs (three such
/// deals took 6.5 GiB). Every deal still fails: the cap changes evidence, not outcomes.
#[test]
fn a_failing_nested_quantifier_shows_ten_elements_per_quantifier_and_counts_the_rest() {
    // 2,000 in the soak; 500 in CI.
    let n = support::size(500, 2_000);
    let dir = Dir::new("nested-quantifier");
    let policy = dir.file(
        "p.policy",
        "rule owned: every party: some technology where owner = party name\n",
    );
    let parties: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"name":"P{i}","country":"US"}}"#))
        .collect();
    let techs: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"name":"T{i}","owner":"X{i}"}}"#))
        .collect();
    let deals: Vec<String> = (0..3)
        .map(|d| {
            let text = format!(
                r#"{{"proposal":"nested {d}","parties":[{}],"technology":[{}]}}"#,
                parties.join(","),
                techs.join(",")
            );
            dir.file(&format!("d{d}.json"), text)
        })
        .collect();
    let deals: Vec<&str> = deals.iter().map(String::as_str).collect();
    let (code, out, err) = support::covenant(
        &[
            &["check", "-p", &policy, "--format", "json"][..],
            &deals[..],
        ]
        .concat(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(out.len() < 400_000, "{} bytes of JSON", out.len());
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    for deal in report["deals"].as_array().unwrap() {
        let rule = &deal["rules"][0];
        assert_eq!(rule["outcome"], "fail");
        let evidence = rule["evidence"].as_array().unwrap();
        let more: Vec<(&str, u64)> = evidence
            .iter()
            .filter_map(|e| Some((e["note"].as_str()?, e["more"].as_u64()?)))
            .collect();
        // Ten parties with ten technologies each, and the count of the rest at each level.
        let tests = evidence.iter().filter(|e| e["op"] == "=").count();
        assert_eq!(tests, 100, "{evidence:#?}");
        assert_eq!(more.len(), 11, "{more:?}");
        let outer = more.iter().filter(|(n, _)| n.contains("`party`")).count();
        assert_eq!(outer, 1, "{more:?}");
        assert!(more.iter().all(|&(_, m)| m == (n - 10) as u64), "{more:?}");
        assert!(evidence.len() < 130, "{} entries", evidence.len());
    }
}
