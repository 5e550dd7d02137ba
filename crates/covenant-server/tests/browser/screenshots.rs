//! The screenshots of docs/web.md: the main views, drawn by the page from the example deals
//! and policies. `COVENANT_SCREENSHOTS=1 cargo test -p covenant-server --test browser
//! screenshots` writes them into docs/images/; without it they are taken into a temporary
//! folder and only checked (each a PNG under 300 KB), so the views they show keep working.
//! The history shown is the example deals checked by the scenarios, and copies of those
//! decisions dated over the past two weeks, so that the chart has days to show.

use std::path::{Path, PathBuf};

use serde_json::json;

use covenant_server::decision_log::DecisionLog;

use crate::driver::{Browser, Failure};
use crate::ensure;

const MAX_BYTES: usize = 300 * 1024;

async fn shoot(b: &Browser, dir: &Path, name: &str) -> Result<(), Failure> {
    // Let smooth scrolling and the last paint settle.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let png = b.client.screenshot().await?;
    ensure!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}: not a PNG");
    ensure!(
        png.len() < MAX_BYTES,
        "{name}: {} bytes, over {MAX_BYTES}",
        png.len()
    );
    std::fs::write(dir.join(name), png)?;
    Ok(())
}

/// Scroll so that `css` is at the top of the window (less a margin).
async fn scroll_to(b: &Browser, css: &str, margin: i64) -> Result<(), Failure> {
    b.wait(css).await?;
    b.js(
        "const e = document.querySelector(arguments[0]);
         window.scrollTo({top: e.getBoundingClientRect().top + window.scrollY - arguments[1], behavior: 'instant'});",
        vec![json!(css), json!(margin)],
    )
    .await?;
    Ok(())
}

/// Two weeks of history for the charts: every example deal checked, then the decisions logged
/// so far logged again with the dates of the past 14 days (a few a day; the log is
/// append-only, so only copies are added).
async fn backfill(b: &Browser) -> Result<(), Failure> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut deals: Vec<_> = std::fs::read_dir(b.file("examples/deals"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| !p.to_string_lossy().ends_with(".jsonl"))
        .collect();
    deals.sort();
    for deal in &deals {
        let ty = crate::support::content_type_of(&deal.display().to_string());
        agent
            .post(&format!("{}/v1/check", b.base))
            .header("Content-Type", ty)
            .send(&std::fs::read(deal)?[..])?;
    }
    let log = DecisionLog::open(&b.log.display().to_string()).await?;
    let logged = log.count().await?;
    let logged = i64::try_from(logged)?;
    ensure!(logged > 0, "the log has decisions to copy");
    let now = jiff::Timestamp::now();
    for day in (1..=14i64).rev() {
        for k in 0..(day % 4 + 1) {
            let id = (day * 7 + k * 3) % logged + 1;
            let Some(stored) = log.get(id).await? else {
                continue;
            };
            let mut d = stored.decision;
            d.time = now.checked_sub(jiff::SignedDuration::from_hours(24 * day - 2 * k))?;
            log.append(&d).await?;
        }
    }
    Ok(())
}

pub async fn screenshots(b: &Browser) -> Result<(), Failure> {
    let keep = std::env::var_os("COVENANT_SCREENSHOTS").is_some_and(|v| v == "1");
    let temp = tempfile::tempdir()?;
    let dir: PathBuf = if keep {
        crate::support::root().join("docs/images")
    } else {
        temp.path().to_path_buf()
    };
    std::fs::create_dir_all(&dir)?;
    crate::history::seed(b)?;
    crate::impact::log_connected_vehicle(b)?;

    b.resize(1280, 1000).await?;
    crate::check::check_pasted(b, "examples/deals/acme-dragon-hk-chain.yaml", true).await?;
    b.wait("#check-ownership svg.ownership").await?;
    b.js("window.scrollTo(0, 0);", vec![]).await?;
    shoot(b, &dir, "check.png").await?;

    scroll_to(b, "#check-ownership", 12).await?;
    shoot(b, &dir, "ownership.png").await?;

    b.click(".card[data-rule='covered-state-control'] .card-actions button")
        .await?;
    b.wait(".card[data-rule='covered-state-control'] .explanation .tree")
        .await?;
    scroll_to(
        b,
        ".card[data-rule='covered-state-control'] .card-actions",
        80,
    )
    .await?;
    shoot(b, &dir, "explain.png").await?;

    backfill(b).await?;
    b.open("history").await?;
    b.wait("#history-table tbody tr").await?;
    b.wait("#history-charts svg").await?;
    shoot(b, &dir, "history.png").await?;

    let candidate = crate::impact::candidate()?;
    b.open("impact").await?;
    crate::impact::upload_candidate(b, candidate.path()).await?;
    b.click("#impact-run").await?;
    b.wait("#impact-verdicts-changed").await?;
    b.js("window.scrollTo(0, 0);", vec![]).await?;
    shoot(b, &dir, "impact.png").await?;

    b.resize(390, 844).await?;
    let outcome = async {
        crate::check::check_pasted(b, "examples/deals/acme-dragon-hk-chain.yaml", false).await?;
        scroll_to(b, "#check-results", 8).await?;
        shoot(b, &dir, "mobile.png").await
    }
    .await;
    b.resize(1280, 900).await?;
    outcome?;
    if keep {
        println!("screenshots written to {}", dir.display());
    }
    Ok(())
}
