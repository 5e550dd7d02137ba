//! The decision log: filters (proposal, verdict, rule, days), the charts, and a past decision
//! opened as it was reported.

use serde_json::json;

use crate::driver::{Browser, Failure};
use crate::ensure;

const HK_PROPOSAL: &str = "Acme–Dragon Motors JV (Hong Kong holding chain)";

/// Log a few decisions through the API, as a deal pipeline would.
pub fn seed(b: &Browser) -> Result<(), Failure> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let compliant = ["deals/acme-dragon-51-49.yaml"; 16];
    for deal in compliant.into_iter().chain([
        "deals/acme-dragon-hk-chain.yaml",
        "deals/acme-dragon-51-49.yaml",
        "deals/liberty-pearl-50-50.json",
        "deals/acme-dragon-hk-chain.yaml",
        "invalid/malformed.json",
    ]) {
        let path = b.file(&format!("examples/{deal}"));
        let ty = crate::support::content_type_of(deal);
        let body = std::fs::read(path)?;
        let url = format!("{}/v1/check", b.base);
        let answer = agent
            .post(&url)
            .header("Content-Type", ty)
            .send(&body[..])?;
        ensure!(
            answer.status() == 200 || answer.status() == 422,
            "{deal}: {}",
            answer.status()
        );
    }
    Ok(())
}

/// The rows of the listing: (id, proposal, verdict class).
async fn rows(b: &Browser) -> Result<Vec<(String, String, String)>, Failure> {
    let v = b
        .js(
            "return [...document.querySelectorAll('#history-table tbody tr')].map(r => [
               r.dataset.id, r.children[2].textContent, r.querySelector('.badge').className]);",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(v)?)
}

async fn apply(b: &Browser) -> Result<(), Failure> {
    // The listing is `aria-busy` from the click until its page has come.
    b.click("#history-apply").await?;
    b.until(
        "the listing to refresh",
        "!document.querySelector('#history-table').hasAttribute('aria-busy')",
    )
    .await?;
    Ok(())
}

pub async fn the_history_filters_and_opens_a_past_decision(b: &Browser) -> Result<(), Failure> {
    seed(b)?;
    b.open("history").await?;
    b.wait("#history-table tbody tr").await?;
    b.wait("#history-charts svg.chart-svg").await?;
    let charts = b
        .js(
            "return document.querySelectorAll('#history-charts figure svg').length;",
            vec![],
        )
        .await?;
    ensure!(charts == 2, "two charts: {charts}");

    b.find("#f-verdict")
        .await?
        .select_by_value("non-compliant")
        .await?;
    apply(b).await?;
    let found = rows(b).await?;
    ensure!(!found.is_empty(), "some decisions are non-compliant");
    ensure!(
        found.iter().all(|r| r.2.contains("verdict-non-compliant")),
        "only non-compliant ones: {found:?}"
    );
    let legend = b.text("#history-charts .legend").await?;
    ensure!(
        legend.contains("Compliant: 0"),
        "the chart follows the filter: {legend}"
    );

    b.find("#f-proposal").await?.send_keys(HK_PROPOSAL).await?;
    b.find("#f-rule")
        .await?
        .select_by_value("covered-state-control")
        .await?;
    b.find("#f-outcome").await?.select_by_value("fail").await?;
    apply(b).await?;
    let found = rows(b).await?;
    ensure!(
        found.len() >= 2,
        "the Hong Kong chain was checked twice at least: {found:?}"
    );
    ensure!(
        found.iter().all(|r| r.1 == HK_PROPOSAL),
        "only its proposal: {found:?}"
    );

    // A day range: today (UTC) has them all; tomorrow, none.
    let today = jiff::Timestamp::now().to_string()[..10].to_string();
    let tomorrow = b.js("const d = new Date(); d.setUTCDate(d.getUTCDate() + 1); return d.toISOString().slice(0, 10);", vec![]).await?;
    set_date(b, "#f-since", &today).await?;
    set_date(b, "#f-until", &today).await?;
    apply(b).await?;
    ensure!(
        rows(b).await?.len() == found.len(),
        "today's decisions are the same"
    );
    set_date(b, "#f-since", tomorrow.as_str().unwrap_or_default()).await?;
    set_date(b, "#f-until", "").await?;
    apply(b).await?;
    ensure!(rows(b).await?.is_empty(), "none is dated tomorrow");
    ensure!(
        b.text("#history-table")
            .await?
            .contains("No decision matches"),
        "the page says so"
    );

    // Pages of twenty: older, then newer again.
    b.click("#history-reset").await?;
    b.until(
        "the listing to refresh",
        "!document.querySelector('#history-table').hasAttribute('aria-busy')",
    )
    .await?;
    let total = b
        .js(
            "return fetch('/v1/decisions/summary').then(r => r.json()).then(s => s.decisions);",
            vec![],
        )
        .await?;
    let first = rows(b).await?;
    if total.as_u64().is_some_and(|n| n > 20) {
        ensure!(
            first.len() == 20,
            "a page is twenty decisions: {}",
            first.len()
        );
        b.click("#history-older").await?;
        b.until(
            "the older page",
            "!document.querySelector('#history-table').hasAttribute('aria-busy')",
        )
        .await?;
        let older = rows(b).await?;
        let lowest: i64 = first.last().unwrap().0.parse()?;
        ensure!(
            !older.is_empty()
                && older
                    .iter()
                    .all(|r| r.0.parse::<i64>().is_ok_and(|id| id < lowest)),
            "the older page has only older decisions: {older:?}"
        );
        b.click("#history-newer").await?;
        b.until(
            "the newer page",
            "!document.querySelector('#history-table').hasAttribute('aria-busy')",
        )
        .await?;
        ensure!(rows(b).await? == first, "back to the first page");
    }

    // Open the newest decision of the Hong Kong chain, as reported.
    b.find("#f-proposal").await?.send_keys(HK_PROPOSAL).await?;
    apply(b).await?;
    let id = rows(b).await?[0].0.clone();
    b.click(&format!("#history-table tr[data-id='{id}'] button"))
        .await?;
    let title = b.text("#decision-title").await?;
    ensure!(title == format!("Decision #{id}"), "opened: {title}");
    b.wait("#history-decision .card[data-rule='cfius-substantial-interest'][data-outcome='fail']")
        .await?;
    let source = b
        .js(
            "return document.querySelector('#decision-source').value;",
            vec![],
        )
        .await?;
    let deal = std::fs::read_to_string(b.file("examples/deals/acme-dragon-hk-chain.yaml"))?;
    ensure!(source == json!(deal), "the deal is shown as it was given");
    b.wait("#history-decision .backdrop .line[data-line='12'] mark.mark-fail")
        .await?;
    b.wait("#decision-ownership svg.ownership").await?;
    b.click("#history-back").await?;
    b.wait("#history-list:not([hidden]) #history-table tbody tr")
        .await?;
    Ok(())
}

async fn set_date(b: &Browser, css: &str, day: &str) -> Result<(), Failure> {
    b.js(
        "document.querySelector(arguments[0]).value = arguments[1];",
        vec![json!(css), json!(day)],
    )
    .await?;
    Ok(())
}
