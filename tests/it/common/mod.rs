//! Helpers shared by integration tests: compile a policy from text, load a deal from text,
//! evaluate, and read outcomes by rule id.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use covenant::deal::{self, Format, LoadOptions};
use covenant::eval::{self, outcome::RuleResult};
use covenant::resolve::{self, Policy};
use covenant::source::SourceFile;
use miette::Diagnostic;

pub fn policy(text: &str) -> Policy {
    match resolve::compile_str("test.policy", text) {
        Ok(c) => c.policy,
        Err(diags) => {
            let msgs: Vec<String> = diags.iter().map(|d| format!("{d:?}")).collect();
            panic!("policy does not compile:\n{}", msgs.join("\n"));
        }
    }
}

/// The codes of the compile errors of a policy that must not compile.
pub fn compile_errors(text: &str) -> Vec<String> {
    match resolve::compile_str("test.policy", text) {
        Ok(_) => panic!("policy compiled, but should not:\n{text}"),
        Err(diags) => diags
            .iter()
            .map(|d| d.code().map(|c| c.to_string()).unwrap_or_default())
            .collect(),
    }
}

pub fn load_yaml(p: &Policy, yaml: &str) -> deal::tree::Deal {
    match deal::load(
        SourceFile::new("deal.yaml", yaml),
        "deal.yaml".into(),
        1,
        Format::Yaml,
        &p.schema,
        &LoadOptions::default(),
    ) {
        Ok(l) => l.deal,
        Err(e) => panic!("deal does not load: {:?}", e.errors),
    }
}

pub fn results(policy_text: &str, yaml: &str, as_of: Option<&str>) -> (Policy, Vec<RuleResult>) {
    let p = policy(policy_text);
    let d = load_yaml(&p, yaml);
    let as_of = as_of.map(|s| s.parse().unwrap());
    let r = eval::evaluate(&p, &d, as_of);
    (p, r)
}

/// `rule-id=outcome` for every rule, `exempt` for an exempt pass.
pub fn outcomes(policy_text: &str, yaml: &str) -> Vec<String> {
    outcomes_as_of(policy_text, yaml, None)
}

pub fn outcomes_as_of(policy_text: &str, yaml: &str, as_of: Option<&str>) -> Vec<String> {
    let (p, r) = results(policy_text, yaml, as_of);
    r.iter()
        .map(|r| {
            let id = &p.rules[r.rule].id;
            let o = if r.is_exempt() {
                "exempt"
            } else {
                r.outcome.as_str()
            };
            format!("{id}={o}")
        })
        .collect()
}

/// The outcome of the single rule of a policy.
pub fn one(policy_text: &str, yaml: &str) -> String {
    let o = outcomes(policy_text, yaml);
    assert_eq!(o.len(), 1, "expected one rule: {o:?}");
    o[0].split_once('=').unwrap().1.to_string()
}

pub const JV: &str = r#"
proposal: "Acme–Dragon Motors JV"
date: 2026-03-01
jurisdiction: "US"
sector: "automotive"
cfius_filed: false
investment: "USD 3.5B"
waivers: []
parties:
  - name: "Acme Motors"
    country: "US"
    stake: "51%"
    voting: "51%"
    board_seats: 4
    government_stake: "0%"
    profit_share: "51%"
    subsidies: "USD 0"
  - name: "Dragon Motors"
    country: "CN"
    stake: "49%"
    voting: "49%"
    board_seats: 3
    government_stake: "30%"
    profit_share: "49%"
    subsidies: "USD 200M"
board: { seats: 7, chair: "Acme Motors" }
technology:
  - { name: "LFP cells", owner: "Dragon Motors", origin: "CN", category: "battery", transfer: "license", source_code_escrow: false }
data:
  - { name: "telemetry", category: "personal", location: "US", subjects: 2000000, transfers: ["CN"] }
plants:
  - { country: "US", region: "MI", capacity: 250000, local_content: "62%" }
"#;

/// Run the CLI in-process: (exit code, stdout, stderr). `check` runs with `--deterministic`
/// (see `support::argv`).
pub fn covenant(args: &[&str]) -> (u8, String, String) {
    use clap::Parser;
    let cli = covenant_cli::Cli::parse_from(crate::support::argv(args));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = covenant_cli::run(cli, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}
