//! Every limit of `docs/limits.md` gives its diagnostic, through the CLI in-process, never a
//! stack overflow or an unbounded allocation.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::support;

use covenant::limits::PolicyLimits;
use miette::Diagnostic;
use support::{check_jsonl, codes, covenant, repo, Dir, SMALL_POLICY};

const DEEP: usize = 100_000;

#[test]
fn a_100000_deep_deal_is_too_deep_in_every_format() {
    let dir = Dir::new("deep-deal");
    let policy = dir.file("p.policy", SMALL_POLICY);
    let (open, close) = ("[".repeat(DEEP), "]".repeat(DEEP));
    let deals = [
        dir.file(
            "deep.json",
            format!("{{\"proposal\": \"x\", \"waivers\": {open}{close}}}"),
        ),
        dir.file(
            "deep.yaml",
            format!("proposal: x\nwaivers: {open}{close}\n"),
        ),
        dir.file(
            "deep-map.yaml",
            format!(
                "proposal: x\nboard: {}{}\n",
                "{a: ".repeat(DEEP),
                "}".repeat(DEEP)
            ),
        ),
        dir.file(
            "deep.toml",
            format!("proposal = \"x\"\nwaivers = {open}{close}\n"),
        ),
        dir.file(
            "deep.jsonl",
            format!("{{\"proposal\": \"x\", \"waivers\": {open}{close}}}\n"),
        ),
    ];
    let args: Vec<&str> = deals.iter().map(String::as_str).collect();
    let (code, reports, _) = check_jsonl(&policy, &args, &[]);
    assert_eq!(code, 2);
    assert_eq!(reports.len(), 5);
    for r in &reports {
        assert_eq!(r["verdict"], "invalid", "{r}");
        assert_eq!(codes(r), ["covenant::deal::too-deep"], "{r}");
    }
    // The human report renders the diagnostics (labels far along one line) without a panic.
    let (code, out, _) = covenant(&["check", "-p", &policy, "--color", "never", &deals[0]]);
    assert_eq!(code, 2);
    assert!(out.contains("covenant::deal::too-deep"), "{out}");
}

#[test]
fn the_deal_depth_limit_is_configurable() {
    let dir = Dir::new("deal-depth");
    let policy = dir.file("p.policy", SMALL_POLICY);
    let deal = dir.file("d.yaml", "proposal: x\nboard: {seats: 3}\n");
    let (code, reports, _) = check_jsonl(&policy, &[&deal], &["--max-deal-depth", "1"]);
    assert_eq!(
        (code, codes(&reports[0])),
        (2, vec!["covenant::deal::too-deep".to_string()])
    );
    let (code, _, _) = check_jsonl(&policy, &[&deal], &["--max-deal-depth", "2"]);
    assert_eq!(code, 0);
}

#[test]
fn a_100000_deep_policy_is_a_parse_error() {
    let dir = Dir::new("deep-policy");
    let deal = dir.file("d.yaml", "proposal: x\nboard: {seats: 3}\n");
    for (name, text) in [
        (
            "parens",
            format!(
                "rule r: {}board seats{} > 1\n",
                "(".repeat(DEEP),
                ")".repeat(DEEP)
            ),
        ),
        (
            "brackets",
            format!(
                "rule r: board seats in {}1{}\n",
                "[".repeat(DEEP),
                "]".repeat(DEEP)
            ),
        ),
        (
            "not",
            format!("rule r: {}cfius filed\n", "not ".repeat(DEEP)),
        ),
        // A run of `*` between them does not reset the count of `of` (each nests the last).
        (
            "of-and-times",
            format!("rule r: board seats > {}1\n", "50% of 2 * ".repeat(DEEP)),
        ),
        (
            "of",
            format!("rule r: board seats > {}1\n", "50% of ".repeat(DEEP)),
        ),
    ] {
        let policy = dir.file(&format!("{name}.policy"), text);
        let (code, out, err) = covenant(&["check", "-p", &policy, &deal]);
        assert_eq!(code, 2, "{name}: {out}");
        assert!(err.contains("covenant::parse::too-deep"), "{name}: {err}");
        assert!(out.is_empty(), "{name}");
    }
}

#[test]
fn operator_chains_and_definition_chains_are_bounded_when_compiled() {
    let dir = Dir::new("deep-compile");
    let deal = dir.file(
        "d.yaml",
        "proposal: x\nboard: {seats: 3}\ncfius_filed: true\n",
    );
    // 2,000 `of` parse (the formatter takes them), but compile past the depth limit: each is
    // a level of the tree (a chain of `and` or of `+` is not, see below).
    let chain = dir.file(
        "chain.policy",
        format!("rule r: board seats > {}1\n", "50% of ".repeat(2000)),
    );
    let (code, _, err) = covenant(&["check", "-p", &chain, &deal]);
    assert_eq!(code, 2);
    assert!(err.contains("covenant::resolve::too-deep"), "{err}");
    // 3,000 definitions, each using the one before: too deep, reported once, no overflow.
    let mut defs = vec!["let a0 = board seats".to_string()];
    defs.extend((1..3_000).map(|i| format!("let a{i} = a{} + 1", i - 1)));
    defs.push("rule r: a2999 > 1".into());
    let forward = dir.file("defs.policy", defs.join("\n"));
    let (code, _, err) = covenant(&["check", "-p", &forward, &deal]);
    assert_eq!(code, 2);
    assert_eq!(
        err.matches("covenant::resolve::too-deep").count(),
        1,
        "{err}"
    );
    // The same chain written last-first: each definition is lowered where it is first used.
    defs.reverse();
    let backward = dir.file("defs-reversed.policy", defs.join("\n"));
    let (code, _, err) = covenant(&["check", "-p", &backward, &deal]);
    assert_eq!(code, 2);
    assert!(err.contains("covenant::resolve::too-deep"), "{err}");
}

/// A chain's length is not a depth: a flat `and` chain of 100,000 terms and an `or` chain of
/// 10,000 compile and evaluate (with evidence too) on this test thread's small stack, with no
/// depth error; `check`, `explain`, `fmt` and `lint` take the 10,000-term `and` chain. (A
/// 10,000-term chain was `covenant::parse::too-deep`, a 2,000-term one
/// `covenant::resolve::too-deep`.) Real nesting is still too deep: see the tests above.
#[test]
fn flat_chains_of_a_hundred_thousand_terms_are_not_too_deep() {
    let dir = Dir::new("flat-chains");
    let filed = "proposal: x\nboard: {seats: 3}\ncfius_filed: true\n";
    let unfiled = "proposal: x\nboard: {seats: 3}\ncfius_filed: false\n";
    let and = |n: usize| format!("rule and: {}\n", vec!["cfius filed"; n].join(" and "));
    let or = |n: usize| {
        let terms: Vec<String> = (0..n).map(|i| format!("board seats > {}", i + 3)).collect();
        format!("rule or: {} or cfius filed\n", terms.join(" or "))
    };
    // Compiled, evaluated and dropped on this thread.
    for text in [and(100_000), or(10_000)] {
        let policy = covenant::resolve::compile_str("big.policy", &text)
            .unwrap()
            .policy;
        for (yaml, outcome) in [(filed, "pass"), (unfiled, "fail")] {
            let deal = covenant::deal::load(
                covenant::source::SourceFile::new("d.yaml", yaml),
                "d.yaml".into(),
                1,
                covenant::deal::Format::Yaml,
                &policy.schema,
                &Default::default(),
            )
            .unwrap()
            .deal;
            let results = covenant::eval::evaluate(&policy, &deal, None);
            assert_eq!(results[0].outcome.as_str(), outcome, "{}", &text[..20]);
        }
    }

    let small = dir.file("small.policy", and(10_000));
    let filed = dir.file("filed.yaml", filed);
    let unfiled = dir.file("unfiled.yaml", unfiled);
    let (code, reports, err) = check_jsonl(&small, &[&filed, &unfiled], &[]);
    assert_eq!(code, 1, "{err}");
    let outcome = |r: &serde_json::Value| r["rules"][0]["outcome"].as_str().unwrap().to_string();
    assert_eq!(
        (outcome(&reports[0]), outcome(&reports[1])),
        ("pass".into(), "fail".into())
    );
    let (code, out, err) = covenant(&["explain", "-p", &small, &unfiled, "--format", "json"]);
    assert_eq!(code, 1, "fails, as for check: {err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let chain = &json["rules"][0]["require"][0];
    assert_eq!(chain["children"].as_array().unwrap().len(), 10_000);
    let (code, _, err) = covenant(&["fmt", "--check", &small]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = covenant(&["lint", "-p", &small]);
    assert!(code <= 1, "{err}");
    assert!(!err.contains("too-deep"), "{err}");
}

/// An arithmetic chain of one precedence level is one flat node too: a 10,000-term sum of
/// percents (with `-` mixed in) and a 10,000-term chain of `*` and `/` compile, type-check,
/// evaluate (exact, left to right; a division by zero still leaves the rule incomplete) on a
/// thread with the default 2 MiB stack, and `check`, `explain`, `fmt` and `lint` take them.
/// (Both were `covenant::parse::too-deep`; past about 1,000 terms
/// `covenant::resolve::too-deep`.) `of` chains and brackets still nest: see the tests above.
#[test]
fn flat_arithmetic_chains_of_ten_thousand_terms_are_not_too_deep() {
    let dir = Dir::new("flat-arith");
    let three = "proposal: x\nboard: {seats: 3}\ncfius_filed: true\n";
    let zero = "proposal: x\nboard: {seats: 0}\ncfius_filed: true\n";
    let sum = format!(
        "rule sum: {}0.01% = 100%\nrule difference: 100%{} = 0.02%\n",
        "0.01% + ".repeat(9_999),
        " - 0.03% + 0.01%".repeat(4_999)
    );
    let product = format!(
        "rule product: board seats{} / board seats = 1\n",
        " * 2 / 2".repeat(4_999)
    );
    let text = format!("{sum}{product}");
    let in_process = text.clone();
    let outcomes = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let policy = covenant::resolve::compile_str("arith.policy", &in_process)
                .unwrap()
                .policy;
            [three, zero].map(|yaml| {
                let deal = covenant::deal::load(
                    covenant::source::SourceFile::new("d.yaml", yaml),
                    "d.yaml".into(),
                    1,
                    covenant::deal::Format::Yaml,
                    &policy.schema,
                    &Default::default(),
                )
                .unwrap()
                .deal;
                covenant::eval::evaluate(&policy, &deal, None)
                    .iter()
                    .map(|r| r.outcome.as_str().to_string())
                    .collect::<Vec<_>>()
            })
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(
        outcomes,
        [
            ["pass", "pass", "pass"].map(String::from).to_vec(),
            ["pass", "pass", "incomplete"].map(String::from).to_vec(),
        ]
    );

    let policy = dir.file("arith.policy", text);
    let three = dir.file("three.yaml", three);
    let zero = dir.file("zero.yaml", zero);
    let (code, reports, err) = check_jsonl(&policy, &[&three, &zero], &[]);
    assert_eq!(code, 1, "{err}");
    let outcome = |r: &serde_json::Value| r["rules"][2]["outcome"].as_str().unwrap().to_string();
    assert_eq!(
        (outcome(&reports[0]), outcome(&reports[1])),
        ("pass".into(), "incomplete".into())
    );
    let (code, out, err) = covenant(&["explain", "-p", &policy, &zero, "--format", "json"]);
    assert_eq!(code, 1, "incomplete, as for check: {err}");
    assert!(out.contains("division by zero"), "{}", &out[..200]);
    let (code, _, err) = covenant(&["fmt", "--check", &policy]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = covenant(&["lint", "-p", &policy]);
    assert!(code <= 1, "{err}");
    assert!(!err.contains("too-deep"), "{err}");
}

#[test]
fn the_deepest_allowed_policy_compiles_and_evaluates_in_process() {
    // Close to the default limit of 1,024 levels, on a test thread's small stack: compiling
    // and evaluating run on threads with large stacks.
    let dir = Dir::new("deep-ok");
    let deal = dir.file(
        "d.yaml",
        "proposal: x\nboard: {seats: 3}\ncfius_filed: false\n",
    );
    let chain = vec!["cfius filed"; 900].join(" or ");
    let parens = format!("{}board seats{} > 1", "(".repeat(100), ")".repeat(100));
    let defs = (1..60)
        .map(|i| format!("let d{i} = d{} or cfius filed\n", i - 1))
        .collect::<String>();
    let policy = dir.file(
        "ok.policy",
        format!("let d0 = cfius filed\n{defs}rule chain: {chain}\nrule parens: {parens}\nrule defs: d59\n"),
    );
    let (code, reports, err) = check_jsonl(&policy, &[&deal], &[]);
    assert_eq!(code, 1, "{err}");
    let outcomes: Vec<&str> = reports[0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["fail", "pass", "fail"]);
    // Human output renders the failing rules' evidence as well, with their source.
    let (code, out, _) = covenant(&["check", "-p", &policy, "--color", "never", &deal]);
    assert_eq!(code, 1);
    assert!(out.contains("d.yaml:3  cfius_filed: false"), "{out}");
    let verbose = [
        "check",
        "-p",
        &policy,
        "--verbose",
        "--color",
        "never",
        &deal,
    ];
    let (code, out, _) = covenant(&verbose);
    assert_eq!(code, 1);
    assert!(out.contains("covenant::rule::failed"), "{out}");
}

#[test]
fn the_expression_depth_limit_is_configurable() {
    let dir = Dir::new("expr-depth");
    let policy = dir.file(
        "p.policy",
        "let a = board seats + 1\nlet b = a + 1\nrule r: ((b)) > 1\n",
    );
    let limits = |max_depth| PolicyLimits {
        max_depth,
        ..PolicyLimits::default()
    };
    let compile = |l: PolicyLimits| covenant::resolve::compile_with(&[policy.clone().into()], &l);
    assert!(compile(limits(12)).is_ok());
    let errs = compile(limits(6)).err().unwrap();
    let codes: Vec<String> = errs.iter().map(|e| e.code().unwrap().to_string()).collect();
    assert_eq!(codes, ["covenant::resolve::too-deep"]);
}

#[test]
fn billion_laughs_is_too_large() {
    let dir = Dir::new("laughs");
    let policy = dir.file("p.policy", SMALL_POLICY);
    let mut yaml =
        String::from("proposal: x\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        yaml.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let deal = dir.file("laughs.yaml", yaml);
    let (code, reports, _) = check_jsonl(&policy, &[&deal], &[]);
    assert_eq!(code, 2);
    assert_eq!(codes(&reports[0]), ["covenant::deal::too-large"]);
    // The value budget is configurable: a smaller one catches a smaller expansion.
    let small = dir.file(
        "small.yaml",
        "proposal: x\na: &a [1, 2, 3]\nb: [*a, *a, *a]\n",
    );
    let (code, reports, _) = check_jsonl(&policy, &[&small], &["--max-deal-values", "8"]);
    assert_eq!(code, 2);
    assert_eq!(codes(&reports[0]), ["covenant::deal::too-large"]);
}

#[test]
fn a_string_longer_than_the_limit_is_too_large() {
    let dir = Dir::new("long-string");
    let policy = dir.file("p.policy", SMALL_POLICY);
    let long = "x".repeat((1 << 20) + 1);
    let deal = dir.file("d.json", format!("{{\"proposal\": \"{long}\"}}"));
    let (code, reports, _) = check_jsonl(&policy, &[&deal], &[]);
    assert_eq!(code, 2);
    assert_eq!(codes(&reports[0]), ["covenant::deal::too-large"]);
}

#[test]
fn deal_size_is_limited_per_file_and_per_batch_line() {
    let dir = Dir::new("deal-size");
    let policy = dir.file("p.policy", SMALL_POLICY);
    let big = format!(
        "{{\"proposal\": \"{}\", \"board\": {{\"seats\": 3}}}}",
        "x".repeat(600)
    );
    let small = "{\"proposal\": \"y\", \"board\": {\"seats\": 3}}";
    let file = dir.file("big.json", &big);
    let batch = dir.file("b.jsonl", format!("{small}\n{big}\n{small}\n"));
    let (code, reports, _) = check_jsonl(&policy, &[&file, &batch], &["--max-deal-size", "512"]);
    assert_eq!(code, 2);
    let seen: Vec<(String, Vec<String>)> = reports
        .iter()
        .map(|r| {
            (
                r["path"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                codes(r),
            )
        })
        .collect();
    let too_large = vec!["covenant::deal::too-large".to_string()];
    assert_eq!(
        seen,
        [
            ("big.json".into(), too_large.clone()),
            ("b.jsonl:1".into(), vec![]),
            ("b.jsonl:2".into(), too_large),
            ("b.jsonl:3".into(), vec![]),
        ]
    );
    let (code, _, _) = check_jsonl(&policy, &[&file, &batch], &["--max-deal-size", "1K"]);
    assert_eq!(code, 0);
    // A bad size is refused as the flag is read (so `covenant.toml` can show it in place).
    let bad = [
        "covenant",
        "check",
        "-p",
        &policy,
        "--max-deal-size",
        "12X",
        &file,
    ];
    let e = <covenant_cli::Cli as clap::Parser>::try_parse_from(bad).unwrap_err();
    assert_eq!(e.exit_code(), 2);
    assert!(e.to_string().contains("--max-deal-size"), "{e}");
}

#[test]
fn policy_size_is_limited() {
    let dir = Dir::new("policy-size");
    let policy = dir.file(
        "p.policy",
        format!("# {}\n{SMALL_POLICY}", "x".repeat(2000)),
    );
    let deal = dir.file("d.yaml", "proposal: x\nboard: {seats: 3}\n");
    let (code, _, err) = covenant(&["check", "-p", &policy, "--max-policy-size", "1K", &deal]);
    assert_eq!(code, 2);
    assert!(err.contains("covenant::policy::too-large"), "{err}");
    let (code, _, _) = covenant(&["check", "-p", &policy, "--max-policy-size", "4K", &deal]);
    assert_eq!(code, 0);
    // A used file is limited as well, and the diagnostic points at the `use`.
    let used = dir.file(
        "big/common.policy",
        format!("# {}\nlet x = 1\n", "y".repeat(5000)),
    );
    let main = dir.file(
        "big/main.policy",
        "use \"common.policy\"\nrule r: board seats >= x\n",
    );
    let _ = used;
    let (code, _, err) = covenant(&["check", "-p", &main, "--max-policy-size", "1K", &deal]);
    assert_eq!(code, 2);
    assert!(
        err.contains("covenant::policy::too-large") && err.contains("used here"),
        "{err}"
    );
}

#[test]
fn the_number_of_rules_is_limited() {
    let text: String = (0..20)
        .map(|i| format!("rule r{i}: board seats > {i}\n"))
        .collect();
    let dir = Dir::new("rules");
    let policy = dir.file("p.policy", text);
    let limits = PolicyLimits {
        max_rules: 10,
        ..PolicyLimits::default()
    };
    let errs = covenant::resolve::compile_with(&[policy.clone().into()], &limits)
        .err()
        .unwrap();
    assert_eq!(errs.len(), 1);
    assert_eq!(
        errs[0].code().unwrap().to_string(),
        "covenant::policy::too-many-rules"
    );
    assert!(covenant::resolve::compile(&[policy.into()]).is_ok());
}

#[test]
fn deals_past_the_limit_are_reported_unread() {
    let examples = repo("examples/deals");
    let policy = repo("examples/policies");
    let (_, all, _) = check_jsonl(&policy, &[&examples], &[]);
    let (code, limited, _) = check_jsonl(&policy, &[&examples], &["--max-deals", "3"]);
    assert_eq!(code, 2);
    assert_eq!(limited.len(), all.len(), "every deal is still reported");
    for (i, (a, b)) in all.iter().zip(&limited).enumerate() {
        assert_eq!(a["path"], b["path"]);
        if i < 3 {
            assert_eq!(a, b);
        } else {
            assert_eq!(codes(b), ["covenant::limit::too-many-deals"], "{b}");
        }
    }
}

#[test]
fn jobs_are_capped_with_a_usage_error() {
    use clap::Parser;
    let dir = Dir::new("jobs");
    let policy = dir.file("p.policy", SMALL_POLICY);
    let deals = repo("examples/deals");
    for jobs in ["18446744073709551615", "1000000", "257"] {
        let parsed = covenant_cli::Cli::try_parse_from([
            "covenant", "check", "-p", &policy, "-j", jobs, &deals,
        ]);
        let e = parsed.expect_err(jobs);
        assert_eq!(e.kind(), clap::error::ErrorKind::ValueValidation, "{jobs}");
        let text = e.to_string();
        assert!(text.contains("at most 256 worker threads"), "{text}");
    }
    let run = |jobs: &str| {
        covenant(&[
            "check", "-p", &policy, "-j", jobs, "--format", "jsonl", &deals,
        ])
    };
    let one = run("1");
    assert!(one.1.lines().count() > 10, "{}", one.1);
    for jobs in ["0", "256"] {
        assert_eq!(run(jobs), one, "{jobs}");
    }
}

#[cfg(unix)]
#[test]
fn every_command_that_reads_a_policy_applies_the_policy_size_limit() {
    let dir = Dir::new("policy-size-everywhere");
    let zero = dir.path("zero.policy");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let small = dir.file("small.policy", SMALL_POLICY);
    let deal = repo("examples/deals/acme-dragon-51-49.yaml");
    let suite = dir.file(
        "s.test.yaml",
        format!("policy: small.policy\ncases:\n  - name: c\n    deal: {deal}\n    expect: {{verdict: compliant}}\n"),
    );
    let limit = ["--max-policy-size", "10"];
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", "-p", &zero, &deal],
        vec!["explain", "-p", &zero, &deal],
        vec!["lint", "-p", &zero],
        vec!["diff", &zero, &small, &deal],
        vec!["check", "-p", &small, limit[0], limit[1], &deal],
        vec!["explain", "-p", &small, limit[0], limit[1], &deal],
        vec!["lint", "-p", &small, limit[0], limit[1]],
        vec!["diff", &small, &small, limit[0], limit[1], &deal],
        vec!["test", &suite, limit[0], limit[1]],
    ];
    for args in runs {
        let (code, out, err) = covenant(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(
            format!("{out}{err}").contains("covenant::policy::too-large"),
            "{args:?}: {out}{err}"
        );
    }
}
