//! Checking a deal: typed, pasted or uploaded; its failing rules with their lines; explain;
//! the downloads; a broken deal's problems at their lines; the ownership diagram.

use serde_json::{json, Value};

use crate::driver::{Browser, Failure};
use crate::ensure;

const HK_CHAIN: &str = "examples/deals/acme-dragon-hk-chain.yaml";

/// Paste a deal, check it, and wait for its verdict.
pub async fn check_pasted(b: &Browser, path: &str, proposed: bool) -> Result<(), Failure> {
    b.open("check").await?;
    let text = std::fs::read_to_string(b.file(path))?;
    b.paste("#deal-text", &text).await?;
    if proposed {
        b.click("#include-proposed").await?;
    }
    b.click("#check-button").await?;
    b.wait("#check-verdict").await?;
    Ok(())
}

/// The text selected in the deal editor.
async fn selection(b: &Browser) -> Result<String, Failure> {
    let v = b
        .js(
            "const t = document.querySelector('#deal-text');
             return document.activeElement === t ? t.value.slice(t.selectionStart, t.selectionEnd) : null;",
            vec![],
        )
        .await?;
    Ok(v.as_str()
        .unwrap_or("(the editor has no focus)")
        .to_string())
}

pub async fn a_failing_deal_shows_its_failing_rule_at_its_line(b: &Browser) -> Result<(), Failure> {
    b.open("check").await?;
    // Typed key by key, as a user types it.
    let text = std::fs::read_to_string(b.file(HK_CHAIN))?;
    b.find("#deal-text").await?.send_keys(&text).await?;
    let typed = b
        .js("return document.querySelector('#deal-text').value;", vec![])
        .await?;
    ensure!(typed == json!(text), "the editor holds what was typed");
    ensure!(
        b.text("#deal-detected").await?.contains("YAML"),
        "the format is detected"
    );
    b.click("#check-button").await?;
    let card = b
        .wait(".card[data-rule='cfius-substantial-interest'][data-outcome='fail']")
        .await?;
    let verdict = b.text("#check-verdict").await?;
    ensure!(verdict.contains("Non-compliant"), "verdict: {verdict}");
    let shown = card.text().await?;
    for part in [
        "Fails",
        "in-force",
        "31 CFR 800.401",
        "Value in the deal",
        "false",
        "line 12, column 14",
    ] {
        ensure!(shown.contains(part), "the card shows {part:?}: {shown}");
    }
    // `cfius_filed: false` is line 12: marked in the editor, at the value.
    let mark = b
        .text("#deal-editor .backdrop .line[data-line='12'] mark.mark-fail")
        .await;
    ensure!(mark.is_ok(), "line 12's value is marked: {mark:?}");
    let gutter = b
        .js(
            "return document.querySelectorAll('#deal-editor .gutter .numbers div')[11].className;",
            vec![],
        )
        .await?;
    ensure!(
        gutter.as_str().is_some_and(|c| c.contains("ln-fail")),
        "the gutter marks line 12: {gutter}"
    );
    // The card's place is a button to the value.
    b.click(".card[data-rule='cfius-substantial-interest'] .facts button.where")
        .await?;
    ensure!(
        selection(b).await? == "false",
        "the value is selected: {:?}",
        selection(b).await?
    );
    Ok(())
}

pub async fn a_toml_deal_is_uploaded_and_checked(b: &Browser) -> Result<(), Failure> {
    b.open("check").await?;
    // feoc is a reported rule: counted only when proposed and reported rules are.
    b.click("#include-proposed").await?;
    let path = b.file("examples/deals/changjiang-liberty-feoc.toml");
    b.find("#deal-file")
        .await?
        .send_keys(&path.display().to_string())
        .await?;
    b.until(
        "the file to load",
        "document.querySelector('#deal-text').value.includes('[[parties]]')",
    )
    .await?;
    let detected = b.text("#deal-detected").await?;
    ensure!(detected.contains("TOML"), "detected: {detected}");
    b.click("#check-button").await?;
    b.wait(".card[data-rule='feoc'][data-outcome='fail']")
        .await?;
    ensure!(
        b.text("#check-verdict").await?.contains("Non-compliant"),
        "the TOML deal is non-compliant"
    );
    let marks = b
        .js(
            "return document.querySelectorAll('#deal-editor mark.mark-fail').length;",
            vec![],
        )
        .await?;
    ensure!(
        marks.as_u64().is_some_and(|n| n > 0),
        "the failing values are marked in the TOML source"
    );
    Ok(())
}

pub async fn explain_opens_the_rules_tree(b: &Browser) -> Result<(), Failure> {
    check_pasted(b, HK_CHAIN, false).await?;
    let button = ".card[data-rule='covered-state-control'] .card-actions button";
    b.click(button).await?;
    let tree = b
        .text(".card[data-rule='covered-state-control'] .explanation")
        .await?;
    for part in [
        "look-through voting of covered state in deal < 25%",
        "false",
        "29.4%",
        "SASAC",
    ] {
        ensure!(tree.contains(part), "the tree shows {part:?}: {tree}");
    }
    let expanded = b.find(button).await?.attr("aria-expanded").await?;
    ensure!(
        expanded.as_deref() == Some("true"),
        "the button says it is expanded"
    );
    Ok(())
}

pub async fn the_sarif_report_is_downloaded(b: &Browser) -> Result<(), Failure> {
    check_pasted(b, HK_CHAIN, false).await?;
    b.click("#download-sarif").await?;
    let text = b.downloaded(".sarif").await?;
    let sarif: Value = serde_json::from_str(&text)?;
    ensure!(
        sarif["version"] == "2.1.0",
        "a SARIF 2.1.0 log: {}",
        &text[..text.len().min(200)]
    );
    let failing: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter(|x| x["level"] == "error")
                .filter_map(|x| x["ruleId"].as_str())
                .collect()
        })
        .unwrap_or_default();
    ensure!(
        failing.contains(&"cfius-substantial-interest"),
        "the failing rule is in the SARIF: {failing:?}"
    );
    b.click("#download-markdown").await?;
    let markdown = b.downloaded(".md").await?;
    ensure!(
        markdown.contains("cfius-substantial-interest"),
        "the Markdown report names the rule"
    );
    Ok(())
}

pub async fn a_broken_deal_shows_its_problems_at_their_lines(b: &Browser) -> Result<(), Failure> {
    b.open("check").await?;
    let text = std::fs::read_to_string(b.file("examples/invalid/bare-number-stake.yaml"))?;
    b.paste("#deal-text", &text).await?;
    b.click("#check-button").await?;
    let problems = b.text("#deal-diagnostics li").await?;
    for part in [
        "Error",
        "line 9, column 12",
        "bare number",
        "write \"51%\"",
        "covenant::deal::bare-number",
    ] {
        ensure!(
            problems.contains(part),
            "the problem shows {part:?}: {problems}"
        );
    }
    b.wait("#deal-editor .backdrop .line-error[data-line='9'] mark.mark-error")
        .await?;
    ensure!(
        b.text(".verdict-box-invalid")
            .await?
            .contains("Invalid deal"),
        "the result says the deal is invalid"
    );
    b.click("#deal-diagnostics li button").await?;
    ensure!(
        selection(b).await? == "51",
        "the bad value is selected: {:?}",
        selection(b).await?
    );
    Ok(())
}

pub async fn the_ownership_diagram_highlights_the_deciding_path(
    b: &Browser,
) -> Result<(), Failure> {
    check_pasted(b, HK_CHAIN, false).await?;
    b.wait("#check-ownership svg.ownership").await?;
    let shown = b
        .js(
            "const svg = document.querySelector('#check-ownership svg.ownership');
             return {
               nodes: [...svg.querySelectorAll('.node')].map(n => n.dataset.name),
               labels: [...svg.querySelectorAll('.edge-label text')].map(t => t.textContent),
               lit: svg.querySelectorAll('.edge.hl').length,
               litNodes: [...svg.querySelectorAll('.node.hl')].map(n => n.dataset.name),
             };",
            vec![],
        )
        .await?;
    let nodes = shown["nodes"].to_string();
    for name in [
        "JV",
        "Acme Motors",
        "Dragon Motors",
        "Northern Auto HK",
        "FAW Group",
        "SASAC",
    ] {
        ensure!(nodes.contains(name), "the diagram draws {name}: {nodes}");
    }
    ensure!(
        shown["labels"].to_string().contains("60%"),
        "edges carry their percentages: {}",
        shown["labels"]
    );
    // covered-state-control fails through SASAC → FAW Group → Northern Auto HK → Dragon Motors → JV.
    ensure!(
        shown["lit"] == 4,
        "the four edges of the path are highlighted: {shown}"
    );
    ensure!(
        shown["litNodes"].to_string().contains("SASAC"),
        "the path's nodes are highlighted: {shown}"
    );
    // A node is a button to the entity in the deal, from the keyboard too.
    let sasac = b.find("#check-ownership .node[data-name='SASAC']").await?;
    sasac.send_keys("\u{E007}").await?;
    let line = b
        .js(
            "const t = document.querySelector('#deal-text');
             return t.value.slice(0, t.selectionStart).split('\\n').length;",
            vec![],
        )
        .await?;
    ensure!(
        line == 47,
        "Enter on SASAC shows its entry (line 47), not line {line}"
    );
    Ok(())
}
