//! The evidence of conversions in every report format (SPEC §11; spec-v2-notes F, `"kind":
//! "conversion"`) and in `explain`, on the real ECB rates of `examples/fx`.

use crate::common::covenant;
use serde_json::Value;

const ECB_POLICY: &str = "tests/fixtures/fx/ecb.policy";
const ECB_DEAL: &str = "tests/fixtures/fx/ecb-deal.yaml";

#[test]
fn every_report_format() {
    for format in ["human", "json", "markdown", "sarif", "junit"] {
        let (code, out, err) = covenant(&[
            "check", "-p", ECB_POLICY, ECB_DEAL, "--format", format, "--color", "never",
        ]);
        insta::assert_snapshot!(
            format!("fx_{format}"),
            format!("exit {code}\n{err}---\n{}", crate::formats::dated(&out))
        );
    }
}

#[test]
fn explain_shows_the_conversion() {
    let (code, out, err) = covenant(&[
        "explain",
        "-p",
        ECB_POLICY,
        ECB_DEAL,
        "--rule",
        "value-threshold",
    ]);
    assert_eq!(code, 1, "the rule does not pass: {err}");
    assert!(out.contains("USD 9B = CAD"), "{out}");
    insta::assert_snapshot!("fx_explain", out);
}

fn json_rules(deal: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["check", "-p", ECB_POLICY, deal, "--format", "json"];
    args.extend(extra);
    let (_, out, _) = covenant(&args);
    let v: Value = serde_json::from_str(&out).unwrap();
    v["deals"][0]["rules"].as_array().unwrap().clone()
}

fn conversions(rule: &Value) -> Vec<Value> {
    rule["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "conversion")
        .cloned()
        .collect()
}

#[test]
fn json_conversion_evidence() {
    let rules = json_rules(ECB_DEAL, &[]);
    let c = &conversions(&rules[0])[0];
    assert_eq!(c["from"], "USD 9B");
    assert_eq!(c["to"], "CAD ≈12,267,526,485");
    assert_eq!(c["via"], "cross");
    assert_eq!(c["unit"], "CAD/USD");
    assert_eq!(c["rate"], "≈1.3631");
    assert_eq!(c["date"], "2024-07-11");
    assert_eq!(c["on"], "2024-07-11");
    assert_eq!(c["source"], "European Central Bank euro reference rates");
    let file = "tests/fixtures/fx/../../../examples/fx/ecb-eurofxref-2024-07.csv";
    assert_eq!(c["at"], format!("{file}:54"));
    assert_eq!(
        c["legs"],
        serde_json::json!([
            { "base": "EUR", "quote": "CAD", "rate": "1.4796", "at": format!("{file}:54") },
            { "base": "EUR", "quote": "USD", "rate": "1.0855", "at": format!("{file}:50") },
        ])
    );
    // A total's conversions, one per element that changed currency.
    let totals = conversions(&rules[1]);
    let from: Vec<&str> = totals.iter().map(|c| c["from"].as_str().unwrap()).collect();
    assert_eq!(from, ["GBP 150M", "JPY 60B"]);
    // An inverse row: JPY → EUR at 1/175.39, for the party whose test failed.
    let each = conversions(&rules[2]);
    assert_eq!(each.len(), 1, "{each:#?}");
    assert_eq!(each[0]["from"], "JPY 60B");
    assert_eq!(each[0]["via"], "inverse");
    assert_eq!(each[0]["unit"], "EUR/JPY");
    assert_eq!(each[0]["legs"][0]["rate"], "175.39");
    assert_eq!(each[0]["rate"], "≈0.0057");
}

#[test]
fn json_names_the_reason_of_a_missing_rate() {
    // 2024-07-20 − 7 days is 2024-07-13, after the file's last day.
    let rules = json_rules(ECB_DEAL, &["--as-of", "2024-07-20"]);
    assert_eq!(rules[0]["outcome"], "incomplete");
    let e = &rules[0]["evidence"][0];
    assert_eq!(e["reason"], "no-rate");
    assert_eq!(
        e["note"],
        "no rate from USD to CAD in `tests/fixtures/fx/../../../examples/fx/ecb-eurofxref-2024-07.csv` on 2024-07-20 or the 7 days before"
    );
    let rules = json_rules("tests/fixtures/fx/ecb-deal-undated.yaml", &[]);
    assert_eq!(rules[0]["outcome"], "incomplete");
    assert_eq!(rules[0]["evidence"][0]["reason"], "missing");
}
