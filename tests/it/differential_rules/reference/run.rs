//! One batch: a set of definitions, many random rules and deals; each rule compiled alone
//! (to compare compile errors), then every rule that compiles checked on every deal in one
//! `covenant check` run, and each outcome compared with the reference's.

use miette::Diagnostic;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use clap::Parser;
use covenant_cli::{run, Cli};
use serde_json::Value;

use super::ast::{COp, Expr, Let, Lit, Rule, Side, ROOT_FIELDS};
use super::eval::{Eval, Outcome};
use super::gen_deal::{self, GenDeal};
use super::gen_prelude;
use super::gen_rule;
use super::pending::{Pending, Tags};
use super::pools;
use super::print::Printer;
use super::rng::Rng;
use super::typing;

pub struct Config {
    pub seed: u64,
    pub batches: usize,
    pub rules: usize,
    pub deals: usize,
    /// Hold covenant to every ruling, pending or not.
    pub enforce_all: bool,
}

/// A disagreement, with what it takes to reproduce it.
pub struct Mismatch {
    pub policy: String,
    pub deal: Option<String>,
    pub reference: String,
    pub covenant: String,
    pub pending: Vec<Pending>,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "--- policy:\n{}", self.policy)?;
        if let Some(d) = &self.deal {
            writeln!(f, "--- deal:\n{d}")?;
        }
        writeln!(f, "--- reference (SPEC): {}", self.reference)?;
        writeln!(f, "--- covenant:         {}", self.covenant)?;
        if !self.pending.is_empty() {
            writeln!(f, "--- depends on: {:?}", self.pending)?;
        }
        Ok(())
    }
}

#[derive(Default)]
pub struct Stats {
    pub rules: usize,
    /// Rules both covenant and the reference compile, whose outcomes are compared.
    pub compiled: usize,
    /// Rules the SPEC rejects, and covenant rejects too.
    pub compile_errors: usize,
    /// Rule × deal pairs compared, by the reference's outcome.
    pub outcomes: BTreeMap<Outcome, usize>,
    pub failures: Vec<Mismatch>,
    /// Disagreements on a pending ruling, by ruling, with one example each.
    pub tolerated: BTreeMap<Pending, (usize, Option<Mismatch>)>,
}

impl Stats {
    pub fn pairs(&self) -> usize {
        self.outcomes.values().sum()
    }

    fn record(&mut self, m: Mismatch, tags: Tags, enforce_all: bool) {
        if !tags.pending(enforce_all) {
            self.failures.push(m);
            return;
        }
        let first = m.pending.first().copied();
        if let Some(p) = first {
            let entry = self.tolerated.entry(p).or_insert((0, None));
            entry.0 += 1;
            if entry.1.is_none() {
                entry.1 = Some(m);
            }
        }
    }
}

/// What a batch is made of: definitions (after a header, in some batches), rules, deals.
struct Batch {
    lets: Vec<Let>,
    /// The header's window, when the batch has a header (`jurisdiction "US"` as well).
    header: Option<(String, Option<String>)>,
    /// The header and the definitions, as policy text.
    prelude: String,
    rules: Vec<Rule>,
    texts: Vec<String>,
    deals: Vec<GenDeal>,
    /// `--as-of`: windows test it, phrases still read the deal.
    as_of: Option<&'static str>,
}

fn generate(cfg: &Config, index: usize) -> Batch {
    let mut rng = Rng::new(cfg.seed ^ (index as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let lets = gen_prelude::prelude(&mut rng.fork());
    let mut printer = Printer::new(&lets);
    let header = (index % 3 == 1).then(|| {
        let until = index.is_multiple_of(2).then(|| "2027-01-01".to_string());
        ("2026-01-01".to_string(), until)
    });
    let mut prelude = String::new();
    if let Some((from, until)) = &header {
        prelude.push_str(&format!(
            "policy \"Random rules\" version \"{index}\"\n  jurisdiction \"US\"\n  effective {from}"
        ));
        if let Some(u) = until {
            prelude.push_str(&format!(" until {u}"));
        }
        prelude.push_str("\n\n");
    }
    for l in &lets {
        prelude.push_str(&(printer.let_item(l) + "\n"));
    }
    let rules: Vec<Rule> = (0..cfg.rules)
        .map(|i| gen_rule::rule(&mut rng.fork(), &lets, format!("g{index}-{i:04}")))
        .collect();
    let texts = rules.iter().map(|r| printer.rule(r)).collect();
    let deals = (0..cfg.deals)
        .map(|_| gen_deal::deal(&mut rng.fork()))
        .collect();
    // Dates inside the header's window, so that a header batch is not all not-applicable.
    let as_of = (index % 2 == 1).then(|| pools::DATES[1 + index / 2 % 5]);
    Batch {
        lets,
        header,
        prelude,
        rules,
        texts,
        deals,
        as_of,
    }
}

/// A rule as the header makes it (SPEC §2.2): `when jurisdiction = "US"` first, and the
/// header's window unless the rule has its own.
fn under_header(rule: &Rule, header: &Option<(String, Option<String>)>) -> Rule {
    let mut r = rule.clone();
    if let Some(window) = header {
        let jurisdiction = ROOT_FIELDS.iter().find(|f| f.key == "jurisdiction");
        let us = Expr::Lit(Lit::Str("US".into()));
        let when = Expr::Cmp(
            COp::Eq,
            false,
            Side::One(Box::new(Expr::Root(jurisdiction.unwrap()))),
            Side::One(Box::new(us)),
        );
        r.whens.insert(0, when);
        r.window = r.window.or_else(|| Some(window.clone()));
    }
    r
}

pub fn batch(cfg: &Config, index: usize, stats: &mut Stats) {
    let b = generate(cfg, index);
    if let Err(diags) = covenant::resolve::compile_str("prelude.policy", &b.prelude) {
        let m = Mismatch {
            policy: b.prelude.clone(),
            deal: None,
            reference: "the definitions compile".into(),
            covenant: format!("{diags:?}"),
            pending: Vec::new(),
        };
        stats.record(m, Tags::default(), cfg.enforce_all);
        return;
    }
    let mut checked = Vec::new();
    for (rule, text) in b.rules.iter().zip(&b.texts) {
        stats.rules += 1;
        if let Some(tags) = compile(cfg, (&b.prelude, &b.lets), rule, text, stats) {
            stats.compiled += 1;
            checked.push((under_header(rule, &b.header), text, tags));
        }
    }
    let texts: Vec<&str> = checked.iter().map(|(_, t, _)| t.as_str()).collect();
    let policy = format!("{}{}", b.prelude, texts.join("\n"));
    let results = check(&policy, &b.deals, index, b.as_of);
    for (deal, result) in b.deals.iter().zip(&results) {
        for (rule, text, rule_tags) in &checked {
            let mut tags = *rule_tags;
            let reference = match deal.invalid {
                Some(p) => {
                    tags.add(p);
                    Outcome::Invalid
                }
                None => {
                    let mut ev = Eval::new(&deal.json, &b.lets);
                    ev.as_of = b.as_of;
                    let o = ev.rule(rule);
                    tags = tags.union(ev.tags);
                    o
                }
            };
            let actual = match result {
                None => "invalid".to_string(),
                Some(by_id) => by_id
                    .get(&rule.id)
                    .cloned()
                    .unwrap_or_else(|| "missing".into()),
            };
            *stats.outcomes.entry(reference).or_default() += 1;
            if actual != reference.name() {
                let as_of = b.as_of.map_or(String::new(), |d| format!(" (--as-of {d})"));
                let m = Mismatch {
                    policy: format!("{}{text}", b.prelude),
                    deal: Some(deal.json.to_string()),
                    reference: format!("{}{as_of}", reference.name()),
                    covenant: actual,
                    pending: tags.list(),
                };
                stats.record(m, tags, cfg.enforce_all);
            }
        }
    }
}

/// Compile one rule alone with the definitions; the rule's tags when both covenant and the
/// reference compile it (so its outcomes are compared).
fn compile(
    cfg: &Config,
    (prelude, lets): (&str, &[Let]),
    rule: &Rule,
    text: &str,
    stats: &mut Stats,
) -> Option<Tags> {
    let (expected, tags) = typing::rule(rule, lets);
    let policy = format!("{prelude}{text}\n");
    let actual = covenant::resolve::compile_str("rule.policy", &policy);
    let codes = |diags: &[covenant::resolve::CompileDiagnostic]| {
        diags
            .iter()
            .map(|d| d.code().map_or_else(|| d.to_string(), |c| c.to_string()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (reference, covenant) = match (&expected, &actual) {
        (Ok(()), Ok(_)) => return Some(tags),
        (Err(_), Err(_)) => {
            stats.compile_errors += 1;
            return None;
        }
        (Err(e), Ok(_)) => (format!("compile error ({})", e.why), "compiles".to_string()),
        (Ok(()), Err(diags)) => (
            "compiles".to_string(),
            format!("compile error: {}", codes(diags)),
        ),
    };
    let m = Mismatch {
        policy,
        deal: None,
        reference,
        covenant,
        pending: tags.list(),
    };
    stats.record(m, tags, cfg.enforce_all);
    None
}

/// Each deal's outcomes by rule id (`exempt` for a pass by an `unless`); `None` for an
/// invalid deal.
fn check(
    policy: &str,
    deals: &[GenDeal],
    index: usize,
    as_of: Option<&str>,
) -> Vec<Option<HashMap<String, String>>> {
    let dir = std::env::temp_dir().join(format!(
        "covenant-diff-rules-{}-{index}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let policy_path = dir.join("random.policy");
    std::fs::write(&policy_path, policy).unwrap();
    let lines: Vec<String> = deals.iter().map(|d| d.json.to_string()).collect();
    let deals_path = dir.join("deals.jsonl");
    std::fs::write(&deals_path, lines.join("\n") + "\n").unwrap();
    let out = check_jsonl(&policy_path, &deals_path, as_of);
    // COVENANT_DIFF_RULES_KEEP=1 keeps the batch's files to read or rerun by hand.
    if std::env::var("COVENANT_DIFF_RULES_KEEP").is_ok_and(|v| v == "1") {
        eprintln!("batch {index}: {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let mut results = vec![None; deals.len()];
    for line in out.lines() {
        let deal: Value = serde_json::from_str(line).unwrap();
        let path = deal["path"].as_str().unwrap();
        let n: usize = path.rsplit(':').next().unwrap().parse().unwrap();
        if deal["verdict"] == "invalid" {
            continue;
        }
        let by_id = deal["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let outcome = if r["exempt"] == true {
                    "exempt"
                } else {
                    r["outcome"].as_str().unwrap()
                };
                (r["id"].as_str().unwrap().to_string(), outcome.to_string())
            })
            .collect();
        results[n - 1] = Some(by_id);
    }
    results
}

fn check_jsonl(policy: &Path, deals: &Path, as_of: Option<&str>) -> String {
    let mut args = vec![
        "covenant",
        "check",
        "-p",
        policy.to_str().unwrap(),
        deals.to_str().unwrap(),
        "--format",
        "jsonl",
    ];
    if let Some(date) = as_of {
        args.extend(["--as-of", date]);
    }
    let cli = Cli::parse_from(args);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(cli, &mut out, &mut err);
    let out = String::from_utf8(out).unwrap();
    assert!(
        !out.is_empty(),
        "covenant check failed ({code}): {}",
        String::from_utf8_lossy(&err)
    );
    out
}
